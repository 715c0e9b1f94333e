/**
 * Keyset paging of the directory's long lists (users, tenants, clients), as the admin API pages
 * them.
 */

/**
 * Where a page of a list starts: after the item whose creation time and id (the list's order)
 * are these. Keyset paging: an item inserted meanwhile neither shifts nor repeats a page.
 */
export type PageKey = readonly [createdAt: number, id: string];

export interface PageRequest {
  /** The previous page's `next`; `null` for the first page. */
  after: PageKey | null;
  /** At most this many items (a positive integer). */
  limit: number;
}

export interface Page<R> {
  items: R[];
  /** Where the next page starts; `null` when this page is the last. */
  next: PageKey | null;
}
