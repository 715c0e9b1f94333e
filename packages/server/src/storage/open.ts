/**
 * Opens the storage named by a database URL: `sqlite:<path>` (relative to the working directory;
 * `sqlite::memory:` for a private in-memory database) or `postgres://…` / `postgresql://…`.
 * Migrations are not applied here: call `storage.migrate()`.
 *
 * @example
 * const storage = await openStorage('sqlite:./data/tessera.db');
 * await storage.migrate();
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Storage } from './port.js';
import type { PostgresPoolOptions, StorageLogger } from './postgres/pool.js';

export type { PoolConnections, PoolObserver, StorageLogger } from './postgres/pool.js';

export interface OpenStorageOptions {
  /** PostgreSQL: connections in the pool [10]. */
  poolSize?: number | undefined;
  /** PostgreSQL: the schema to use (`search_path`) instead of the default. */
  schema?: string | undefined;
  /**
   * Where background failures are reported: PostgreSQL connection errors of idle clients, SQLite
   * WAL checkpoints (by error code; never a value from the database).
   */
  logger?: StorageLogger | undefined;
  /** PostgreSQL: told the time of every query and shown the pool's connections (metrics). */
  observer?: PostgresPoolOptions['observer'];
}

const SQLITE_PREFIX = 'sqlite:';

export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  // Each adapter is loaded when asked for: a server on SQLite never loads pg, nor one on
  // PostgreSQL better-sqlite3 (the start to serving is mostly module loading).
  if (url.startsWith(SQLITE_PREFIX)) {
    const { createSqliteStorage } = await import('./sqlite/sqlite-storage.js');
    return createSqliteStorage(sqliteFilename(url.slice(SQLITE_PREFIX.length)), { logger: options.logger });
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { createPostgresStorage } = await import('./postgres/postgres-storage.js');
    return createPostgresStorage({ url, ...options });
  }
  // The URL may carry a password: name only its scheme.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(
    `Unsupported database URL${scheme ? ` scheme "${scheme}:"` : ' (no scheme)'}; use sqlite:<path> or postgres://…`,
  );
}

function sqliteFilename(path: string): string {
  if (path === ':memory:') return path;
  if (path === '') throw new Error('The sqlite: database URL needs a path, e.g. sqlite:./data/tessera.db');
  const filename = resolve(process.cwd(), path);
  mkdirSync(dirname(filename), { recursive: true });
  return filename;
}
