import type { ColumnTypes } from './migrations.js';

/**
 * Session events (docs/events.md): what happened to an environment's sessions and settings, newest
 * first. `at` is epoch milliseconds (the only column in milliseconds: two events of one second keep
 * their order for the console's tail). No foreign keys: an event outlives its user, session and
 * environment until retention prunes it. The indexes serve the API's filters, each in the list's
 * order (`at`, `id` descending), and the pruning by `at`.
 */
export function eventsSchema({ id, text, time, json, tableOptions }: ColumnTypes): string[] {
  return [
    `CREATE TABLE events (
      id ${id} PRIMARY KEY,
      env_id ${id} NOT NULL,
      type ${id} NOT NULL,
      at ${time} NOT NULL,
      user_id ${id},
      sid ${id},
      tenant_id ${id},
      client_id ${id},
      ip ${text},
      user_agent ${text},
      details ${json} NOT NULL
    )${tableOptions}`,
    'CREATE INDEX events_by_env ON events (env_id, at, id)',
    'CREATE INDEX events_by_user ON events (env_id, user_id, at, id) WHERE user_id IS NOT NULL',
    'CREATE INDEX events_by_session ON events (env_id, sid, at, id) WHERE sid IS NOT NULL',
    'CREATE INDEX events_by_type ON events (env_id, type, at, id)',
    'CREATE INDEX events_by_time ON events (at)',
  ];
}
