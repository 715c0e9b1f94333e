import type { ColumnTypes } from './migrations.js';

/**
 * Hosted login, continued: an environment's branding of its login pages (`{}` until set), and the
 * scopes each client of a session was last authorized for (`[]` for the rows from before).
 */
export function brandingAndClientScopesSchema({ json }: ColumnTypes): string[] {
  return [
    `ALTER TABLE environments ADD COLUMN branding ${json} NOT NULL DEFAULT '{}'`,
    `ALTER TABLE session_clients ADD COLUMN scopes ${json} NOT NULL DEFAULT '[]'`,
  ];
}
