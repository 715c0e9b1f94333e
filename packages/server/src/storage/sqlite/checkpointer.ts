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
 * WAL file's size every 100 ms; past `WAL_RESTART_ABOVE_BYTES` it runs PASSIVE checkpoints (the
 * bulk of the copy, writers going on) until one has little left to copy, then a RESTART one: it
 * takes the write lock, copies the frames written meanwhile, syncs, and waits for readers to leave
 * the WAL, so that the next writer starts the file over from its beginning. Writers wait for it
 * (the syncs are most of it); it waits for the lock and for readers at most
 * `RESTART_BUSY_TIMEOUT_MILLIS`, then degrades to PASSIVE and is tried again 100 ms later. Not
 * TRUNCATE: truncating a file with pages still being written back took 130–340 ms on the test VM,
 * under the write lock. `journal_size_limit` cuts back a file that a spike made larger.
 * The figures: docs/operations.md#pruning-and-on-sqlite-the-wal.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

const PASSIVE_INTERVAL_MILLIS = 1000;
const SIZE_CHECK_INTERVAL_MILLIS = 100;
/**
 * Frames past this much in the WAL, the worker makes the next writer start it over (RESTART)
 * [64 MiB]. Each restart stalls writers for a sync (20–80 ms on the test VM): at 16 MiB they came
 * often enough under load to lift the p99 at half the peak by ~5 ms (docs/benchmarks.md).
 */
export const WAL_RESTART_ABOVE_BYTES = 64 * 1024 * 1024;
/**
 * What a WAL keeps on disk when a writer starts it over (`journal_size_limit`) [128 MiB]: above what
 * the restarts let it reach, so that only after a spike does a commit truncate the file.
 */
export const WAL_SIZE_LIMIT_BYTES = 128 * 1024 * 1024;

/** When the worker restarts the WAL and what a restarted WAL keeps; tests choose smaller ones. */
export interface WalLimits {
  restartAboveBytes: number;
  sizeLimitBytes: number;
}

const WAL_LIMITS: WalLimits = {
  restartAboveBytes: WAL_RESTART_ABOVE_BYTES,
  sizeLimitBytes: WAL_SIZE_LIMIT_BYTES,
};
/** How long a RESTART checkpoint waits for the write lock and for readers before degrading to PASSIVE. */
const RESTART_BUSY_TIMEOUT_MILLIS = 20;
/** PASSIVE rounds before a RESTART go on until one copies at most this many frames (about 1 MiB), */
const CATCH_UP_FRAMES = 256;
/** or for this many rounds. */
const MAX_CATCH_UP_ROUNDS = 5;

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { timeout: 5000 });
db.pragma('journal_size_limit = ' + workerData.journalSizeLimitBytes);
const walFileBytes = () => {
  try { return statSync(workerData.filename + '-wal').size; } catch { return 0; }
};
let lastPassive = Date.now();
const checkpoint = (force) => {
  try {
    if (!force && walFileBytes() <= workerData.restartAboveBytes
        && Date.now() - lastPassive < workerData.passiveIntervalMillis) return;
    let [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
    lastPassive = Date.now();
    const frameBytes = db.pragma('page_size', { simple: true }) + 24;
    if (log * frameBytes <= workerData.restartAboveBytes) return;
    // Each PASSIVE copies what was written during the one before: after a few, what the RESTART
    // copies under the write lock is small.
    for (let round = 0; round < workerData.maxCatchUpRounds; round++) {
      const [next] = db.pragma('wal_checkpoint(PASSIVE)');
      const copied = next.log - log;
      log = next.log;
      if (copied >= 0 && copied <= workerData.catchUpFrames) break;
    }
    db.pragma('busy_timeout = ' + workerData.restartBusyTimeoutMillis);
    try { db.pragma('wal_checkpoint(RESTART)'); } finally { db.pragma('busy_timeout = 5000'); }
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
  limits: WalLimits = WAL_LIMITS,
): Checkpointer {
  const checkpointer = startCheckpointer(filename, onError, limits);
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${limits.sizeLimitBytes}`);
  return checkpointer;
}

export function startCheckpointer(
  filename: string,
  onError: (code: string) => void,
  limits: WalLimits = WAL_LIMITS,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      filename,
      driver,
      passiveIntervalMillis: PASSIVE_INTERVAL_MILLIS,
      sizeCheckIntervalMillis: SIZE_CHECK_INTERVAL_MILLIS,
      restartAboveBytes: limits.restartAboveBytes,
      journalSizeLimitBytes: limits.sizeLimitBytes,
      restartBusyTimeoutMillis: RESTART_BUSY_TIMEOUT_MILLIS,
      catchUpFrames: CATCH_UP_FRAMES,
      maxCatchUpRounds: MAX_CATCH_UP_ROUNDS,
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
