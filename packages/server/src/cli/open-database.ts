/** Opening the configured database for a one-off command, and closing it whatever happens. */
import { existsSync } from 'node:fs';
import type { DatabaseConfig } from '../config/database-url.js';
import { SQLITE_MEMORY } from '../config/database-url.js';
import { openStorage } from '../storage/open.js';
import type { Storage } from '../storage/port.js';
import { CliError } from './exit-codes.js';
import { storageUrlOf } from './server-flags.js';

const QUIET = { warn: () => {} };

export interface OpenDatabaseOptions {
  /** SQLite: refuse a file that does not exist instead of creating it (`check`, `migrate status`). */
  mustExist?: boolean;
}

export async function withDatabase<T>(
  database: DatabaseConfig,
  options: OpenDatabaseOptions,
  work: (storage: Storage) => Promise<T>,
): Promise<T> {
  if (database.kind === 'sqlite' && database.filename === SQLITE_MEMORY) {
    throw new CliError(
      'sqlite::memory: is private to one process: there is nothing to reach from the command line',
    );
  }
  if (options.mustExist && database.kind === 'sqlite' && !existsSync(database.filename)) {
    throw new CliError(
      `the SQLite database ${database.filename} does not exist (tessera migrate up or tessera serve creates it)`,
    );
  }
  let storage: Storage;
  try {
    storage = await openStorage(storageUrlOf(database), { poolSize: 2, logger: QUIET });
  } catch (error) {
    throw new CliError(`cannot open the database: ${reason(error)}`);
  }
  try {
    return await work(storage);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`the database failed: ${reason(error)}`);
  } finally {
    await storage.close().catch(() => undefined);
  }
}

/** The driver's message, which names the problem (ECONNREFUSED, a missing role); never the URL. */
export function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] || (error as { code?: string }).code || 'unknown error';
}
