import type { ColumnTypes } from './migrations.js';

/**
 * Whose refresh token it is (RT-07; ADR 0004): `client_id` is `NULL` for the browser's refresh
 * cookie and names the confidential client a token was issued to at `/oauth/token`; successors
 * inherit it.
 *
 * Rows from before cannot be told apart once their family roots were pruned, so: every token of a
 * session that never had a confidential client is the browser's (exactly what it was), and a live
 * session that had one is ended (`revoked`), since its tokens could be either and a guess would
 * either sign the browser out or keep defect #9's bypass alive. Its browser signs in again and its
 * confidential client re-authorizes; the revocation feed announces the ending like any other.
 */
export function refreshTokenClientsSchema({ id, epochNow }: ColumnTypes): string[] {
  return [
    `ALTER TABLE refresh_tokens ADD COLUMN client_id ${id}`,
    `UPDATE sessions SET ended_at = ${epochNow}, end_reason = 'revoked'
      WHERE ended_at IS NULL AND EXISTS (
        SELECT 1 FROM session_clients AS sc
        JOIN clients AS c ON c.env_id = sessions.env_id AND c.client_id = sc.client_id
        WHERE sc.session_id = sessions.id AND c.type = 'confidential')`,
  ];
}
