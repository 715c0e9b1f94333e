/**
 * Timers that move only when a test says so, for the verifier's waits (../timers.ts). Only those
 * waits are virtual: sockets, the local issuer's server and the real Tessera server keep Node's own
 * timers, so every byte still crosses a real connection.
 */
import { setImmediate as nextTurn, setTimeout as realDelay } from 'node:timers/promises';
import type { TimerHandle, Timers } from '../timers.js';

interface Pending {
  at: number;
  order: number;
  callback: () => void;
}

export class ManualTimers implements Timers {
  #now = 0;
  #order = 0;
  readonly #pending = new Map<object, Pending>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, milliseconds: number): TimerHandle {
    const handle = { unref() {} };
    this.#pending.set(handle, { at: this.#now + Math.max(0, milliseconds), order: this.#order++, callback });
    return handle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (typeof handle === 'object') this.#pending.delete(handle);
  }

  /** The delays (from now) of the timers waiting to fire. */
  pendingDelays(): number[] {
    return [...this.#pending.values()].map((timer) => timer.at - this.#now).sort((a, b) => a - b);
  }

  /**
   * Moves time forward by `milliseconds`, firing each timer due on the way, in order, each at its
   * own instant, and letting promises and socket callbacks run after each.
   */
  async advance(milliseconds: number): Promise<void> {
    const end = this.#now + milliseconds;
    for (;;) {
      const next = this.#next(end);
      if (!next) break;
      const [handle, timer] = next;
      this.#pending.delete(handle);
      this.#now = timer.at;
      timer.callback();
      await nextTurn();
    }
    this.#now = end;
    await nextTurn();
  }

  /**
   * Waits for `condition`, moving time forward in steps of `stepMilliseconds` between short real
   * pauses (for socket I/O); fails once `maxMilliseconds` of virtual time have passed.
   */
  async advanceUntil(
    condition: () => boolean,
    what: string,
    { stepMilliseconds = 50, maxMilliseconds = 10_000 } = {},
  ): Promise<void> {
    const deadline = this.#now + maxMilliseconds;
    while (!condition()) {
      if (this.#now >= deadline)
        throw new Error(`timed out after ${maxMilliseconds} virtual ms waiting for ${what}`);
      await realDelay(5);
      await this.advance(stepMilliseconds);
    }
  }

  #next(end: number): [object, Pending] | undefined {
    let found: [object, Pending] | undefined;
    for (const entry of this.#pending) {
      const timer = entry[1];
      if (timer.at > end) continue;
      if (!found || timer.at < found[1].at || (timer.at === found[1].at && timer.order < found[1].order)) {
        found = entry;
      }
    }
    return found;
  }
}

/**
 * Resolves with `promise` if it settles without any virtual time passing; rejects if it is still
 * pending after a real second (it is waiting on a timer nobody advances).
 */
export async function withoutWaiting<T>(promise: Promise<T>): Promise<T> {
  const stuck = Symbol('stuck');
  const result = await Promise.race([promise, realDelay(1000, stuck, { ref: false })]);
  if (result === stuck) throw new Error('it waited on a timer: nothing should have');
  return result as T;
}

/** Whether `promise` has settled yet, without waiting for it. */
export function track<T>(promise: Promise<T>): { promise: Promise<T>; settled(): boolean } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  tracked.catch(() => {});
  return { promise: tracked, settled: () => settled };
}
