#!/usr/bin/env node
/**
 * `npm start`: Tessera on the configured database (SQLite under ./data by default), with the demo
 * seed, the demo page and the example API it calls when the demo is on (TESSERA_DEMO, on by
 * default for a loopback public URL). The installed `tessera serve` (cli/) is the same start with
 * the demo off unless asked for.
 */
import { ConfigError } from './errors.js';
import { startTessera } from './start.js';

startTessera({ env: process.env, demoDefault: 'loopback' }).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n\nSee docs/configuration.md.\n`);
  } else {
    process.stderr.write(
      `Tessera failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exit(1);
});
