/**
 * Upgrading a database that holds rows: each dialect is brought to the state before a migration
 * by the migrations themselves, filled, and then migrated by the adapter as at a start.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStorage } from '../open.js';
import type { Storage } from '../port.js';
import { createTestSchema, postgresTestAvailability } from '../postgres/test-database.js';
import { prepareStatements } from '../sqlite/statements.js';
import {
  type ColumnTypes,
  MIGRATIONS,
  MIGRATIONS_TABLE_DDL,
  POSTGRES_COLUMN_TYPES,
  SQLITE_COLUMN_TYPES,
} from './migrations.js';

/** An environment, a user and a session with its first client, as 0003 left them. */
const ROWS_BEFORE_0004 = [
  `INSERT INTO environments (id, name, token_settings, session_policy, created_at)
     VALUES ('env-a', 'A', '{"accessTokenTtlSeconds":300}', '{"onLimit":"reject"}', 1)`,
  `INSERT INTO users (env_id, id, email, email_normalized, name, password_hash, status, created_at)
     VALUES ('env-a', 'user-a', 'a@example.com', 'a@example.com', NULL, 'hash', 'active', 1)`,
  `INSERT INTO sessions (id, env_id, user_id, client_id, created_at, auth_time, last_active_at, last_refresh_at)
     VALUES ('s-1', 'env-a', 'user-a', 'web', 1, 1, 1, 1)`,
  "INSERT INTO session_clients (session_id, client_id, added_at) VALUES ('s-1', 'web', 1)",
];

/** The statements that build the schema up to, not including, `migrationId`, and record them. */
function statementsBefore(migrationId: string, types: ColumnTypes): string[] {
  const index = MIGRATIONS.findIndex((migration) => migration.id === migrationId);
  return [
    MIGRATIONS_TABLE_DDL,
    ...MIGRATIONS.slice(0, index).flatMap((migration) => [
      ...migration.statements(types),
      `INSERT INTO tessera_migrations (id, applied_at) VALUES ('${migration.id}', 1)`,
    ]),
  ];
}

async function expectUpgradedFrom0003(storage: Storage): Promise<void> {
  await storage.migrate();
  expect((await storage.getEnvironment('env-a'))?.branding).toEqual({});
  // 0010: an environment from before webhooks may target public addresses only.
  expect((await storage.getEnvironment('env-a'))?.webhookSettings).toEqual({ allowPrivateTargets: false });
  expect(await storage.getSessionClientScopes('s-1', 'web')).toEqual([]);
  await storage.addSessionClient({ sessionId: 's-1', clientId: 'web', now: 2, scopes: ['openid'] });
  expect(await storage.getSessionClientScopes('s-1', 'web')).toEqual(['openid']);
  // 0007: a session from before the activity order has 0, and its next activity takes a new one.
  expect((await storage.getSession('s-1'))?.activityOrder).toBe(0);
  await storage.touchSession({ sessionId: 's-1', now: 2, activity: true });
  expect((await storage.getSession('s-1'))?.activityOrder).toBeGreaterThan(0);
  // 0009: a session from before has no last IP; the activity counters start empty.
  expect((await storage.getSession('s-1'))?.lastIp).toBeNull();
  expect(await storage.listActivityCounts('env-a', 0, 120)).toEqual([]);
  await storage.addActivityCounts([{ envId: 'env-a', minute: 60, name: 'login', count: 1 }]);
  expect(await storage.countLiveSessions('env-a')).toBe(1);
}

const postgresAvailable = await postgresTestAvailability();

/**
 * Opens storage over a database that stopped just before `migration` and holds `rows`, lets
 * `check` migrate and inspect it, then closes and removes it. `check` gets the time before the
 * storage opened (on PostgreSQL the database's clock decides: a second is allowed for a node behind it).
 */
async function upgradeFrom(
  backend: 'sqlite' | 'postgres',
  migration: string,
  rows: readonly string[],
  check: (storage: Storage, before: number) => Promise<void>,
): Promise<void> {
  if (backend === 'sqlite') {
    const directory = mkdtempSync(join(tmpdir(), 'tessera-upgrade-'));
    try {
      const file = join(directory, `${randomUUID()}.db`);
      const db = new Database(file);
      for (const statement of statementsBefore(migration, SQLITE_COLUMN_TYPES)) db.exec(statement);
      for (const statement of rows) db.exec(statement);
      db.close();
      const before = Math.floor(Date.now() / 1000);
      const storage = await openStorage(`sqlite:${file}`);
      try {
        await check(storage, before);
      } finally {
        await storage.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    return;
  }
  const schema = await createTestSchema();
  try {
    const client = new pg.Client({ connectionString: schema.url, options: `-c search_path=${schema.name}` });
    await client.connect();
    try {
      for (const statement of statementsBefore(migration, POSTGRES_COLUMN_TYPES))
        await client.query(statement);
      for (const statement of rows) await client.query(statement);
    } finally {
      await client.end();
    }
    const before = Math.floor(Date.now() / 1000) - 1;
    const storage = await openStorage(schema.url, { schema: schema.name });
    try {
      await check(storage, before);
    } finally {
      await storage.close();
    }
  } finally {
    await schema.drop();
  }
}

describe('migration 0004 on a database with rows', () => {
  it('on SQLite: every environment has empty branding, every session client no scopes', async () => {
    await upgradeFrom('sqlite', '0004_branding_and_client_scopes', ROWS_BEFORE_0004, expectUpgradedFrom0003);
  });

  it.skipIf(!postgresAvailable)(
    'on PostgreSQL: every environment has empty branding, every session client no scopes',
    async () => {
      await upgradeFrom(
        'postgres',
        '0004_branding_and_client_scopes',
        ROWS_BEFORE_0004,
        expectUpgradedFrom0003,
      );
    },
  );
});

/** Before 0006: a session of a spa only, one that a confidential client joined, and an ended one. */
const ROWS_BEFORE_0006 = [
  ...ROWS_BEFORE_0004,
  `INSERT INTO clients (env_id, client_id, name, type, secret_hash, redirect_uris, allowed_origins,
     post_logout_redirect_uris, created_at)
     VALUES ('env-a', 'web', 'Web', 'spa', NULL, '[]', '[]', '[]', 1),
            ('env-a', 'server', 'Server', 'confidential', 'hash', '[]', '[]', '[]', 1)`,
  `INSERT INTO sessions (id, env_id, user_id, client_id, created_at, auth_time, last_active_at, last_refresh_at)
     VALUES ('s-2', 'env-a', 'user-a', 'web', 1, 1, 1, 1), ('s-3', 'env-a', 'user-a', 'web', 1, 1, 1, 1)`,
  `INSERT INTO session_clients (session_id, client_id, added_at)
     VALUES ('s-2', 'web', 1), ('s-2', 'server', 2), ('s-3', 'web', 1), ('s-3', 'server', 2)`,
  "UPDATE sessions SET ended_at = 5, end_reason = 'logout' WHERE id = 's-3'",
  `INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at)
     VALUES ('h-1', 's-1', 1, 99999999999), ('h-2', 's-2', 1, 99999999999), ('h-2b', 's-2', 2, 99999999999)`,
];

async function expectUpgradedFrom0005(storage: Storage, before: number): Promise<void> {
  await storage.migrate();
  // A spa-only session: its tokens are the browser's, and it lives on.
  const spa = await storage.loadRefreshContext('h-1');
  expect(spa?.token.clientId).toBeNull();
  expect(spa?.session.endedAt).toBeNull();
  // A session a confidential client had joined: its tokens could be either's, so it ended.
  const joined = await storage.getSession('s-2');
  expect(joined?.endReason).toBe('revoked');
  expect(joined?.endedAt).toBeGreaterThanOrEqual(before);
  expect((await storage.loadRefreshContext('h-2b'))?.token.clientId).toBeNull();
  // An ended session stays as it ended.
  expect(await storage.getSession('s-3')).toMatchObject({ endedAt: 5, endReason: 'logout' });
}

describe('migration 0006 on a database with rows', () => {
  it('on SQLite: spa-only sessions keep the browser’s tokens; one a confidential client joined ends', async () => {
    await upgradeFrom('sqlite', '0006_refresh_token_clients', ROWS_BEFORE_0006, expectUpgradedFrom0005);
  });

  it.skipIf(!postgresAvailable)(
    'on PostgreSQL: spa-only sessions keep the browser’s tokens; one a confidential client joined ends',
    async () => {
      await upgradeFrom('postgres', '0006_refresh_token_clients', ROWS_BEFORE_0006, expectUpgradedFrom0005);
    },
  );
});

/**
 * Before 0011: a live session with a token superseded long ago and its current one, a session
 * ended long ago with an expired authorization code, and one ended recently.
 */
const ROWS_BEFORE_0011 = [
  ...ROWS_BEFORE_0004,
  `INSERT INTO clients (env_id, client_id, name, type, secret_hash, redirect_uris, allowed_origins,
     post_logout_redirect_uris, created_at)
     VALUES ('env-a', 'web', 'Web', 'spa', NULL, '[]', '[]', '[]', 1)`,
  `INSERT INTO sessions (id, env_id, user_id, client_id, created_at, auth_time, last_active_at, last_refresh_at,
     ended_at, end_reason)
     VALUES ('s-old', 'env-a', 'user-a', 'web', 1, 1, 1, 1, 10, 'logout'),
            ('s-recent', 'env-a', 'user-a', 'web', 1, 1, 1, 1, 1000, 'logout')`,
  `INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at, rotated_at, successor_hash)
     VALUES ('h-first', 's-1', 1, 99999999999, 10, 'h-current'),
            ('h-current', 's-1', 10, 99999999999, NULL, NULL),
            ('h-old', 's-old', 1, 99999999999, NULL, NULL)`,
  `INSERT INTO authorization_codes (code_hash, env_id, client_id, session_id, user_id, tenant_id, redirect_uri,
     code_challenge, scopes, nonce, auth_time, issued_at, expires_at, redeemed_at)
     VALUES ('c-old', 'env-a', 'web', 's-old', 'user-a', 't', 'https://app.example/cb', 'x', '[]', NULL, 1, 1, 99999999999, NULL)`,
];

async function expectPrunedAfter0011(storage: Storage): Promise<void> {
  await storage.migrate();
  expect(
    await storage.pruneSessionHistory({ rotatedBefore: 100, endedBefore: 100, grantsExpiredBefore: 100 }),
  ).toEqual({ refreshTokens: 1, sessions: 1, authorizationCodes: 0, interactions: 0 });
  expect(await storage.loadRefreshContext('h-first')).toBeNull();
  expect((await storage.loadRefreshContext('h-current'))?.session.id).toBe('s-1');
  // The old session went with its token and, through the cascade, its unexpired code.
  expect(await storage.getSession('s-old')).toBeNull();
  expect(await storage.loadRefreshContext('h-old')).toBeNull();
  const binding = { clientId: 'web', redirectUri: 'https://app.example/cb', codeChallenge: 'x' };
  expect(await storage.redeemAuthorizationCode('c-old', 3, binding)).toBeNull();
  expect((await storage.getSession('s-recent'))?.endReason).toBe('logout');
}

describe('migration 0011 (prune indexes) on a database with rows', () => {
  it('on SQLite: the pruner deletes what is past retention and keeps the rest', async () => {
    await upgradeFrom('sqlite', '0011_prune_indexes', ROWS_BEFORE_0011, expectPrunedAfter0011);
  });

  it.skipIf(!postgresAvailable)(
    'on PostgreSQL: the pruner deletes what is past retention and keeps the rest',
    async () => {
      await upgradeFrom('postgres', '0011_prune_indexes', ROWS_BEFORE_0011, expectPrunedAfter0011);
    },
  );

  it('on SQLite: every prune statement, and the cascade to authorization codes, seeks by index', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'tessera-plans-'));
    try {
      const file = join(directory, 'plans.db');
      const storage = await openStorage(`sqlite:${file}`);
      await storage.migrate();
      await storage.close();
      const db = new Database(file);
      try {
        const statements = prepareStatements(db);
        const plans = {
          pruneRotatedTokens: statements.pruneRotatedTokens.source,
          pruneEndedSessions: statements.pruneEndedSessions.source,
          pruneExpiredAuthorizationCodes: statements.pruneExpiredAuthorizationCodes.source,
          pruneExpiredInteractions: statements.pruneExpiredInteractions.source,
          pruneEvents: statements.pruneEvents.source,
          cascade: 'DELETE FROM authorization_codes WHERE session_id = @before',
        };
        for (const [name, sql] of Object.entries(plans)) {
          const details = db
            .prepare<{ before: number; limit: number }, { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
            .all({ before: 1, limit: 1000 })
            .map((row) => row.detail);
          // A seek reads "SEARCH …"; "SCAN <table>" reads it all, "SCAN … USING INDEX" walks a whole index.
          expect(
            details.filter((detail) => detail.startsWith('SCAN')),
            name,
          ).toEqual([]);
        }
      } finally {
        db.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
