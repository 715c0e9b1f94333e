/**
 * The PostgreSQL adapter (`pg` pool, READ COMMITTED): the shared Kysely queries for admin CRUD, and
 * hand-written SQL for the session hot paths, each one statement where the port allows.
 */
import { Kysely, PostgresDialect } from 'kysely';
import { activityQueries } from '../activity-queries.js';
import { eventQueries } from '../event-queries.js';
import { grantQueries } from '../grant-queries.js';
import type { Storage } from '../port.js';
import { deleteInBatches, POSTGRES_PRUNE_BATCH_SIZE } from '../prune-batches.js';
import { toClient, toEnvironment } from '../rows.js';
import type { ClientRow, Database, EnvironmentRow } from '../schema.js';
import { sessionEndingQueries } from '../session-ending-queries.js';
import { sharedQueries } from '../shared-queries.js';
import { webhookQueries } from '../webhook-queries.js';
import { migratePostgres, postgresMigrationStatus } from './migrate.js';
import { createPool, type PostgresPoolOptions } from './pool.js';
import { listUserMemberships, loadRefreshContext } from './refresh-context.js';
import {
  addFirstSigningKey,
  addSigningKey,
  changeUser,
  createSession,
  endSession,
  endUserSessions,
  rotateRefreshToken,
  touchSession,
} from './session-writes.js';
import { postgresAppendEvent, postgresWebhookWrites } from './webhooks.js';

export type PostgresStorageOptions = PostgresPoolOptions;

export function createPostgresStorage(options: PostgresStorageOptions): Storage {
  const pool = createPool(options);
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;

  return {
    ...sharedQueries(kysely),
    ...grantQueries(kysely),
    ...sessionEndingQueries(kysely),
    ...activityQueries(kysely),
    ...webhookQueries(kysely, { pruneBatchSize: POSTGRES_PRUNE_BATCH_SIZE }),
    ...postgresWebhookWrites(pool),
    ...eventQueries(kysely),
    appendEvent: postgresAppendEvent(pool),
    migrate: () => migratePostgres(pool),
    migrationStatus: () => postgresMigrationStatus(pool),
    async close() {
      if (closed) return;
      closed = true;
      // Kysely ends the pool only if it ever used it; the adapter's own queries go to the pool
      // directly, so a storage that ran only those would keep its connections open.
      await kysely.destroy();
      if (!pool.ended && !pool.ending) await pool.end();
    },
    async databaseTime() {
      const { rows } = await pool.query<{ now: number }>(
        'SELECT extract(epoch from clock_timestamp())::float8 AS now',
      );
      return rows[0]!.now;
    },

    // Read on every session-API request: a named statement rather than a Kysely query.
    async getEnvironment(envId) {
      const { rows } = await pool.query<EnvironmentRow>({
        name: 'tessera_get_environment',
        text: 'SELECT * FROM environments WHERE id = $1',
        values: [envId],
      });
      return rows[0] ? toEnvironment(rows[0]) : null;
    },
    async getClient(envId, clientId) {
      const { rows } = await pool.query<ClientRow>({
        name: 'tessera_get_client',
        text: 'SELECT * FROM clients WHERE env_id = $1 AND client_id = $2',
        values: [envId, clientId],
      });
      return rows[0] ? toClient(rows[0]) : null;
    },
    createSession: (input) => createSession(pool, input),
    loadRefreshContext: (tokenHash, clientId) => loadRefreshContext(pool, tokenHash, clientId),
    rotateRefreshToken: (input) => rotateRefreshToken(pool, input),
    touchSession: (input) => touchSession(pool, input),
    endSession: (sessionId, reason, now) => endSession(pool, sessionId, reason, now),
    endUserSessions: (input) => endUserSessions(pool, input),
    setUserStatus: ({ envId, userId, status, now }) => changeUser(pool, envId, userId, status, now),
    deleteUser: (envId, userId, now) => changeUser(pool, envId, userId, 'delete', now),
    listUserMemberships: (envId, userId) => listUserMemberships(pool, envId, userId),
    addSigningKey: (key) => addSigningKey(pool, key),
    addFirstSigningKey: (key) => addFirstSigningKey(pool, key),
    async pruneSessionHistory({ rotatedBefore, endedBefore, grantsExpiredBefore }, options) {
      const batches = { batchSize: POSTGRES_PRUNE_BATCH_SIZE, signal: options?.signal };
      const batch = (sql: string, before: number) => async (limit: number) =>
        (await pool.query(sql, [before, limit])).rowCount ?? 0;
      const refreshTokens = await deleteInBatches(
        batch(
          `DELETE FROM refresh_tokens WHERE ctid IN (
             SELECT ctid FROM refresh_tokens WHERE rotated_at IS NOT NULL AND rotated_at < $1 LIMIT $2)`,
          rotatedBefore,
        ),
        batches,
      );
      const sessions = await deleteInBatches(
        batch(
          `DELETE FROM sessions WHERE id IN (
             SELECT id FROM sessions WHERE ended_at IS NOT NULL AND ended_at < $1 LIMIT $2)`,
          endedBefore,
        ),
        batches,
      );
      const authorizationCodes = await deleteInBatches(
        batch(
          `DELETE FROM authorization_codes WHERE code_hash IN (
             SELECT code_hash FROM authorization_codes WHERE expires_at < $1 LIMIT $2)`,
          grantsExpiredBefore,
        ),
        batches,
      );
      const interactions = await deleteInBatches(
        batch(
          `DELETE FROM interactions WHERE id_hash IN (
             SELECT id_hash FROM interactions WHERE expires_at < $1 LIMIT $2)`,
          grantsExpiredBefore,
        ),
        batches,
      );
      return { refreshTokens, sessions, authorizationCodes, interactions };
    },
    pruneEvents: (before, options) =>
      deleteInBatches(
        async (limit) =>
          (
            await pool.query(
              'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE at < $1 LIMIT $2)',
              [before, limit],
            )
          ).rowCount ?? 0,
        { batchSize: POSTGRES_PRUNE_BATCH_SIZE, signal: options?.signal },
      ),
  };
}
