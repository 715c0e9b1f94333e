/**
 * A short-lived, per-process cache of the environment and client lookups that every session-API
 * request makes (cookie settings, allowed origins), in front of any adapter. On PostgreSQL these
 * are two of a refresh's four round trips.
 *
 * Freshness: a change made through this process is seen at once (its writes clear the cache);
 * a change made on another node is seen within `ttlMillis` (1 s by default). Only the HTTP layer
 * reads through it, to gate requests; nothing that decides a session is cached — the use cases
 * read the environment's policy and the refresh context from storage every time.
 *
 * Bounded (docs/architecture.md, "Multi-node"): at most `maxEntries` entries, each kept
 * `ttlMillis`, and only for records that exist. Ids come from unauthenticated requests, so a miss
 * is never kept: a flood of made-up ids leaves nothing behind (concurrent identical reads still
 * share one query while it runs).
 */
import type { DirectoryStore } from './port/directory.js';
import type { Storage } from './port.js';
import type { ClientRecord, EnvironmentRecord } from './records.js';

export interface LookupCacheOptions {
  ttlMillis?: number;
  /** At most this many entries [{@link MAX_ENTRIES}]. */
  maxEntries?: number;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
}

interface Entry<T> {
  value: Promise<T>;
  expiresAt: number;
}

export const MAX_ENTRIES = 10_000;

/** The cached reads: what gates a request (cookie settings, client, allowed origins). */
export interface Lookups extends Pick<DirectoryStore, 'getEnvironment' | 'getClient' | 'listClients'> {
  /** How many entries the cache holds now (for tests and diagnostics). */
  readonly size: number;
}

export interface LookupCache {
  lookups: Lookups;
  /** `storage` with its environment and client writes clearing the cache. */
  storage: Storage;
}

export function createLookupCache(storage: Storage, options: LookupCacheOptions = {}): LookupCache {
  const ttl = options.ttlMillis ?? 1000;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? MAX_ENTRIES;
  const entries = new Map<string, Entry<unknown>>();

  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const at = now();
    const hit = entries.get(key) as Entry<T> | undefined;
    if (hit && hit.expiresAt > at) return hit.value;
    entries.delete(key);
    sweep(at);
    const value = load();
    const entry: Entry<T> = { value, expiresAt: at + ttl };
    entries.set(key, entry);
    const forget = () => {
      if (entries.get(key) === entry) entries.delete(key);
    };
    value.then((found) => {
      if (found === null) forget();
    }, forget);
    return value;
  }

  /**
   * Every entry lives `ttl` and a reload goes to the back, so the map is in expiry order: expired
   * entries are dropped from the front, and when it is full the one closest to expiring goes.
   */
  function sweep(at: number): void {
    for (const [key, entry] of entries) {
      if (entry.expiresAt > at && entries.size < maxEntries) return;
      entries.delete(key);
    }
  }
  const clearing =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await write(...args);
      } finally {
        entries.clear();
      }
    };

  return {
    lookups: {
      get size() {
        return entries.size;
      },
      getEnvironment: (envId) =>
        cached<EnvironmentRecord | null>(`e\0${envId}`, () => storage.getEnvironment(envId)),
      getClient: (envId, clientId) =>
        cached<ClientRecord | null>(`c\0${envId}\0${clientId}`, () => storage.getClient(envId, clientId)),
      listClients: (envId) => cached<ClientRecord[]>(`l\0${envId}`, () => storage.listClients(envId)),
    },
    storage: {
      ...storage,
      insertEnvironment: clearing(storage.insertEnvironment),
      updateEnvironment: clearing(storage.updateEnvironment),
      deleteEnvironment: clearing(storage.deleteEnvironment),
      insertClient: clearing(storage.insertClient),
      updateClient: clearing(storage.updateClient),
      deleteClient: clearing(storage.deleteClient),
    },
  };
}
