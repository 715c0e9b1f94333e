import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Enough for every query shape the adapter issues; a flood of shapes just starts over. */
const MAX_CACHED_STATEMENTS = 512;

/**
 * The database as Kysely's SQLite dialect sees it, with each SQL text prepared once: Kysely
 * prepares on every query, and preparing costs more than running these small lookups.
 */
export function withStatementCache(db: Database): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
        statement = db.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
