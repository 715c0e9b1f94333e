/**
 * The activity role of the storage port: per environment and minute, how many logins, login
 * failures, refreshes and refusals the nodes counted — the console's dashboard
 * (docs/operations.md, "Activity counters"). Each node counts in memory and adds its counts here
 * every few seconds, so the stored row is the sum over nodes.
 */

/** One counter of one environment and minute. */
export interface ActivityCount {
  envId: string;
  /** Epoch seconds of the minute's start (a multiple of 60). */
  minute: number;
  /** What was counted: `login`, `login_failed`, `refresh`, `refusal:<code>`. */
  name: string;
  /** A positive integer. */
  count: number;
}

export interface ActivityStore {
  /**
   * Adds each count to its row (environment, minute, name), creating it when absent, in one atomic
   * statement: nodes adding to the same row at once sum up, and nothing is lost or counted twice.
   * At most one item per row in one call.
   */
  addActivityCounts(counts: readonly ActivityCount[]): Promise<void>;
  /** The environment's counts for the minutes from `fromMinute` to `untilMinute` (both included), by minute then name. */
  listActivityCounts(envId: string, fromMinute: number, untilMinute: number): Promise<ActivityCount[]>;
  /** Deletes the counts of every minute before `before`; returns how many rows went. */
  pruneActivityCounts(before: number): Promise<number>;
}
