/**
 * One refresh at a time across every tab of the browser (SDK-02): the Web Locks API where there is
 * one; elsewhere a lease in localStorage (re-checked after writing, so two tabs racing for it
 * notice); and with no storage at all, this tab alone.
 */
import { sleep } from './clock.js';
import type { Platform } from './platform.js';

/** A lease outlives a tab that died holding it for at most this long. */
const LEASE_MS = 10_000;
const POLL_MS = 50;

/**
 * Runs `run` holding the lock. `waited` says whether another tab held it when this one asked: that
 * tab may just have refreshed, and what it shares can take a moment to reach this one.
 */
export type WithLock = <T>(run: (waited: boolean) => Promise<T>) => Promise<T>;

export function crossTabLock(platform: Platform, name: string): WithLock {
  const locks = platform.locks;
  if (locks)
    return async (run) => {
      // ifAvailable first: it answers at once whether another tab holds the lock.
      let ran = false;
      const immediate = await locks.request(name, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
        if (lock === null) return undefined;
        ran = true;
        return { value: await run(false) };
      });
      if (ran) return (immediate as { value: Awaited<ReturnType<typeof run>> }).value;
      return locks.request(name, { mode: 'exclusive' }, () => run(true)) as ReturnType<typeof run>;
    };
  const storage = platform.localStorage;
  if (!storage) return (run) => run(false);
  const owner = Array.from(platform.randomBytes(new Uint8Array(8)), (b) => b.toString(16)).join('');
  const { clock } = platform;

  /** Takes the lease; `true` when another tab held it first. */
  async function acquire(): Promise<boolean> {
    let waited = false;
    for (;;) {
      const held = parseLease(storage?.getItem(name) ?? null);
      if (held === null || held.until < clock.now()) {
        storage?.setItem(name, JSON.stringify({ owner, until: clock.now() + LEASE_MS }));
        await sleep(clock, POLL_MS);
        if (parseLease(storage?.getItem(name) ?? null)?.owner === owner) return waited;
      }
      waited = true;
      await sleep(clock, POLL_MS);
    }
  }

  return async (run) => {
    const waited = await acquire();
    try {
      return await run(waited);
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
