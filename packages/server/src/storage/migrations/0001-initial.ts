import type { ColumnTypes } from './migrations.js';

/**
 * Sessions keep no foreign key to users: a deleted user's sessions stay, ended with
 * `user_deleted`, so the revocation feed can still announce them.
 */
export function initialSchema({ id, text, time, json, tableOptions }: ColumnTypes): string[] {
  return [
    `CREATE TABLE environments (
      id ${id} PRIMARY KEY,
      name ${text} NOT NULL,
      token_settings ${json} NOT NULL,
      session_policy ${json} NOT NULL,
      created_at ${time} NOT NULL
    )${tableOptions}`,
    `CREATE TABLE clients (
      env_id ${id} NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
      client_id ${id} NOT NULL,
      name ${text} NOT NULL,
      type ${text} NOT NULL CHECK (type IN ('spa', 'confidential')),
      secret_hash ${text},
      redirect_uris ${json} NOT NULL,
      allowed_origins ${json} NOT NULL,
      post_logout_redirect_uris ${json} NOT NULL,
      created_at ${time} NOT NULL,
      PRIMARY KEY (env_id, client_id)
    )${tableOptions}`,
    `CREATE TABLE roles (
      env_id ${id} NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
      key ${id} NOT NULL,
      name ${text} NOT NULL,
      permissions ${json} NOT NULL,
      PRIMARY KEY (env_id, key)
    )${tableOptions}`,
    `CREATE TABLE tenants (
      env_id ${id} NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
      id ${id} NOT NULL,
      name ${text} NOT NULL,
      session_policy ${json} NOT NULL,
      created_at ${time} NOT NULL,
      PRIMARY KEY (env_id, id)
    )${tableOptions}`,
    `CREATE TABLE users (
      env_id ${id} NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
      id ${id} NOT NULL,
      email ${text} NOT NULL,
      email_normalized ${id} NOT NULL,
      name ${text},
      password_hash ${text} NOT NULL,
      status ${text} NOT NULL CHECK (status IN ('active', 'disabled')),
      created_at ${time} NOT NULL,
      PRIMARY KEY (env_id, id),
      UNIQUE (env_id, email_normalized)
    )${tableOptions}`,
    `CREATE TABLE memberships (
      env_id ${id} NOT NULL,
      tenant_id ${id} NOT NULL,
      user_id ${id} NOT NULL,
      roles ${json} NOT NULL,
      created_at ${time} NOT NULL,
      PRIMARY KEY (env_id, tenant_id, user_id),
      FOREIGN KEY (env_id, tenant_id) REFERENCES tenants (env_id, id) ON DELETE CASCADE,
      FOREIGN KEY (env_id, user_id) REFERENCES users (env_id, id) ON DELETE CASCADE
    )${tableOptions}`,
    'CREATE INDEX memberships_by_user ON memberships (env_id, user_id, created_at)',
    `CREATE TABLE sessions (
      id ${id} PRIMARY KEY,
      env_id ${id} NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
      user_id ${id} NOT NULL,
      client_id ${id} NOT NULL,
      created_at ${time} NOT NULL,
      auth_time ${time} NOT NULL,
      last_active_at ${time} NOT NULL,
      last_refresh_at ${time} NOT NULL,
      default_tenant_id ${id},
      user_agent ${text},
      ip ${text},
      ended_at ${time},
      end_reason ${text}
    )${tableOptions}`,
    'CREATE INDEX sessions_live_by_user ON sessions (env_id, user_id, created_at) WHERE ended_at IS NULL',
    `CREATE TABLE refresh_tokens (
      token_hash ${id} PRIMARY KEY,
      session_id ${id} NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      issued_at ${time} NOT NULL,
      expires_at ${time} NOT NULL,
      rotated_at ${time},
      successor_hash ${id}
    )${tableOptions}`,
    'CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id)',
    `CREATE TABLE signing_keys (
      env_id ${id} NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
      kid ${id} NOT NULL,
      alg ${text} NOT NULL,
      public_jwk ${json} NOT NULL,
      private_key_encrypted ${text} NOT NULL,
      created_at ${time} NOT NULL,
      activates_at ${time} NOT NULL,
      retired_at ${time},
      PRIMARY KEY (env_id, kid)
    )${tableOptions}`,
  ];
}
