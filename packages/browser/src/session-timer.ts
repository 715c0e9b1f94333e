/**
 * The tab's one timer (the state machine's `dueAt`: the next refresh or retry, or the token's
 * expiry), and the moments a sleeping tab should look at it again.
 */
import type { Clock, TimerHandle } from './clock.js';
import type { Platform } from './platform.js';

export interface SessionTimer {
  /** Fires at `at` (at once if past), replacing the timer set before. */
  set(at: number): void;
  clear(): void;
}

export function sessionTimer(clock: Clock, onFire: () => void): SessionTimer {
  let handle: TimerHandle | null = null;
  const clear = () => {
    if (handle !== null) clock.clearTimeout(handle);
    handle = null;
  };
  return {
    set(at) {
      clear();
      handle = clock.setTimeout(
        () => {
          handle = null;
          onFire();
        },
        Math.max(0, at - clock.now()),
      );
    },
    clear,
  };
}

/**
 * Calls `onWake` when the tab wakes from sleep, comes back online, into view or into focus: timers
 * of a sleeping tab fire late, so a refresh that is due is made then. Returns the removal.
 */
export function listenForWakeUps(platform: Platform, onWake: () => void): () => void {
  const stops = (
    [
      ['document', 'visibilitychange'],
      ['window', 'online'],
      ['window', 'focus'],
      ['window', 'pageshow'],
    ] as const
  ).map(([target, type]) => platform.listen(target, type, onWake));
  return () => {
    for (const stop of stops) stop();
  };
}
