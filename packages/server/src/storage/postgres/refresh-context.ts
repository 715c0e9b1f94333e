/**
 * The refresh hot path's read: token, successor, session, user, memberships (with tenant, roles'
 * permissions and policy) and environment in one statement, one round trip.
 */
import type pg from 'pg';
import type { MembershipView } from '../../engine/records.js';
import type { RefreshContext } from '../records.js';
import { toEnvironment, toMembershipView, toRefreshToken, toSession, toUser } from '../rows.js';
import type { EnvironmentRow, MembershipViewRow, RefreshTokenRow, SessionRow, UserRow } from '../schema.js';

/** A JSON array of `MembershipViewRow`s, oldest membership first, for the given SQL expressions. */
function membershipViewsJson(envId: string, userId: string): string {
  return `SELECT coalesce(json_agg(json_build_object(
        'tenant_id', m.tenant_id,
        'tenant_name', t.name,
        'roles', m.roles,
        'session_policy', t.session_policy,
        'permissions', (
          SELECT json_agg(p.permission)
          FROM jsonb_array_elements_text(m.roles) AS k (role_key)
          JOIN roles AS r ON r.env_id = m.env_id AND r.key = k.role_key
          CROSS JOIN jsonb_array_elements_text(r.permissions) AS p (permission))
      ) ORDER BY m.created_at, m.tenant_id), '[]'::json)
    FROM memberships AS m
    JOIN tenants AS t ON t.env_id = m.env_id AND t.id = m.tenant_id
    WHERE m.env_id = ${envId} AND m.user_id = ${userId}`;
}

const LOAD_REFRESH_CONTEXT_SQL = `
  SELECT
    to_json(rt) AS token,
    (SELECT to_json(n) FROM refresh_tokens AS n WHERE n.token_hash = rt.successor_hash) AS successor,
    to_json(s) AS session,
    ($2::text IS NULL OR s.client_id = $2 OR EXISTS (
       SELECT 1 FROM session_clients AS sc WHERE sc.session_id = s.id AND sc.client_id = $2)) AS client_authorized,
    json_build_object('env_id', u.env_id, 'id', u.id, 'email', u.email, 'name', u.name, 'status', u.status)
      AS account,
    to_json(e) AS environment,
    (${membershipViewsJson('s.env_id', 's.user_id')}) AS memberships
  FROM refresh_tokens AS rt
  JOIN sessions AS s ON s.id = rt.session_id
  JOIN users AS u ON u.env_id = s.env_id AND u.id = s.user_id
  JOIN environments AS e ON e.id = s.env_id
  WHERE rt.token_hash = $1`;

interface RefreshContextRow {
  token: RefreshTokenRow;
  successor: RefreshTokenRow | null;
  session: SessionRow;
  client_authorized: boolean;
  account: Pick<UserRow, 'env_id' | 'id' | 'email' | 'name' | 'status'>;
  environment: EnvironmentRow;
  memberships: MembershipViewRow[];
}

export async function loadRefreshContext(
  pool: pg.Pool,
  tokenHash: string,
  clientId?: string,
): Promise<RefreshContext | null> {
  // Named: parsed and planned once per connection, not on every refresh.
  const { rows } = await pool.query<RefreshContextRow>({
    name: 'tessera_load_refresh_context',
    text: LOAD_REFRESH_CONTEXT_SQL,
    values: [tokenHash, clientId ?? null],
  });
  const row = rows[0];
  if (!row) return null;
  return {
    token: toRefreshToken(row.token),
    successor: row.successor ? toRefreshToken(row.successor) : null,
    session: toSession(row.session),
    clientAuthorized: row.client_authorized,
    user: toUser(row.account),
    memberships: row.memberships.map(toMembershipView),
    environment: toEnvironment(row.environment),
  };
}

const LIST_USER_MEMBERSHIPS_SQL = `SELECT (${membershipViewsJson('$1', '$2')}) AS memberships`;

export async function listUserMemberships(
  pool: pg.Pool,
  envId: string,
  userId: string,
): Promise<MembershipView[]> {
  const { rows } = await pool.query<{ memberships: MembershipViewRow[] }>(LIST_USER_MEMBERSHIPS_SQL, [
    envId,
    userId,
  ]);
  return (rows[0]?.memberships ?? []).map(toMembershipView);
}
