/**
 * Pruning a backlog on SQLite runs on the event loop: it must hand the loop back between short
 * batches (issue #13, docs/benchmarks-scale.md#pruning-in-short-batches).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../port.js';
import { createSqliteStorage } from './sqlite-storage.js';

const directory = mkdtempSync(join(tmpdir(), 'tessera-sqlite-pruning-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const BACKLOG = 3000;
/** What one batch of events may delete: a few ms at 1 M sessions. */
const ROWS_PER_TURN = 25;

let file: string;
let storage: Storage;
let observer: Database.Database;

beforeEach(async () => {
  file = join(directory, `${Math.random().toString(36).slice(2)}.db`);
  storage = createSqliteStorage(file);
  await storage.migrate();
  const seeder = new Database(file);
  const insert = seeder.prepare(
    `INSERT INTO events (id, env_id, type, at, details) VALUES (?, 'default', 'session.created', ?, '{}')`,
  );
  seeder.transaction(() => {
    for (let i = 0; i < BACKLOG; i++) insert.run(`evt_${i}`, 1000 + i);
  })();
  seeder.close();
  observer = new Database(file, { readonly: true });
});
afterEach(async () => {
  observer.close();
  await storage.close();
});

const remaining = () => (observer.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

describe('pruning a backlog on SQLite', () => {
  it(`deletes at most ${ROWS_PER_TURN} rows between two turns of the event loop`, async () => {
    // One observation per turn of the loop (setImmediate's check phase): how many rows were left.
    const seen: number[] = [];
    let pruning = true;
    const observe = () => {
      if (!pruning) return;
      seen.push(remaining());
      setImmediate(observe);
    };
    setImmediate(observe);
    let timerFired = false;
    setTimeout(() => {
      timerFired = seen.at(-1) !== 0 && pruning;
    }, 0);

    const deleted = await storage.pruneEvents(1000 + BACKLOG);
    pruning = false;
    seen.push(remaining());

    expect(deleted).toBe(BACKLOG);
    expect(remaining()).toBe(0);
    expect(timerFired).toBe(true);
    const steps = seen.slice(1).map((left, i) => seen[i]! - left);
    expect(Math.max(...steps)).toBeLessThanOrEqual(ROWS_PER_TURN);
    // It ran between every batch, not just once before the whole backlog went.
    expect(seen.filter((left) => left > 0 && left < BACKLOG).length).toBeGreaterThanOrEqual(
      BACKLOG / ROWS_PER_TURN - 2,
    );
  });

  it('stops before its next batch once its signal is aborted, and returns what it deleted', async () => {
    const stopping = new AbortController();
    const check = setInterval(() => {
      if (remaining() < BACKLOG) stopping.abort();
    }, 0);
    try {
      const deleted = await storage.pruneEvents(1000 + BACKLOG, { signal: stopping.signal });
      expect(deleted).toBeGreaterThan(0);
      expect(deleted).toBeLessThan(BACKLOG);
      expect(remaining()).toBe(BACKLOG - deleted);
    } finally {
      clearInterval(check);
    }
  });
});
