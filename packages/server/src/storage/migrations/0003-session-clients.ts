import type { ColumnTypes } from './migrations.js';

/**
 * The clients a session has been authorized for (ADR 0004): its refresh token works for each of
 * them, so one browser session serves every app of an environment after single sign-on.
 */
export function sessionClientsSchema({ id, time, tableOptions }: ColumnTypes): string[] {
  return [
    `CREATE TABLE session_clients (
      session_id ${id} NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      client_id ${id} NOT NULL,
      added_at ${time} NOT NULL,
      PRIMARY KEY (session_id, client_id)
    )${tableOptions}`,
    'INSERT INTO session_clients (session_id, client_id, added_at) SELECT id, client_id, created_at FROM sessions',
  ];
}
