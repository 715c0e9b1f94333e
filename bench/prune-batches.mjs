// What one SQLite prune batch costs at a given size of store, and what pruning the backlog does to
// the event loop and the WAL (docs/benchmarks-scale.md#pruning-in-short-batches).
//
//   npm run build && node bench/prune-batches.mjs [--sessions 1000000] [--sizes 1000,100,50,25,10]
//     [--seconds 60]
//
// A fresh SQLite file migrated by the server and seeded as the scale bench seeds it
// (bench/scale-seed.mjs). Then (1) per batch size, 15 batches of each prune statement of the
// adapter (sqlite/statements.ts), committed, on a connection opened as the server opens it — the
// median and the longest; (2) `pruneSessionHistory` through the adapter (the checkpoint worker
// running) for `--seconds`, then stopped through its signal, with a 5 ms timer standing in for
// other work: rows pruned, the largest WAL file, the event loop's delay.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createDatabase, SERVER_DIST, seedScaleDatabase } from './scale-support.mjs';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000000' },
    sizes: { type: 'string', default: '1000,100,50,25,10' },
    seconds: { type: 'string', default: '60' },
  },
});
const { prepareStatements } = await import(new URL('storage/sqlite/statements.js', `file://${SERVER_DIST}`));
const { createSqliteStorage } = await import(
  new URL('storage/sqlite/sqlite-storage.js', `file://${SERVER_DIST}`)
);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const log = (message) => console.error(`[prune ${new Date().toISOString().slice(11, 19)}] ${message}`);

const database = await createDatabase('sqlite');
try {
  const { now } = await seedScaleDatabase({
    database,
    sessions: Number(values.sessions),
    secret: randomBytes(32).toString('base64url'),
    log,
  });

  console.log(`# SQLite prune batches, ${Number(values.sessions).toLocaleString('en')} sessions\n`);
  console.log(`load average ${load()}\n`);
  console.log('| rows a batch | statement | median | longest |\n| --- | --- | --- | --- |');
  const db = new Database(database.file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const statements = prepareStatements(db);
  const cutoffs = {
    pruneRotatedTokens: now - 7 * 86400,
    pruneEndedSessions: now - 30 * 86400,
    pruneEvents: (now - 30 * 86400) * 1000,
  };
  for (const size of values.sizes.split(',').map(Number)) {
    for (const [name, before] of Object.entries(cutoffs)) {
      const times = [];
      for (let i = 0; i < 15; i++) {
        const started = performance.now();
        statements[name].run({ before, limit: size });
        times.push(performance.now() - started);
        if (i % 5 === 4) db.pragma('wal_checkpoint(TRUNCATE)');
      }
      times.sort((a, b) => a - b);
      console.log(`| ${size} | ${name} | ${times[7].toFixed(1)} ms | ${times.at(-1).toFixed(1)} ms |`);
    }
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();

  for (const [what, input] of [
    ['superseded tokens', { rotatedBefore: cutoffs.pruneRotatedTokens, endedBefore: 0 }],
    ['ended sessions', { rotatedBefore: 0, endedBefore: cutoffs.pruneEndedSessions }],
  ]) {
    console.log(`\n## ${what}, ${values.seconds} s through the adapter (load average ${load()})\n`);
    console.log(JSON.stringify(await pruneFor(database.file, { ...input, grantsExpiredBefore: 0 })));
  }
  console.log(`\nload average ${load()}`);
} finally {
  await database.drop();
}

async function pruneFor(file, cutoffs) {
  const storage = createSqliteStorage(file);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const walBytes = () => {
    try {
      return statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  };
  let largestWal = 0;
  const sampler = setInterval(() => {
    largestWal = Math.max(largestWal, walBytes());
  }, 5);
  const stopping = new AbortController();
  const timer = setTimeout(() => stopping.abort(), Number(values.seconds) * 1000);
  const pruned = await storage.pruneSessionHistory(cutoffs, { signal: stopping.signal });
  clearTimeout(timer);
  clearInterval(sampler);
  delay.disable();
  // The checkpoint worker is unref'd: keep the process alive while it stops.
  const keepAlive = setInterval(() => {}, 1000);
  await storage.close();
  clearInterval(keepAlive);
  const ms = (nanoseconds) => Number((nanoseconds / 1e6).toFixed(1));
  return {
    ...pruned,
    largestWalMiB: Number((largestWal / 2 ** 20).toFixed(1)),
    eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
  };
}
