/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit
 * crosses the threshold — a refresh that then copies a thousand pages and fsyncs, stalling every
 * request behind it. Instead the serving connection never checkpoints, and a worker thread with
 * its own connection runs a PASSIVE checkpoint every second (it never blocks writers; several
 * processes on one file may each run one).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const CHECKPOINT_INTERVAL_MILLIS = 1000;

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { timeout: 5000 });
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error && error.code || error)); }
};
const timer = setInterval(checkpoint, workerData.intervalMillis);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); process.exit(0); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(filename: string, onError: (code: string) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { filename, driver, intervalMillis: CHECKPOINT_INTERVAL_MILLIS },
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
