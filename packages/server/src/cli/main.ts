#!/usr/bin/env node
/** The `tessera` command (bin of @tessera/server): see docs/cli.md, or `tessera --help`. */
import { readAll } from './io.js';
import { runCli } from './program.js';

// Some waits (the SQLite checkpointer's worker exiting on close) hold no reference on the event
// loop: without this the process could end mid-command, its result unprinted.
const keepAlive = setInterval(() => {}, 1 << 30);
const outcome = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin: () => readAll(process.stdin),
});
clearInterval(keepAlive);
// Everything is written (standard output and error are synchronous for files and pipes); a pool
// or a socket left open must not keep a finished command alive.
if (outcome.kind === 'exit') process.exit(outcome.code);
