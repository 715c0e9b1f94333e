/**
 * The SQLite adapter (better-sqlite3 12): one connection per process, WAL, and every write
 * transaction `BEGIN IMMEDIATE`, so concurrent writers from other processes queue on the write lock
 * (busy_timeout) instead of failing when a read transaction tries to upgrade.
 *
 * Transactions are synchronous: nothing else runs on the connection while one is open, so the
 * shared Kysely queries (single statements) never interleave with them.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { EndReason, SessionRecord } from '../../engine/records.js';
import { activityQueries } from '../activity-queries.js';
import { eventQueries } from '../event-queries.js';
import { grantQueries } from '../grant-queries.js';
import type {
  CreateSessionInput,
  CreateSessionResult,
  EndUserSessionsInput,
  RotateRefreshTokenInput,
} from '../port/sessions.js';
import type { Storage } from '../port.js';
import type { StorageLogger } from '../postgres/pool.js';
import {
  deleteInBatches,
  SQLITE_PRUNE_BATCH_SIZE,
  SQLITE_SESSION_PRUNE_BATCH_SIZE,
} from '../prune-batches.js';
import type { RefreshContext } from '../records.js';
import {
  parseJson,
  sessionRow,
  signingKeyRow,
  toClient,
  toEnvironment,
  toMembershipView,
  toRefreshToken,
  toSession,
  toUser,
} from '../rows.js';
import type { MembershipViewRow, RefreshTokenRow, Database as Tables } from '../schema.js';
import { sessionEndingQueries } from '../session-ending-queries.js';
import { sharedQueries } from '../shared-queries.js';
import { webhookQueries } from '../webhook-queries.js';
import { useBackgroundCheckpoints } from './checkpointer.js';
import { migrateSqlite, sqliteMigrationStatus } from './migrate.js';
import { rotationBatches } from './rotation-batches.js';
import { withStatementCache } from './statement-cache.js';
import { prepareStatements, type SqliteStatements } from './statements.js';
import { sqliteAppendEvent, sqliteWebhookWrites } from './webhooks.js';

const BUSY_TIMEOUT_MILLIS = 5000;

/** Opens (creating if needed) the database file, or an in-memory database for `:memory:`. */
export function createSqliteStorage(
  filename: string,
  options: { logger?: StorageLogger | undefined } = {},
): Storage {
  const db = new Database(filename, { timeout: BUSY_TIMEOUT_MILLIS });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MILLIS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const checkpointer =
    filename === ':memory:'
      ? null
      : useBackgroundCheckpoints(db, filename, (code) =>
          options.logger?.warn({ code }, 'SQLite background checkpoint failed'),
        );
  const kysely = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(db) }) });

  let prepared: SqliteStatements | undefined;
  const statements = () => {
    prepared ??= prepareStatements(db);
    return prepared;
  };
  const transactions = sqliteTransactions(db, statements);
  const inImmediateTransaction = db.transaction((work: () => unknown) => work());
  const rotations = rotationBatches(
    (work) => inImmediateTransaction.immediate(work) as ReturnType<typeof work>,
    (input: RotateRefreshTokenInput) => rotateInTransaction(statements(), input),
  );
  let closed = false;

  return {
    ...sharedQueries(kysely),
    ...grantQueries(kysely),
    ...sessionEndingQueries(kysely),
    ...activityQueries(kysely),
    ...webhookQueries(kysely, { pruneBatchSize: SQLITE_PRUNE_BATCH_SIZE }),
    ...sqliteWebhookWrites(db),
    ...eventQueries(kysely),
    appendEvent: sqliteAppendEvent(db),
    async migrate() {
      migrateSqlite(db);
    },
    async migrationStatus() {
      return sqliteMigrationStatus(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      rotations.flush();
      await checkpointer?.stop();
      await kysely.destroy();
    },
    async databaseTime() {
      return Date.now() / 1000;
    },

    // Read on every session-API request: prepared once rather than compiled by Kysely each time.
    async getEnvironment(envId) {
      const row = statements().environment.get(envId);
      return row ? toEnvironment(row) : null;
    },
    async getClient(envId, clientId) {
      const row = statements().client.get(envId, clientId);
      return row ? toClient(row) : null;
    },
    createSession: async (input) => transactions.createSession.immediate(input),
    loadRefreshContext: async (tokenHash, clientId) => transactions.loadRefreshContext(tokenHash, clientId),
    // Group commit: the rotations of one event-loop round share a transaction (rotation-batches.ts).
    rotateRefreshToken: (input) => rotations.rotate(input),
    async touchSession(input) {
      statements().recordSessionActivity.run({
        session_id: input.sessionId,
        now: input.now,
        refreshed: 0,
        activity: input.activity ? 1 : 0,
        default_tenant_id: input.defaultTenantId ?? null,
        last_ip: null,
      });
    },
    async endSession(sessionId, reason, now) {
      return statements().endSession.run({ id: sessionId, reason, now }).changes > 0;
    },
    async endUserSessions(input) {
      return endUserSessions(statements(), input);
    },
    setUserStatus: async ({ envId, userId, status, now }) =>
      transactions.changeUser.immediate({ envId, userId, now, change: status }),
    deleteUser: async (envId, userId, now) =>
      transactions.changeUser.immediate({ envId, userId, now, change: 'delete' }),
    listUserMemberships: async (envId, userId) =>
      statements().membershipViews.all(envId, userId).map(toMembershipView),
    async pruneSessionHistory({ rotatedBefore, endedBefore, grantsExpiredBefore }, options) {
      const s = statements();
      const batches = { batchSize: SQLITE_PRUNE_BATCH_SIZE, signal: options?.signal };
      const refreshTokens = await deleteInBatches(
        async (limit) => s.pruneRotatedTokens.run({ before: rotatedBefore, limit }).changes,
        batches,
      );
      const sessions = await deleteInBatches(
        async (limit) => s.pruneEndedSessions.run({ before: endedBefore, limit }).changes,
        { ...batches, batchSize: SQLITE_SESSION_PRUNE_BATCH_SIZE },
      );
      const authorizationCodes = await deleteInBatches(
        async (limit) => s.pruneExpiredAuthorizationCodes.run({ before: grantsExpiredBefore, limit }).changes,
        batches,
      );
      const interactions = await deleteInBatches(
        async (limit) => s.pruneExpiredInteractions.run({ before: grantsExpiredBefore, limit }).changes,
        batches,
      );
      return { refreshTokens, sessions, authorizationCodes, interactions };
    },
    async pruneEvents(before, options) {
      const s = statements();
      return deleteInBatches(async (limit) => s.pruneEvents.run({ before, limit }).changes, {
        batchSize: SQLITE_PRUNE_BATCH_SIZE,
        signal: options?.signal,
      });
    },
    async addSigningKey(key) {
      transactions.addSigningKey.immediate(signingKeyRow(key));
    },
    async addFirstSigningKey(key) {
      // IMMEDIATE takes the write lock before the check: another process's first key is either
      // committed and seen, or waits for this one.
      return transactions.addFirstSigningKey.immediate(signingKeyRow(key));
    },
  };
}

function endUserSessions(s: SqliteStatements, params: EndUserSessionsInput): string[] {
  return s.endUserSessions
    .all({
      env_id: params.envId,
      user_id: params.userId,
      reason: params.reason,
      now: params.now,
      except_id: params.exceptSessionId ?? null,
    })
    .map((row) => row.id);
}

interface UserChange {
  envId: string;
  userId: string;
  now: number;
  change: 'active' | 'disabled' | 'delete';
}

function sqliteTransactions(db: Database.Database, statements: () => SqliteStatements) {
  return {
    createSession: db.transaction(
      ({ session, token, replaces, decide }: CreateSessionInput): CreateSessionResult => {
        const s = statements();
        if (!s.userExists.get(session.envId, session.userId)) {
          throw new Error('createSession: the user does not exist');
        }
        const live: SessionRecord[] = s.liveSessions
          .all(session.envId, session.userId)
          .map(toSession)
          .filter((live) => live.id !== replaces);
        const decision = decide(live);
        if (decision.kind === 'reject') return { created: false };
        const ended: { sessionId: string; reason: EndReason }[] = [];
        const replaced = replaces === undefined ? [] : [{ sessionId: replaces, reason: 'replaced' as const }];
        for (const end of [...replaced, ...decision.end]) {
          const { changes } = s.endSession.run({
            id: end.sessionId,
            reason: end.reason,
            now: session.createdAt,
          });
          if (changes > 0) ended.push(end);
        }
        s.insertSession.run(sessionRow(session));
        s.insertSessionClient.run({
          session_id: session.id,
          client_id: session.clientId,
          added_at: session.createdAt,
        });
        s.insertRefreshToken.run({
          token_hash: token.hash,
          session_id: session.id,
          issued_at: token.issuedAt,
          expires_at: token.expiresAt,
        });
        return { created: true, ended };
      },
    ),

    // One statement, so one consistent snapshot for the whole context without a transaction.
    loadRefreshContext: (tokenHash: string, clientId?: string): RefreshContext | null => {
      const row = statements().refreshContext.get({ token_hash: tokenHash, client_id: clientId ?? null });
      if (!row) return null;
      const { refresh_tokens: token, sessions: session, users: user, environments: environment } = row;
      const successor = row.$.successor === null ? null : parseJson<RefreshTokenRow>(row.$.successor);
      return {
        token: toRefreshToken(token),
        successor: successor ? toRefreshToken(successor) : null,
        session: toSession(session),
        clientAuthorized: row.$.client_authorized === 1,
        user: toUser(user),
        memberships: parseJson<MembershipViewRow[]>(row.$.memberships).map(toMembershipView),
        environment: toEnvironment(environment),
      };
    },

    changeUser: db.transaction(({ envId, userId, now, change }: UserChange) => {
      const s = statements();
      const found =
        change === 'delete'
          ? s.deleteUser.run(envId, userId).changes > 0
          : s.setUserStatus.run(change, envId, userId).changes > 0;
      if (!found || change === 'active') return { found, endedSessionIds: [] };
      const reason = change === 'delete' ? 'user_deleted' : 'user_disabled';
      return { found, endedSessionIds: endUserSessions(s, { envId, userId, reason, now }) };
    }),

    addSigningKey: db.transaction((row: ReturnType<typeof signingKeyRow>) => {
      const s = statements();
      s.retireNewestSigningKey.run({ env_id: row.env_id, retired_at: row.activates_at });
      s.insertSigningKey.run({ ...row, retired_at: row.retired_at ?? null });
    }),

    addFirstSigningKey: db.transaction((row: ReturnType<typeof signingKeyRow>): boolean => {
      const s = statements();
      if (s.hasSigningKey.get(row.env_id) !== undefined) return false;
      s.insertSigningKey.run({ ...row, retired_at: row.retired_at ?? null });
      return true;
    }),
  };
}

/** One rotation's writes, inside the caller's transaction; `false` when the token had moved on. */
function rotateInTransaction(s: SqliteStatements, input: RotateRefreshTokenInput): boolean {
  const superseded = s.supersedeRefreshToken.run({
    presented_hash: input.presentedHash,
    session_id: input.sessionId,
    successor_hash: input.successor.hash,
    now: input.now,
  });
  if (superseded.changes !== 1) return false;
  s.insertSuccessorToken.run({
    presented_hash: input.presentedHash,
    successor_hash: input.successor.hash,
    issued_at: input.successor.issuedAt,
    expires_at: input.successor.expiresAt,
  });
  s.recordSessionActivity.run({
    session_id: input.sessionId,
    now: input.now,
    refreshed: 1,
    activity: input.activity ? 1 : 0,
    default_tenant_id: input.defaultTenantId ?? null,
    last_ip: input.ip ?? null,
  });
  return true;
}
