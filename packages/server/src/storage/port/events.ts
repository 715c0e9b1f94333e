/**
 * The event role of the storage port: what happened to an environment's sessions and settings
 * (docs/events.md), appended by the use cases, listed newest first by the admin API, pruned by the
 * maintenance job after the retention period.
 */
import type { EventRecord } from '../records.js';
import type { PruneOptions } from './maintenance.js';
import type { Page, PageRequest } from './paging.js';

/** Which events a list holds; every field given narrows it. Times are epoch milliseconds. */
export interface EventFilter {
  /**
   * Any of these types; an entry ending in `.*` matches every type it prefixes (`admin.*`:
   * `admin.user.disabled`, …). Absent or empty: every type.
   */
  types?: readonly string[] | undefined;
  userId?: string | undefined;
  sid?: string | undefined;
  /** At or after this instant. */
  since?: number | undefined;
  /** Strictly before this instant. */
  until?: number | undefined;
}

export interface EventStore {
  /** Stores the event as given (its id is new). */
  appendEvent(event: EventRecord): Promise<void>;
  /**
   * The environment's events that match, newest first: by `at`, then `id`, descending. The page key
   * is the last item's `[at, id]`; the next page holds older events only, so events appended
   * meanwhile neither shift nor repeat a page.
   */
  listEvents(envId: string, filter: EventFilter, page: PageRequest): Promise<Page<EventRecord>>;
  /** Deletes the events of every environment that happened before `before`, in small batches; how many. */
  pruneEvents(before: number, options?: PruneOptions): Promise<number>;
}
