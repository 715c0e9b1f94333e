import type { ColumnTypes } from './migrations.js';

/**
 * Hosted login (issue #3): single-use authorization codes and the pending authorization requests
 * ("interactions") behind the login page. Both hold only hashes of their secrets.
 */
export function hostedLoginSchema({ id, text, time, json, tableOptions }: ColumnTypes): string[] {
  return [
    `CREATE TABLE authorization_codes (
      code_hash ${id} PRIMARY KEY,
      env_id ${id} NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
      client_id ${id} NOT NULL,
      session_id ${id} NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      user_id ${id} NOT NULL,
      tenant_id ${id} NOT NULL,
      redirect_uri ${text} NOT NULL,
      code_challenge ${text} NOT NULL,
      scopes ${json} NOT NULL,
      nonce ${text},
      auth_time ${time} NOT NULL,
      issued_at ${time} NOT NULL,
      expires_at ${time} NOT NULL,
      redeemed_at ${time}
    )${tableOptions}`,
    `CREATE TABLE interactions (
      id_hash ${id} PRIMARY KEY,
      env_id ${id} NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
      client_id ${id} NOT NULL,
      request ${json} NOT NULL,
      csrf_token_hash ${text} NOT NULL,
      user_id ${id},
      auth_time ${time},
      created_at ${time} NOT NULL,
      expires_at ${time} NOT NULL
    )${tableOptions}`,
  ];
}
