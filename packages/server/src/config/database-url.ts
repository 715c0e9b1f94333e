import { isAbsolute, resolve } from 'node:path';
import type { ParseResult } from './parse-result.js';
import { Redacted } from './redacted.js';

/** Where the data lives: one SQLite file (or memory), or a PostgreSQL server shared by every node. */
export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly filename: string }
  | { readonly kind: 'postgres'; readonly url: Redacted; readonly poolSize: number };

export const SQLITE_MEMORY = ':memory:';

/**
 * Parses `TESSERA_DATABASE_URL`. A SQLite path is resolved against `cwd`; `sqlite::memory:` keeps
 * everything in the process (tests, demos). The messages never repeat the URL, which may carry a
 * password.
 */
export function parseDatabaseUrl(
  text: string,
  options: { cwd: string; poolSize: number },
): ParseResult<DatabaseConfig> {
  if (text.startsWith('sqlite:')) {
    const path = text.slice('sqlite:'.length);
    if (path === SQLITE_MEMORY) return { ok: true, value: { kind: 'sqlite', filename: SQLITE_MEMORY } };
    if (path === '' || path.startsWith('//')) {
      return {
        ok: false,
        problem: 'must be sqlite:<path> (e.g. sqlite:./data/tessera.db or sqlite:/var/lib/tessera.db)',
      };
    }
    return {
      ok: true,
      value: { kind: 'sqlite', filename: isAbsolute(path) ? path : resolve(options.cwd, path) },
    };
  }
  if (text.startsWith('postgres://') || text.startsWith('postgresql://')) {
    try {
      new URL(text);
    } catch {
      return { ok: false, problem: 'is not a valid postgres:// URL (the value is not shown)' };
    }
    return { ok: true, value: { kind: 'postgres', url: new Redacted(text), poolSize: options.poolSize } };
  }
  return {
    ok: false,
    problem: 'must start with sqlite: or postgres:// or postgresql:// (the value is not shown)',
  };
}
