/**
 * The timers behind every wait of the verifier: the revocation feed's ticks, silence timeout and
 * reconnect backoff, and `verify`'s wait for the feed's first `ready`. Injected, so tests move time
 * by hand instead of sleeping (testing/manual-timers.ts), while the sockets stay real.
 *
 * Kept apart from `Clock`: that one is the token clock (epoch seconds for `exp`, `nbf` and feed
 * staleness), which a test may hold still while the waits run.
 */
export interface Timers {
  /** Milliseconds on any fixed origin; only differences are used. */
  now(): number;
  setTimeout(callback: () => void, milliseconds: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** Node's timer object, or a test's; `unref` when it has one. */
export type TimerHandle = { unref?(): unknown } | number | undefined;

export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, milliseconds) => setTimeout(callback, milliseconds),
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};

/** A timer that does not keep the process alive on its own. */
export function unref(handle: TimerHandle): TimerHandle {
  if (typeof handle === 'object') handle?.unref?.();
  return handle;
}

/** Resolves after `milliseconds`, or at once when `signal` aborts. */
export function sleep(timers: Timers, milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = timers.setTimeout(done, milliseconds);
    function done() {
      timers.clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
