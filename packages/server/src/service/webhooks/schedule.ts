/**
 * When a failed delivery is tried again (docs/webhooks.md). Pure: the attempt count and `now` in,
 * the next state out.
 */

/**
 * Seconds to wait after each failed attempt: the Standard Webhooks schedule (5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 10 h). Eight attempts over about 27.6 hours, then the delivery is `failed`.
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = Object.freeze([
  5,
  5 * 60,
  30 * 60,
  2 * 3600,
  5 * 3600,
  10 * 3600,
  10 * 3600,
]);

export type AfterFailure =
  | { status: 'pending'; nextAttemptAt: number }
  | { status: 'failed'; nextAttemptAt: null };

/**
 * What follows a failed attempt, given how many attempts were made before it.
 *
 * @example
 * afterFailure({ attemptsBefore: 0, now: 100, schedule: [5, 300] }); // { status: 'pending', nextAttemptAt: 105 }
 * afterFailure({ attemptsBefore: 2, now: 100, schedule: [5, 300] }); // { status: 'failed', nextAttemptAt: null }
 */
export function afterFailure(input: {
  attemptsBefore: number;
  now: number;
  schedule: readonly number[];
}): AfterFailure {
  const wait = input.schedule[input.attemptsBefore];
  return wait === undefined
    ? { status: 'failed', nextAttemptAt: null }
    : { status: 'pending', nextAttemptAt: input.now + wait };
}
