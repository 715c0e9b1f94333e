/**
 * Periodic pruning of session history, so that the tables stay proportional to the live sessions
 * rather than to every refresh ever made. Every node may run it: the deletes are idempotent.
 */

import type { PruneOptions } from '../storage/port/maintenance.js';
import { ACTIVITY_COUNTS } from './activity-counter.js';
import type { ServiceDeps } from './deps.js';

export const SESSION_HISTORY_RETENTION = Object.freeze({
  /**
   * How long a superseded refresh token is remembered [7 days]. Presented within this window it
   * is reuse (the session ends); after it, it is just an unknown token (`no_session`) — refused
   * either way, only no longer a theft signal.
   */
  reuseDetectionSeconds: 7 * 86400,
  /** How long an ended session stays readable (audits, the revocation feed) [30 days]. */
  endedSessionSeconds: 30 * 86400,
  /**
   * How long an expired authorization code or interaction is kept [1 day]. A code is refused once
   * expired either way; kept, a late second use of it is still recognised as reuse (AS-03) and ends
   * its session, rather than being just an unknown code.
   */
  expiredGrantSeconds: 86400,
  /** How often to prune [10 minutes]; `TESSERA_PRUNE_INTERVAL_SECONDS` changes it. */
  intervalSeconds: 600,
});

/** What the operator chose (`TESSERA_EVENTS_RETENTION_DAYS`). */
export interface PruningOptions {
  /** How long session events are kept [30 days] (docs/events.md). */
  eventsRetentionDays: number;
  /** How often to prune (`TESSERA_PRUNE_INTERVAL_SECONDS`) [600]. */
  intervalSeconds?: number;
}

const DEFAULT_PRUNING: PruningOptions = { eventsRetentionDays: 30 };

export async function pruneSessionHistory(
  deps: ServiceDeps,
  options: PruningOptions = DEFAULT_PRUNING,
  { signal }: PruneOptions = {},
): Promise<void> {
  const now = deps.clock.now();
  const pruned = await deps.storage.pruneSessionHistory(
    {
      rotatedBefore: now - SESSION_HISTORY_RETENTION.reuseDetectionSeconds,
      endedBefore: now - SESSION_HISTORY_RETENTION.endedSessionSeconds,
      grantsExpiredBefore: now - SESSION_HISTORY_RETENTION.expiredGrantSeconds,
    },
    { signal },
  );
  const events = await deps.storage.pruneEvents(
    deps.clock.nowMillis() - options.eventsRetentionDays * 86_400_000,
    { signal },
  );
  // One statement over a table of a few thousand rows (48 hours of minutes): not batched.
  const activityCounts = signal?.aborted
    ? 0
    : await deps.storage.pruneActivityCounts(now - ACTIVITY_COUNTS.retentionSeconds);
  // The delivery log is kept as long as the events it delivered.
  const webhookDeliveries = await deps.storage.pruneWebhookDeliveries(
    now - options.eventsRetentionDays * 86_400,
    { signal },
  );
  const counts = { ...pruned, events, activityCounts, webhookDeliveries };
  if (Object.values(counts).some((count) => count > 0)) deps.logger.info(counts, 'session history pruned');
}

export interface SessionHistoryPruning {
  /**
   * Starts no more runs, and stops the run in progress before its next batch; resolves once it has
   * (the server closes the storage only then).
   */
  stop(): Promise<void>;
}

export function startSessionHistoryPruning(
  deps: ServiceDeps,
  options: PruningOptions = DEFAULT_PRUNING,
): SessionHistoryPruning {
  const stopping = new AbortController();
  // A run that outlasts the interval (a large backlog) is not joined by a second one: two runs
  // race for the same rows, and each stops at its first batch the other made short.
  let running: Promise<void> | null = null;
  const run = () => {
    if (running || stopping.signal.aborted) return;
    running = pruneSessionHistory(deps, options, { signal: stopping.signal })
      .catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'pruning session history failed; retrying at the next interval'),
      )
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(
    run,
    (options.intervalSeconds ?? SESSION_HISTORY_RETENTION.intervalSeconds) * 1000,
  );
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await running;
    },
  };
}
