/** A counter that disappears at `expiresAt` (epoch seconds). */
export interface ExpiringCounter {
  count: number;
  expiresAt: number;
}

/**
 * In-process counters that expire, in bounded memory. Entries are kept in expiry order (a new or
 * extended counter goes to the back, and every counter of one instance lives equally long), so
 * expired entries are swept from the front on each write, and when the map is full the counter
 * dropped is the one closest to expiring anyway.
 */
export class ExpiringCounters {
  readonly #entries = new Map<string, ExpiringCounter>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
      throw new RangeError('maxEntries must be a positive integer');
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The live counter for `key`, if any. */
  get(key: string, now: number): ExpiringCounter | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || now < entry.expiresAt) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  /**
   * Adds one. A new counter lives `ttlSeconds`; with `extend`, every increment restarts that, which
   * suits a count of things in progress rather than a fixed window.
   */
  increment(key: string, now: number, options: { ttlSeconds: number; extend: boolean }): void {
    this.#sweep(now);
    const live = this.get(key, now);
    if (live !== undefined && !options.extend) {
      live.count += 1;
      return;
    }
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const soonestToExpire = this.#entries.keys().next();
      if (soonestToExpire.done !== true) this.#entries.delete(soonestToExpire.value);
    }
    this.#entries.set(key, { count: (live?.count ?? 0) + 1, expiresAt: now + options.ttlSeconds });
  }

  /** Takes one away; a counter that reaches zero is removed. */
  decrement(key: string, now: number): void {
    const live = this.get(key, now);
    if (live === undefined) return;
    live.count -= 1;
    if (live.count <= 0) this.#entries.delete(key);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (now < entry.expiresAt) return;
      this.#entries.delete(key);
    }
  }
}
