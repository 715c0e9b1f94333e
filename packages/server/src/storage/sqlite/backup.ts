/**
 * An online backup of a SQLite database file, taken from another process while the server writes
 * to it: SQLite's backup API copies every page in one step, that is in one read transaction, so
 * the copy is one consistent moment of the database (WAL lets the server keep writing meanwhile).
 */
import { open, unlink } from 'node:fs/promises';
import Database from 'better-sqlite3';

const BUSY_TIMEOUT_MILLIS = 5000;
/** Pages per step: all of them at once (see above). */
const ALL_PAGES = 0x7fffffff;

export type SqliteBackupResult =
  | { ok: true; pages: number }
  | {
      ok: false;
      problem: 'source_missing' | 'target_exists' | 'target_unwritable' | 'disk_full' | 'failed';
      detail: string;
    };

/**
 * Copies `source` into the new file `target`. The target is created exclusively first, so an
 * existing file is never overwritten; on any failure the partial copy is removed. The source is
 * only read.
 */
export async function backupSqliteFile(source: string, target: string): Promise<SqliteBackupResult> {
  let db: Database.Database;
  try {
    db = new Database(source, { fileMustExist: true, timeout: BUSY_TIMEOUT_MILLIS });
  } catch (error) {
    return { ok: false, problem: 'source_missing', detail: codeOf(error) };
  }
  try {
    try {
      await (await open(target, 'wx', 0o600)).close();
    } catch (error) {
      const code = codeOf(error);
      if (code === 'EEXIST') return { ok: false, problem: 'target_exists', detail: code };
      if (code === 'ENOSPC' || code === 'EDQUOT') return { ok: false, problem: 'disk_full', detail: code };
      return { ok: false, problem: 'target_unwritable', detail: code };
    }
    try {
      const progress = await db.backup(target, { progress: () => ALL_PAGES });
      return { ok: true, pages: progress.totalPages };
    } catch (error) {
      await unlink(target).catch(() => undefined);
      const code = codeOf(error);
      const full =
        code === 'SQLITE_FULL' ||
        code === 'ENOSPC' ||
        /disk is full|database or disk is full/i.test(String(error));
      return { ok: false, problem: full ? 'disk_full' : 'failed', detail: code };
    }
  } finally {
    db.close();
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? (error.message.split('\n', 1)[0] ?? 'unknown') : 'unknown';
}
