/**
 * Paging of the admin API's lists: an opaque cursor (the storage's keyset position, base64url) and
 * a page size with a default and a maximum. A malformed cursor or size is `invalid_request` naming
 * it; nothing is read.
 */
import { TesseraError } from '../../errors.js';
import type { Page, PageKey, PageRequest } from '../../storage/port/paging.js';

export const PAGE_SIZE = Object.freeze({ default: 50, max: 200 });

export interface PageQuery {
  cursor?: string | undefined;
  limit?: string | undefined;
}

export interface PageView<T> {
  items: T[];
  /** Pass as `cursor` for the next page; `null` on the last. */
  nextCursor: string | null;
}

const ID_MAX_LENGTH = 256;

/** @throws TesseraError `invalid_request` with `field` `cursor` or `limit`. */
export function pageRequest(query: PageQuery): PageRequest {
  return {
    after: query.cursor === undefined ? null : decodeCursor(query.cursor),
    limit: pageLimit(query.limit),
  };
}

export function pageView<R, T>(page: Page<R>, view: (record: R) => T): PageView<T> {
  return { items: page.items.map(view), nextCursor: page.next === null ? null : encodeCursor(page.next) };
}

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): PageKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (
    Array.isArray(key) &&
    key.length === 2 &&
    Number.isSafeInteger(key[0]) &&
    typeof key[1] === 'string' &&
    key[1].length > 0 &&
    key[1].length <= ID_MAX_LENGTH &&
    // Only what this server handed out: one spelling per position.
    encodeCursor(key as unknown as PageKey) === cursor
  ) {
    return key as unknown as PageKey;
  }
  throw new TesseraError('invalid_request', {
    message: 'Invalid request: cursor must be the nextCursor of a previous page.',
    field: 'cursor',
  });
}

function pageLimit(limit: string | undefined): number {
  if (limit === undefined) return PAGE_SIZE.default;
  const value = /^[1-9][0-9]{0,5}$/.test(limit) ? Number(limit) : Number.NaN;
  if (!(value <= PAGE_SIZE.max)) {
    throw new TesseraError('invalid_request', {
      message: `Invalid request: limit must be an integer from 1 to ${PAGE_SIZE.max}.`,
      field: 'limit',
    });
  }
  return value;
}
