/**
 * Session and refresh-token writes on PostgreSQL (READ COMMITTED). Where a decision depends on
 * rows that a concurrent transaction may add (the session limit, ending all of a user's sessions),
 * the user's row is locked first and the rows are read by a *later* statement, whose snapshot then
 * includes everything committed before the lock was granted.
 */
import type pg from 'pg';
import type { EndReason, UserStatus } from '../../engine/records.js';
import type {
  CreateSessionInput,
  CreateSessionResult,
  EndUserSessionsInput,
  RotateRefreshTokenInput,
  TouchSessionInput,
} from '../port/sessions.js';
import type { SigningKeyRecord } from '../records.js';
import { sessionRow, signingKeyRow, toSession } from '../rows.js';
import type { SessionRow } from '../schema.js';
import { withTransaction } from './pool.js';

type Queryable = pg.Pool | pg.PoolClient;

/**
 * Sets `last_active_at` (never backwards) and the next `activity_order` from the shared sequence
 * on activity (migration 0007), and the default tenant when given.
 */
function recordActivity(params: { activity: string; now: string; defaultTenantId: string }): string {
  return `last_active_at = CASE WHEN ${params.activity}::boolean
      THEN GREATEST(last_active_at, ${params.now}::bigint) ELSE last_active_at END,
    activity_order = CASE WHEN ${params.activity}::boolean
      THEN nextval('session_activity_order') ELSE activity_order END,
    default_tenant_id = coalesce(${params.defaultTenantId}::text, default_tenant_id)`;
}

// The session row is locked first (FOR UPDATE), so a concurrent end of the session either happens
// before (and the token is not superseded) or waits until this rotation has committed. Two rotations
// of one token then serialize, and the loser's UPDATE re-checks `rotated_at IS NULL` and skips.
const ROTATE_REFRESH_TOKEN_SQL = `
   WITH live_session AS (
     SELECT id FROM sessions WHERE id = $1 AND ended_at IS NULL FOR UPDATE
   ), superseded AS (
     UPDATE refresh_tokens SET rotated_at = $3, successor_hash = $4
     WHERE token_hash = $2 AND rotated_at IS NULL AND session_id IN (SELECT id FROM live_session)
     RETURNING session_id, client_id
   ), successor AS (
     INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at, client_id)
     SELECT $4, session_id, $5::bigint, $6::bigint, client_id FROM superseded
   ), refreshed AS (
     UPDATE sessions SET last_refresh_at = $3, last_ip = coalesce($9::text, last_ip),
       ${recordActivity({ activity: '$7', now: '$3', defaultTenantId: '$8' })}
     WHERE id IN (SELECT session_id FROM superseded)
   )
   SELECT count(*)::int AS rotated FROM superseded`;

const TOUCH_SESSION_SQL = `
  UPDATE sessions SET ${recordActivity({ activity: '$2', now: '$3', defaultTenantId: '$4' })}
  WHERE id = $1 AND ended_at IS NULL`;

const LIVE_SESSIONS_SQL =
  'SELECT * FROM sessions WHERE env_id = $1 AND user_id = $2 AND ended_at IS NULL ORDER BY created_at, id';

const INSERT_SESSION_SQL = `
  WITH ended AS (
    UPDATE sessions AS s SET ended_at = $1, end_reason = e.reason
    FROM unnest($2::text[], $3::text[]) AS e (id, reason)
    WHERE s.id = e.id AND s.ended_at IS NULL
    RETURNING s.id
  ), created AS (
    INSERT INTO sessions (id, env_id, user_id, client_id, created_at, auth_time, last_active_at,
      last_refresh_at, default_tenant_id, user_agent, ip)
    VALUES ($4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    RETURNING id
  ), first_token AS (
    INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at)
    SELECT $15::text, id, $16::bigint, $17::bigint FROM created
  ), first_client AS (
    INSERT INTO session_clients (session_id, client_id, added_at)
    SELECT id, $7, $8 FROM created
  )
  SELECT id FROM ended`;

const END_SESSION_SQL =
  'UPDATE sessions SET ended_at = $3, end_reason = $2 WHERE id = $1 AND ended_at IS NULL';

const END_USER_SESSIONS_SQL = `
  UPDATE sessions SET ended_at = $4, end_reason = $3
  WHERE env_id = $1 AND user_id = $2 AND ended_at IS NULL AND id IS DISTINCT FROM $5::text
  RETURNING id`;

export async function createSession(pool: pg.Pool, input: CreateSessionInput): Promise<CreateSessionResult> {
  const { session, token, replaces, decide } = input;
  return withTransaction(pool, async (client) => {
    const user = await client.query('SELECT 1 FROM users WHERE env_id = $1 AND id = $2 FOR UPDATE', [
      session.envId,
      session.userId,
    ]);
    if (user.rowCount === 0) throw new Error('createSession: the user does not exist');
    const live = await client.query<SessionRow>(LIVE_SESSIONS_SQL, [session.envId, session.userId]);
    const decision = decide(live.rows.map(toSession).filter((row) => row.id !== replaces));
    if (decision.kind === 'reject') return { created: false };
    const ends = [
      ...(replaces === undefined ? [] : [{ sessionId: replaces, reason: 'replaced' as const }]),
      ...decision.end,
    ];
    const row = sessionRow(session);
    const result = await client.query<{ id: string }>(INSERT_SESSION_SQL, [
      session.createdAt,
      ends.map((e) => e.sessionId),
      ends.map((e) => e.reason),
      row.id,
      row.env_id,
      row.user_id,
      row.client_id,
      row.created_at,
      row.auth_time,
      row.last_active_at,
      row.last_refresh_at,
      row.default_tenant_id,
      row.user_agent,
      row.ip,
      token.hash,
      token.issuedAt,
      token.expiresAt,
    ]);
    const endedIds = new Set(result.rows.map((r) => r.id));
    return { created: true, ended: ends.filter((e) => endedIds.has(e.sessionId)) };
  });
}

export async function rotateRefreshToken(pool: pg.Pool, input: RotateRefreshTokenInput): Promise<boolean> {
  // Named: parsed and planned once per connection, not on every refresh.
  const { rows } = await pool.query<{ rotated: number }>({
    name: 'tessera_rotate_refresh_token',
    text: ROTATE_REFRESH_TOKEN_SQL,
    values: [
      input.sessionId,
      input.presentedHash,
      input.now,
      input.successor.hash,
      input.successor.issuedAt,
      input.successor.expiresAt,
      input.activity,
      input.defaultTenantId ?? null,
      input.ip ?? null,
    ],
  });
  return rows[0]?.rotated === 1;
}

export async function touchSession(pool: pg.Pool, input: TouchSessionInput): Promise<void> {
  await pool.query(TOUCH_SESSION_SQL, [
    input.sessionId,
    input.activity,
    input.now,
    input.defaultTenantId ?? null,
  ]);
}

export async function endSession(
  pool: pg.Pool,
  sessionId: string,
  reason: EndReason,
  now: number,
): Promise<boolean> {
  const result = await pool.query(END_SESSION_SQL, [sessionId, reason, now]);
  return (result.rowCount ?? 0) > 0;
}

export async function endUserSessions(
  db: Queryable,
  { envId, userId, reason, now, exceptSessionId }: EndUserSessionsInput,
): Promise<string[]> {
  const result = await db.query<{ id: string }>(END_USER_SESSIONS_SQL, [
    envId,
    userId,
    reason,
    now,
    exceptSessionId ?? null,
  ]);
  return result.rows.map((row) => row.id);
}

type UserChange = UserStatus | 'delete';

/** Changes the user's row (taking its lock) and then ends their sessions, in one transaction. */
export async function changeUser(
  pool: pg.Pool,
  envId: string,
  userId: string,
  change: UserChange,
  now: number,
) {
  return withTransaction(pool, async (client) => {
    const result =
      change === 'delete'
        ? await client.query('DELETE FROM users WHERE env_id = $1 AND id = $2', [envId, userId])
        : await client.query('UPDATE users SET status = $3 WHERE env_id = $1 AND id = $2', [
            envId,
            userId,
            change,
          ]);
    const found = (result.rowCount ?? 0) > 0;
    if (!found || change === 'active') return { found, endedSessionIds: [] };
    const reason = change === 'delete' ? 'user_deleted' : 'user_disabled';
    return { found, endedSessionIds: await endUserSessions(client, { envId, userId, reason, now }) };
  });
}

/** The environment's row lock keeps two concurrent additions from both retiring the same key. */
export async function addSigningKey(pool: pg.Pool, key: SigningKeyRecord): Promise<void> {
  const row = signingKeyRow(key);
  await withTransaction(pool, async (client) => {
    await client.query('SELECT 1 FROM environments WHERE id = $1 FOR NO KEY UPDATE', [row.env_id]);
    await client.query(
      `UPDATE signing_keys SET retired_at = $2
       WHERE env_id = $1 AND kid = (
         SELECT kid FROM signing_keys WHERE env_id = $1 AND retired_at IS NULL
         ORDER BY activates_at DESC, created_at DESC, kid DESC LIMIT 1)`,
      [row.env_id, row.activates_at],
    );
    await insertSigningKey(client, row);
  });
}

/**
 * The same row lock as {@link addSigningKey}: a second creator waits for the first to commit, and
 * under READ COMMITTED its check, a later statement, then sees the first key.
 */
export async function addFirstSigningKey(pool: pg.Pool, key: SigningKeyRecord): Promise<boolean> {
  const row = signingKeyRow(key);
  return withTransaction(pool, async (client) => {
    await client.query('SELECT 1 FROM environments WHERE id = $1 FOR NO KEY UPDATE', [row.env_id]);
    const existing = await client.query('SELECT 1 FROM signing_keys WHERE env_id = $1 LIMIT 1', [row.env_id]);
    if ((existing.rowCount ?? 0) > 0) return false;
    await insertSigningKey(client, row);
    return true;
  });
}

async function insertSigningKey(client: pg.PoolClient, row: ReturnType<typeof signingKeyRow>): Promise<void> {
  await client.query(
    `INSERT INTO signing_keys (env_id, kid, alg, public_jwk, private_key_encrypted, created_at, activates_at, retired_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      row.env_id,
      row.kid,
      row.alg,
      row.public_jwk,
      row.private_key_encrypted,
      row.created_at,
      row.activates_at,
      row.retired_at ?? null,
    ],
  );
}
