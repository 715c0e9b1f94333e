import { ExpiringCounters } from './expiring-counters.js';
import { knownSourceMarks, throttleSubjects } from './subjects.js';
import {
  LOGIN_THROTTLE_POLICY,
  type LoginThrottle,
  type LoginThrottlePolicy,
  type ThrottleKey,
  type ThrottleVerdict,
} from './throttle.js';

export interface MemoryThrottleOptions {
  /** Epoch seconds; injected so tests cross every boundary without sleeping. */
  now?: () => number;
  policy?: LoginThrottlePolicy;
  /**
   * How many budgets are tracked at most (each, for failures and for attempts in flight), and how
   * many known sources [100 000]. Only a successful login makes a source known, so an attacker
   * cannot flush the known sources without that many successful logins. Beyond it the counter closest to expiring is dropped: memory stays bounded,
   * at the price that someone able to create that many counters within one window (which takes
   * about a thousand addresses, given the per-address limit) could end a lock early.
   */
  maxEntries?: number;
}

/**
 * The login throttle of a single server process (the default when `TESSERA_REDIS_URL` is unset).
 * Several nodes behind a load balancer each keep their own counts, so use
 * `createRedisThrottle` there.
 *
 * @example
 * const throttle = createMemoryThrottle({ now: () => Math.floor(Date.now() / 1000) });
 */
export function createMemoryThrottle(options: MemoryThrottleOptions = {}): LoginThrottle {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const policy = options.policy ?? LOGIN_THROTTLE_POLICY;
  const maxEntries = options.maxEntries ?? 100_000;
  const failures = new ExpiringCounters(maxEntries);
  const pending = new ExpiringCounters(maxEntries);
  // Its own instance: every counter of one instance must live equally long (expiring-counters.ts).
  const known = new ExpiringCounters(maxEntries);

  // Known-ness changes only by a success, so reading it apart from the counts is no race that
  // matters: at worst one attempt in flight counts in the budget it started in.
  const subjects = (key: ThrottleKey, time: number) => {
    const marks = knownSourceMarks(key);
    return throttleSubjects(key, policy, {
      device: marks.device !== undefined && known.get(marks.device, time) !== undefined,
      address: known.get(marks.address, time) !== undefined,
    });
  };

  const releasePending = (key: ThrottleKey, time: number) => {
    for (const subject of subjects(key, time)) pending.decrement(subject.id, time);
  };

  return {
    async check(key: ThrottleKey): Promise<ThrottleVerdict> {
      const time = now();
      let waitSeconds = 0;
      for (const subject of subjects(key, time)) {
        const counter = failures.get(subject.id, time);
        if (counter !== undefined && counter.count >= subject.limit) {
          waitSeconds = Math.max(waitSeconds, counter.expiresAt - time);
        }
      }
      if (waitSeconds > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
      for (const subject of subjects(key, time)) {
        const inFlight = pending.get(subject.id, time)?.count ?? 0;
        const failed = failures.get(subject.id, time)?.count ?? 0;
        // The attempts in flight resolve within seconds: either they fail and the lock starts, or
        // they succeed and the slot frees up.
        if (failed + inFlight >= subject.limit) return { allowed: false, retryAfterSeconds: 1 };
      }
      for (const subject of subjects(key, time)) {
        pending.increment(subject.id, time, { ttlSeconds: policy.pendingAttemptTtlSeconds, extend: true });
      }
      return { allowed: true };
    },

    async recordFailure(key: ThrottleKey): Promise<void> {
      const time = now();
      for (const subject of subjects(key, time)) {
        failures.increment(subject.id, time, { ttlSeconds: policy.windowSeconds, extend: false });
      }
      releasePending(key, time);
    },

    async recordSuccess(key: ThrottleKey): Promise<void> {
      const time = now();
      const [account] = subjects(key, time);
      failures.delete(account.id);
      releasePending(key, time);
      const marks = knownSourceMarks(key);
      for (const mark of [marks.device, marks.address]) {
        if (mark === undefined) continue;
        // A fresh counter each time: it only marks, and `extend` restarts its lifetime.
        known.delete(mark);
        known.increment(mark, time, { ttlSeconds: policy.knownSourceTtlSeconds, extend: true });
      }
    },
  };
}
