/**
 * A short-lived, per-process cache of the environment and client lookups that every session-API
 * request makes (cookie settings, allowed origins), in front of any adapter. On PostgreSQL these
 * are two of a refresh's four round trips.
 *
 * Freshness: a change made through this process is seen at once (its writes clear the cache);
 * a change made on another node is seen within `ttlMillis` (1 s by default). Only the HTTP layer
 * reads through it, to gate requests; nothing that decides a session is cached — the use cases
 * read the environment's policy and the refresh context from storage every time.
 */
import type { ClientRecord, EnvironmentRecord, Storage } from './port.js';

export interface LookupCacheOptions {
  ttlMillis?: number;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
}

interface Entry<T> {
  value: Promise<T>;
  expiresAt: number;
}

const MAX_ENTRIES = 10_000;

/** The cached reads: what gates a request (cookie settings, client, allowed origins). */
export type Lookups = Pick<Storage, 'getEnvironment' | 'getClient' | 'listClients'>;

export interface LookupCache {
  lookups: Lookups;
  /** `storage` with its environment and client writes clearing the cache. */
  storage: Storage;
}

export function createLookupCache(storage: Storage, options: LookupCacheOptions = {}): LookupCache {
  const ttl = options.ttlMillis ?? 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry<unknown>>();

  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = entries.get(key) as Entry<T> | undefined;
    if (hit && hit.expiresAt > now()) return hit.value;
    if (entries.size >= MAX_ENTRIES) entries.clear();
    const value = load();
    entries.set(key, { value, expiresAt: now() + ttl });
    value.catch(() => entries.delete(key));
    return value;
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
