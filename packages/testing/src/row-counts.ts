/**
 * A storage whose tables a test can count through a second, raw connection — how a test proves
 * that a request "changed nothing" or "stored nothing" on either backend, whatever the port offers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStorage } from '../../server/src/storage/open.js';
import type { Storage } from '../../server/src/storage/port.js';
import { createTestSchema } from '../../server/src/storage/postgres/test-database.js';
import type { Backend } from './harness.js';

export interface CountedStorage {
  /** Pass to `createTestServer({ storage })`; the server closes it. */
  storage: Storage;
  /** Rows per table (the migrations' own bookkeeping and the activity counters left out). */
  rowCounts(): Promise<Record<string, number>>;
  /** Drops the schema or removes the file; after the server closed. */
  cleanup(): Promise<void>;
}

/**
 * Left out of the counts: the migrations' bookkeeping, and the activity counters, which record that
 * a request happened (like a log line; a refused one counts too) and are flushed on a timer.
 */
const BOOKKEEPING = /migration|^activity_counts$/i;

export async function openCountedStorage(backend: Backend): Promise<CountedStorage> {
  if (backend === 'postgres') {
    const schema = await createTestSchema();
    const storage = await openStorage(schema.url, { schema: schema.name });
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    let countQuery: string | undefined;
    return {
      storage,
      async rowCounts() {
        // One round trip: the counts of every table, as one row.
        countQuery ??= await (async () => {
          const tables = await client.query<{ table_name: string }>(
            'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
            [schema.name],
          );
          const names = tables.rows.map((row) => row.table_name).filter((table) => !BOOKKEEPING.test(table));
          return `SELECT ${names.map((table) => `(SELECT count(*) FROM "${schema.name}"."${table}") AS "${table}"`).join(', ')}`;
        })();
        const result = await client.query<Record<string, string>>(countQuery);
        return Object.fromEntries(
          Object.entries(result.rows[0] ?? {}).map(([table, n]) => [table, Number(n)]),
        );
      },
      async cleanup() {
        await client.end();
        await schema.drop();
      },
    };
  }
  const directory = mkdtempSync(join(tmpdir(), 'tessera-counts-'));
  const file = join(directory, 'tessera.db');
  const storage = await openStorage(`sqlite:${file}`);
  await storage.migrate();
  const reader = new Database(file, { readonly: true });
  return {
    storage,
    async rowCounts() {
      const tables = reader
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all() as { name: string }[];
      const counts: Record<string, number> = {};
      for (const { name } of tables) {
        if (BOOKKEEPING.test(name) || name.startsWith('sqlite_')) continue;
        counts[name] = (reader.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
      }
      return counts;
    },
    async cleanup() {
      reader.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
