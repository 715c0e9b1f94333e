/**
 * The SDK's only source of time: every timer it sets (the keepSessionAlive refresh, retries and
 * backoff, the cross-tab lease, request timeouts, activity throttling) goes through one `Clock`.
 * The browser's is the real one; tests pass a virtual clock and move it, so nothing sleeps.
 */

/** A timer's handle, opaque to the SDK (a number in browsers, an object in Node). */
export type TimerHandle = unknown;

export interface Clock {
  /** Epoch milliseconds. Used for display and for measuring intervals, never against a JWT's `exp`. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date.now` and the global timers. */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  };
}

/** Resolves after `ms` on `clock`. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise<void>((done) => clock.setTimeout(done, ms));
}
