/**
 * One refresh at a time across every tab of the browser (SDK-02): the Web Locks API where there is
 * one; elsewhere a lease in localStorage (re-checked after writing, so two tabs racing for it
 * notice); and with no storage at all, this tab alone.
 */
import type { Platform } from './platform.js';

/** A lease outlives a tab that died holding it for at most this long. */
const LEASE_MS = 10_000;
const POLL_MS = 50;

export type WithLock = <T>(run: () => Promise<T>) => Promise<T>;

export function crossTabLock(platform: Platform, name: string): WithLock {
  const locks = platform.locks;
  if (locks) return (run) => locks.request(name, { mode: 'exclusive' }, run) as ReturnType<typeof run>;
  const storage = platform.localStorage;
  if (!storage) return (run) => run();
  const owner = Array.from(platform.randomBytes(new Uint8Array(8)), (b) => b.toString(16)).join('');
  const sleep = (ms: number) => new Promise<void>((done) => platform.setTimeout(done, ms));

  async function acquire(): Promise<void> {
    for (;;) {
      const held = parseLease(storage?.getItem(name) ?? null);
      if (held === null || held.until < platform.now()) {
        storage?.setItem(name, JSON.stringify({ owner, until: platform.now() + LEASE_MS }));
        await sleep(POLL_MS);
        if (parseLease(storage?.getItem(name) ?? null)?.owner === owner) return;
      } else {
        await sleep(POLL_MS);
      }
    }
  }

  return async (run) => {
    await acquire();
    try {
      return await run();
    } finally {
      if (parseLease(storage.getItem(name))?.owner === owner) storage.removeItem(name);
    }
  };
}

function parseLease(raw: string | null): { owner: string; until: number } | null {
  if (raw === null) return null;
  try {
    const lease = JSON.parse(raw) as { owner?: unknown; until?: unknown };
    return typeof lease.owner === 'string' && typeof lease.until === 'number'
      ? { owner: lease.owner, until: lease.until }
      : null;
  } catch {
    return null;
  }
}
