/**
 * Whether the user interacted with any tab since the last refresh that said so (DESIGN §2: the
 * idle timeout is *user* inactivity). Each tab records its last interaction in localStorage (a
 * timestamp, nothing secret); whichever tab refreshes reads the newest, so interaction in any one
 * tab keeps every tab signed in, and a background refresh alone keeps nobody.
 */
import type { Platform } from './platform.js';

const EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'scroll'];
/** Interactions are recorded at most this often. */
const WRITE_EVERY_MS = 1000;

export interface ActivityTracker {
  /** Whether there was interaction since the last {@link markReported}. */
  sinceLastReport(): boolean;
  /** A refresh reported the activity up to `at` (its start). */
  markReported(at: number): void;
  stop(): void;
}

export function trackActivity(platform: Platform, clientId: string): ActivityTracker {
  const key = `tessera:${clientId}:activity`;
  const reportedKey = `tessera:${clientId}:activity-reported`;
  const storage = platform.localStorage;
  let lastLocal = 0;
  let reportedLocal = 0;

  const record = () => {
    const now = platform.clock.now();
    if (now - lastLocal < WRITE_EVERY_MS) return;
    lastLocal = now;
    storage?.setItem(key, String(now));
  };
  const stops = EVENTS.map((type) => platform.listen('window', type, record));
  const read = (name: string, local: number) => Math.max(local, Number(storage?.getItem(name) ?? 0) || 0);

  return {
    sinceLastReport: () => read(key, lastLocal) > read(reportedKey, reportedLocal),
    markReported(at) {
      reportedLocal = Math.max(reportedLocal, at);
      storage?.setItem(reportedKey, String(read(reportedKey, reportedLocal)));
    },
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}
