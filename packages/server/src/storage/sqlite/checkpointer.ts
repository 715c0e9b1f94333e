/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit
 * crosses the threshold — a refresh that then copies a thousand pages and fsyncs, stalling every
 * request behind it. Instead the serving connection never checkpoints, and a worker thread with
 * its own connection runs a PASSIVE checkpoint every second (it never blocks writers; several
 * processes on one file may each run one).
 *
 * PASSIVE alone does not bound the WAL: the file only starts over from its beginning when a writer
 * finds every frame copied back, which steady writes never let happen (issue #13: 0.1–3 GB in a
 * 15 s load, 24.7 GB during a long prune), and it never shrinks. So the worker also looks at the
 * WAL's size every 100 ms, and once it passes `WAL_TRUNCATE_ABOVE_BYTES` runs a PASSIVE checkpoint
 * (the bulk of the copy, writers going on) and then a TRUNCATE one, which takes the write lock,
 * copies the frames written meanwhile, syncs, waits for readers to leave the WAL and empties the
 * file. Writers wait for that (the two syncs are most of it); the TRUNCATE itself waits for the
 * lock and for readers at most `TRUNCATE_BUSY_TIMEOUT_MILLIS`, then degrades to PASSIVE and is
 * tried again 100 ms later. `journal_size_limit` caps what a WAL that a writer restarted keeps on
 * disk. The figures: docs/operations.md#sqlite-the-wal-and-its-checkpoints.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

const PASSIVE_INTERVAL_MILLIS = 1000;
const SIZE_CHECK_INTERVAL_MILLIS = 100;
/** Above this the worker empties the WAL (TRUNCATE); also the `journal_size_limit` [16 MiB]. */
export const WAL_TRUNCATE_ABOVE_BYTES = 16 * 1024 * 1024;
/** How long a TRUNCATE checkpoint waits for the write lock and for readers before degrading to PASSIVE. */
const TRUNCATE_BUSY_TIMEOUT_MILLIS = 20;

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { timeout: 5000 });
db.pragma('journal_size_limit = ' + workerData.journalSizeLimitBytes);
const walBytes = () => {
  try { return statSync(workerData.filename + '-wal').size; } catch { return 0; }
};
let lastPassive = Date.now();
const checkpoint = (force) => {
  try {
    const large = walBytes() > workerData.truncateAboveBytes;
    if (!force && !large && Date.now() - lastPassive < workerData.passiveIntervalMillis) return;
    db.pragma('wal_checkpoint(PASSIVE)');
    lastPassive = Date.now();
    if (!large) return;
    db.pragma('busy_timeout = ' + workerData.truncateBusyTimeoutMillis);
    try { db.pragma('wal_checkpoint(TRUNCATE)'); } finally { db.pragma('busy_timeout = 5000'); }
  } catch (error) { parentPort.postMessage(String(error && error.code || error)); }
};
const timer = setInterval(checkpoint, workerData.sizeCheckIntervalMillis);
parentPort.on('message', () => { clearInterval(timer); checkpoint(true); db.close(); process.exit(0); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Hands `db`'s checkpoints to a worker thread: turns off its automatic checkpoint and caps the WAL
 * it keeps after a restart. `onError` gets the code of a checkpoint that failed.
 */
export function useBackgroundCheckpoints(
  db: Database.Database,
  filename: string,
  onError: (code: string) => void,
): Checkpointer {
  const checkpointer = startCheckpointer(filename, onError);
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${WAL_TRUNCATE_ABOVE_BYTES}`);
  return checkpointer;
}

export function startCheckpointer(filename: string, onError: (code: string) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      filename,
      driver,
      passiveIntervalMillis: PASSIVE_INTERVAL_MILLIS,
      sizeCheckIntervalMillis: SIZE_CHECK_INTERVAL_MILLIS,
      truncateAboveBytes: WAL_TRUNCATE_ABOVE_BYTES,
      journalSizeLimitBytes: WAL_TRUNCATE_ABOVE_BYTES,
      truncateBusyTimeoutMillis: TRUNCATE_BUSY_TIMEOUT_MILLIS,
    },
  });
  worker.unref();
  worker.on('message', (code: string) => onError(code));
  worker.on('error', (error) => onError(String(error)));
  return {
    async stop() {
      const exited = new Promise((done) => worker.once('exit', done));
      worker.postMessage('stop');
      await exited;
    },
  };
}
