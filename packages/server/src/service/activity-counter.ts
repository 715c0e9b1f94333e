/**
 * The activity counters of the console's dashboard (docs/operations.md, "Activity counters"): per
 * environment and minute, logins, login failures, refreshes and refusals by code. Each node counts
 * in memory — an increment is a map update; no request waits for the database — and adds its counts
 * to the stored ones every few seconds and when the server closes, through one atomic upsert per
 * row, so several nodes sum up (`ActivityStore`).
 */
import type { Logger } from '../logger.js';
import type { ActivityCount, ActivityStore } from '../storage/port/activity.js';
import type { Clock } from './clock.js';

/** What is counted: `refusal:<code>` with the refusal code sent to the client. */
export type ActivityName = 'login' | 'login_failed' | 'refresh' | `refusal:${string}`;

export const ACTIVITY_COUNTS = Object.freeze({
  /** How often each node adds its counts to the database [5 s]. */
  flushSeconds: 5,
  /** How long a minute's counts are kept [48 hours]; the stats API reads at most the last 24. */
  retentionSeconds: 48 * 3600,
});

/** Rows per statement: well under either database's limit on bound parameters. */
const ROWS_PER_STATEMENT = 500;

export interface ActivityCounter {
  /** Counts one occurrence, in the current minute of the clock. */
  count(envId: string, name: ActivityName): void;
  /**
   * Adds what was counted since the last flush to the database. What cannot be stored is kept and
   * added at the next flush, never counted twice. Flushes run one after another.
   */
  flush(): Promise<void>;
  /** Stops the periodic flush, then flushes what is left. */
  stop(): Promise<void>;
}

export interface ActivityCounterDeps {
  storage: Pick<ActivityStore, 'addActivityCounts'>;
  clock: Clock;
  logger: Logger;
}

export function createActivityCounter(
  deps: ActivityCounterDeps,
  options: { flushSeconds?: number } = {},
): ActivityCounter {
  let pending = new Map<string, ActivityCount>();
  let flushing: Promise<void> = Promise.resolve();

  const add = (into: Map<string, ActivityCount>, item: ActivityCount) => {
    const key = `${item.envId}\u0000${item.minute}\u0000${item.name}`;
    const existing = into.get(key);
    if (existing) existing.count += item.count;
    else into.set(key, { ...item });
  };

  async function store(): Promise<void> {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    for (let start = 0; start < batch.length; start += ROWS_PER_STATEMENT) {
      const rows = batch.slice(start, start + ROWS_PER_STATEMENT);
      try {
        await deps.storage.addActivityCounts(rows);
      } catch (error) {
        // A statement that failed added nothing (one atomic statement): keep its rows and the rest.
        for (const row of batch.slice(start)) add(pending, row);
        deps.logger.warn(
          { err: error, rows: batch.length - start },
          'storing activity counts failed; retrying',
        );
        return;
      }
    }
  }

  const flush = () => {
    flushing = flushing.then(store);
    return flushing;
  };

  const timer = setInterval(
    () => void flush(),
    (options.flushSeconds ?? ACTIVITY_COUNTS.flushSeconds) * 1000,
  );
  timer.unref();

  return {
    count(envId, name) {
      const now = deps.clock.now();
      add(pending, { envId, minute: now - (now % 60), name, count: 1 });
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
