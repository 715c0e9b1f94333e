import type { ColumnTypes } from './migrations.js';

/**
 * Session times are whole seconds, so several logins or refreshes in one second tied and the
 * session limit evicted by random id (issue #9). `activity_order` orders activity below the
 * second. PostgreSQL takes it from a sequence: one counter for every node, never reset, where a
 * per-process counter or a node's clock would not be monotonic across nodes. SQLite has one
 * writer at a time, so the next value is the largest stored one plus one, read in the writing
 * statement (indexed). Sessions from before the migration share 0 and keep the old order.
 */
export function sessionActivityOrderSchema({ dialect, time }: ColumnTypes): string[] {
  const column = `ALTER TABLE sessions ADD COLUMN activity_order ${time} NOT NULL DEFAULT 0`;
  return dialect === 'postgres'
    ? [
        column,
        'CREATE SEQUENCE session_activity_order AS bigint',
        "ALTER TABLE sessions ALTER COLUMN activity_order SET DEFAULT nextval('session_activity_order')",
      ]
    : [column, 'CREATE INDEX sessions_by_activity_order ON sessions (activity_order)'];
}
