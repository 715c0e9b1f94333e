import type { ColumnTypes } from './migrations.js';

/**
 * Where a session was last used, and the activity counters of the console's dashboard (issue #11).
 *
 * `sessions.last_ip`: the IP of the session's latest refresh (the login IP stays in `ip`), written
 * by the rotation's own UPDATE of the session, so the hot path gains no statement.
 *
 * `activity_counts`: per environment and minute (epoch seconds of the minute's start), how many
 * logins, login failures, refreshes and refusals by code each node counted in memory. Nodes add to
 * a row with one atomic upsert, so several nodes sum up; pruned after 48 hours (by `minute`).
 *
 * The environment's live sessions, most recently active first, need no new index: 0005's
 * `sessions_live_by_activity (env_id, last_active_at) WHERE ended_at IS NULL` serves them.
 */
export function sessionPlacesAndActivitySchema({ id, text, time, tableOptions }: ColumnTypes): string[] {
  return [
    `ALTER TABLE sessions ADD COLUMN last_ip ${text}`,
    `CREATE TABLE activity_counts (
      env_id ${id} NOT NULL,
      minute ${time} NOT NULL,
      name ${id} NOT NULL,
      count ${time} NOT NULL,
      PRIMARY KEY (env_id, minute, name)
    )${tableOptions}`,
    'CREATE INDEX activity_counts_by_minute ON activity_counts (minute)',
  ];
}
