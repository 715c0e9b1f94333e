/**
 * The admin API as the CLI's shortcuts call it (DESIGN §3.3): one request, and every way it can go
 * wrong turned into one line naming the problem — the server unreachable, the admin key refused,
 * or the API's own error message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PAGE_SIZE } from '../../service/admin/paging.js';
import { CliError, EXIT_USAGE } from '../exit-codes.js';
import { reason } from '../open-database.js';

const DEFAULT_URL = 'http://localhost:4000';
const REQUEST_TIMEOUT_MILLIS = 15_000;

export interface AdminFlags {
  url?: string;
  adminKey?: string;
  env: string;
  json?: boolean;
}

export interface AdminApi {
  /** `path` is below the environment (`/users`, `/keys/rotate`); answers the parsed JSON body. */
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /**
   * Every item of a paged list (`GET path?query`), page after page: each page's
   * `Link: <…?cursor=…>; rel="next"` gives the next one's cursor. With `max`, stops once it has
   * that many (and asks for no more than it still needs).
   */
  list<T>(path: string, query: URLSearchParams, max?: number): Promise<T[]>;
}

/**
 * `--url` [TESSERA_PUBLIC_URL, else http://localhost:4000]; `--admin-key` [TESSERA_ADMIN_KEY, else
 * the key `tessera serve` generated into the data folder, `<TESSERA_DATA_DIR>/admin.key`].
 */
export function adminApi(flags: AdminFlags, env: Record<string, string | undefined>): AdminApi {
  const base = baseUrlOf(flags.url ?? (env.TESSERA_PUBLIC_URL?.trim() || DEFAULT_URL));
  const key = adminKeyOf(flags, env);
  const root = `${base}/admin/v1/environments/${encodeURIComponent(flags.env)}`;
  async function send<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ value: T; headers: Headers }> {
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS),
      });
    } catch (error) {
      throw new CliError(`cannot reach the Tessera server at ${base}: ${reason(causeOf(error))}`);
    }
    const text = await response.text();
    if (response.status === 401) {
      throw new CliError(
        `the server at ${base} refused the admin key (401): check --admin-key or TESSERA_ADMIN_KEY`,
      );
    }
    const parsed = parseJson(text);
    if (!response.ok) {
      const apiError = parsed as { error?: unknown; message?: unknown } | undefined;
      if (typeof apiError?.error === 'string' && typeof apiError.message === 'string') {
        throw new CliError(`${apiError.message} (${apiError.error}, HTTP ${response.status})`);
      }
      throw new CliError(
        `the server at ${base} answered HTTP ${response.status} without a Tessera error: is --url a Tessera server?`,
      );
    }
    if (response.status !== 204 && parsed === undefined) {
      throw new CliError(
        `the server at ${base} answered something that is not JSON: is --url a Tessera server?`,
      );
    }
    return { value: parsed as T, headers: response.headers };
  }

  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      return (await send<T>(method, path, body)).value;
    },
    async list<T>(path: string, query: URLSearchParams, max?: number): Promise<T[]> {
      const items: T[] = [];
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const page = new URLSearchParams(query);
        page.set(
          'limit',
          String(Math.min(PAGE_SIZE.max, max === undefined ? PAGE_SIZE.max : max - items.length)),
        );
        if (cursor !== null) page.set('cursor', cursor);
        const { value, headers } = await send<T[]>('GET', `${path}?${page}`);
        if (!Array.isArray(value)) {
          throw new CliError(
            `the server at ${base} answered a list that is not an array: is --url a Tessera server?`,
          );
        }
        items.push(...value);
        cursor = nextCursor(headers.get('link'));
        // A server that pointed back at a page already read would be followed forever.
        if (cursor !== null && seen.has(cursor)) {
          throw new CliError(`the server at ${base} sent the same next-page cursor twice; stopped`);
        }
        if (cursor !== null) seen.add(cursor);
      } while (cursor !== null && (max === undefined || items.length < max));
      return max === undefined ? items : items.slice(0, max);
    },
  };
}

/** The cursor of a `Link` header's `rel="next"` URL (RFC 8288); `null` on the last page. */
export function nextCursor(link: string | null): string | null {
  if (link === null) return null;
  for (const part of link.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match || !/(^|;)\s*rel\s*=\s*"?next"?\s*(;|$)/i.test(match[2]!)) continue;
    const cursor = new URL(match[1]!, 'http://link.invalid').searchParams.get('cursor');
    if (cursor) return cursor;
  }
  return null;
}

function baseUrlOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(
      `--url must be an http:// or https:// URL, not ${JSON.stringify(text.slice(0, 100))}`,
      EXIT_USAGE,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(
      `--url must be an http:// or https:// URL, not ${JSON.stringify(text.slice(0, 100))}`,
      EXIT_USAGE,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

function adminKeyOf(flags: AdminFlags, env: Record<string, string | undefined>): string {
  const given = flags.adminKey?.trim() || env.TESSERA_ADMIN_KEY?.trim();
  if (given) return given;
  const file = join(resolve(env.TESSERA_DATA_DIR?.trim() || './data'), 'admin.key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key) return key;
  }
  throw new CliError(
    `no admin key: set TESSERA_ADMIN_KEY or pass --admin-key (no ${file} either)`,
    EXIT_USAGE,
  );
}

function causeOf(error: unknown): unknown {
  if (error instanceof Error && error.name === 'TimeoutError')
    return new Error(`no answer within ${REQUEST_TIMEOUT_MILLIS / 1000} s`);
  return error instanceof Error && error.cause !== undefined ? error.cause : error;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
