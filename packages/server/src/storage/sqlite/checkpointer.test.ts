import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startCheckpointer, useBackgroundCheckpoints, type WalLimits } from './checkpointer.js';

// Production's limits scaled down to what this test writes in 5 s (about 120 MiB, 24 MB/s): the
// mechanism is the same at any size.
const TEST_LIMITS: WalLimits = { restartAboveBytes: 16 * 2 ** 20, sizeLimitBytes: 64 * 2 ** 20 };

const directory = mkdtempSync(join(tmpdir(), 'tessera-checkpointer-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const ROWS = 20_000;
const WRITE_SECONDS = 5;
const TRANSACTIONS_PER_SECOND = 750;

/** Short reads in a loop on a connection of its own, as another process sharing the file would. */
const READER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { timeout: 5000 });
const read = db.prepare('SELECT body FROM rows WHERE id = ?');
const pause = new Int32Array(new SharedArrayBuffer(4));
let stopping = false;
parentPort.on('message', () => { stopping = true; });
const loop = () => {
  for (let i = 0; i < 200; i++) { read.get(1 + Math.floor(Math.random() * workerData.rows)); Atomics.wait(pause, 0, 0, 0.2); }
  if (stopping) { db.close(); process.exit(0); } else setImmediate(loop);
};
loop();
`;

function walBytes(filename: string): number {
  try {
    return statSync(`${filename}-wal`).size;
  } catch {
    return 0;
  }
}

describe('startCheckpointer', () => {
  it('reports a failed checkpoint by its error code', async () => {
    const filename = join(directory, 'not-a-database.db');
    writeFileSync(
      filename,
      'this file is not a SQLite database, so every checkpoint of it fails\n'.repeat(20),
    );
    const codes: string[] = [];
    const checkpointer = startCheckpointer(filename, (code) => codes.push(code));
    try {
      await expect.poll(() => codes, { timeout: 10_000 }).toContain('SQLITE_NOTADB');
    } finally {
      await checkpointer.stop();
    }
  });

  it('keeps the WAL file under its size limit under steady writes with a reader', async () => {
    const filename = join(directory, 'steady-writes.db');
    const db = new Database(filename, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const codes: string[] = [];
    const checkpointer = useBackgroundCheckpoints(db, filename, (code) => codes.push(code), TEST_LIMITS);
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO rows (id, body) VALUES (?, randomblob(300))');
    db.transaction(() => {
      for (let id = 1; id <= ROWS; id++) insert.run(id);
    })();
    // A refresh's pattern: a few rows by random key per transaction, each on a page of its own.
    const update = db.prepare('UPDATE rows SET body = randomblob(300) WHERE id = ?');
    const writeSome = db.transaction(() => {
      for (let i = 0; i < 8; i++) update.run(1 + Math.floor(Math.random() * ROWS));
    });
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const reader = new Worker(READER_SOURCE, { eval: true, workerData: { filename, driver, rows: ROWS } });
    const readerExited = new Promise((done) => reader.once('exit', done));
    let largest = 0;
    let transactions = 0;
    let longestGap = 0;
    let longestWrite = 0;
    try {
      const start = Date.now();
      const until = start + WRITE_SECONDS * 1000;
      let last = start;
      while (Date.now() < until) {
        const t = Date.now();
        longestGap = Math.max(longestGap, t - last);
        writeSome();
        last = Date.now();
        longestWrite = Math.max(longestWrite, last - t);
        transactions++;
        largest = Math.max(largest, walBytes(filename));
        if (transactions > ((Date.now() - start) / 1000) * TRANSACTIONS_PER_SECOND) await sleep(1);
        else await nextTurn();
      }
    } finally {
      reader.postMessage('stop');
      await readerExited;
      await checkpointer.stop();
    }
    console.info(
      `${transactions} write transactions in ${WRITE_SECONDS} s; longest gap ${longestGap} ms, write ${longestWrite} ms; largest WAL ${(largest / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(codes).toEqual([]);
    // Without the RESTART checkpoints it grows by all that is written: about 120 MiB here.
    expect(largest).toBeLessThan(TEST_LIMITS.sizeLimitBytes);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: ROWS });
    db.close();
  }, 30_000);
});
