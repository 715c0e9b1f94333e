// The history of a store that has run for months, written straight into the tables (no logins):
// users spread over tenants, live sessions with their chain of superseded refresh tokens, ended
// sessions (logout, idle, expiry, eviction, reuse) with their tokens, one session client per
// session, and the session events. A share of it is older than the retention windows
// (SESSION_HISTORY_RETENTION: rotated tokens 7 days, ended sessions 30 days, events 30 days), so
// the pruner has work. The rows have the shape a login and its refreshes write (see
// docs/benchmarks-scale.md): 22-character session ids, SHA-256 base64url token hashes chained by
// `successor_hash`, the environment's `demo` client, events as the service writes them.
//
// Deterministic for a given size: a small PRNG, no Math.random.
import { createHash } from 'node:crypto';

const DAY = 86_400;
export const ENV_ID = 'default';
export const CLIENT_ID = 'demo';
/** The seeded users' password (the demo's: their rows copy the demo user's argon2id hash). */
export const SEED_PASSWORD = 'tessera-demo';

const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
];
const END_REASONS = [
  ['logout', 0.5],
  ['idle_timeout', 0.15],
  ['session_expired', 0.15],
  ['evicted', 0.15],
  ['refresh_token_reused', 0.05],
];

/** mulberry32 */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const b64url = (text, bytes) =>
  createHash('sha256').update(text).digest().subarray(0, bytes).toString('base64url');

/** The name whose share of [0, 1) holds `roll`. */
function pickShare(shares, roll) {
  let left = roll;
  for (const [name, share] of shares) {
    left -= share;
    if (left < 0) return name;
  }
  return shares[0][0];
}

export function userEmail(index) {
  return `user${index}@scale.example`;
}

/** The plan of a store of `sessions` sessions: counts, so the report can say what was seeded. */
export function seedPlan(sessions) {
  return {
    sessions,
    users: Math.ceil(sessions / 2),
    tenants: Math.max(10, Math.round(sessions / 1000)),
  };
}

/**
 * Calls `sink.rows(table, columns, rows)` with batches of rows (arrays in `columns` order), table
 * by table in foreign-key order. Returns the counts written and of those past retention.
 */
export async function seedHistory({ sessions, now, passwordHash, sink, batch = 5000, log = () => {} }) {
  const plan = seedPlan(sessions);
  const random = prng(0x7e55e7a ^ sessions);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const between = (low, high) => low + Math.floor(random() * (high - low));
  const counts = {
    users: 0,
    tenants: 0,
    memberships: 0,
    sessions: 0,
    refresh_tokens: 0,
    session_clients: 0,
    events: 0,
  };
  const prunable = { refreshTokens: 0, sessions: 0, events: 0 };
  const rotatedBefore = now - 7 * DAY;
  const endedBefore = now - 30 * DAY;
  const eventsBefore = (now - 30 * DAY) * 1000;

  const buffers = new Map();
  const add = async (table, columns, row) => {
    let buffer = buffers.get(table);
    if (!buffer) {
      buffer = { columns, rows: [] };
      buffers.set(table, buffer);
    }
    buffer.rows.push(row);
    counts[table]++;
    if (buffer.rows.length >= batch) {
      // Tokens and session clients reference their session: its rows go first.
      if (table === 'refresh_tokens' || table === 'session_clients') await flush('sessions');
      await sink.rows(table, columns, buffer.rows);
      buffer.rows = [];
    }
  };
  const flush = async (table) => {
    const buffer = buffers.get(table);
    if (buffer?.rows.length) await sink.rows(table, buffer.columns, buffer.rows);
    if (buffer) buffer.rows = [];
  };

  const TENANT_COLUMNS = ['env_id', 'id', 'name', 'session_policy', 'created_at'];
  for (let t = 0; t < plan.tenants; t++) {
    await add('tenants', TENANT_COLUMNS, [ENV_ID, `t-${t}`, `Tenant ${t}`, '{}', now - 400 * DAY + t]);
  }
  await flush('tenants');
  log(`tenants ${plan.tenants}`);

  const USER_COLUMNS = [
    'env_id',
    'id',
    'email',
    'email_normalized',
    'name',
    'password_hash',
    'status',
    'created_at',
  ];
  for (let u = 0; u < plan.users; u++) {
    const email = userEmail(u);
    await add('users', USER_COLUMNS, [
      ENV_ID,
      `u-${u}`,
      email,
      email,
      `User ${u}`,
      passwordHash,
      'active',
      now - 365 * DAY + (u % DAY),
    ]);
  }
  await flush('users');
  log(`users ${plan.users}`);

  const MEMBERSHIP_COLUMNS = ['env_id', 'tenant_id', 'user_id', 'roles', 'created_at'];
  const firstTenant = (u) => `t-${u % plan.tenants}`;
  for (let u = 0; u < plan.users; u++) {
    const joined = now - 365 * DAY + (u % DAY) + 1;
    await add('memberships', MEMBERSHIP_COLUMNS, [ENV_ID, firstTenant(u), `u-${u}`, '["member"]', joined]);
    // Three users in ten belong to a second tenant, as its admin.
    if (u % 10 < 3) {
      const second = `t-${(u * 7 + 3) % plan.tenants}`;
      if (second !== firstTenant(u))
        await add('memberships', MEMBERSHIP_COLUMNS, [ENV_ID, second, `u-${u}`, '["admin"]', joined + 60]);
    }
  }
  await flush('memberships');
  log(`memberships ${counts.memberships}`);

  const SESSION_COLUMNS = [
    'id',
    'env_id',
    'user_id',
    'client_id',
    'created_at',
    'auth_time',
    'last_active_at',
    'activity_order',
    'last_refresh_at',
    'default_tenant_id',
    'user_agent',
    'ip',
    'last_ip',
    'ended_at',
    'end_reason',
  ];
  const TOKEN_COLUMNS = [
    'token_hash',
    'session_id',
    'issued_at',
    'expires_at',
    'rotated_at',
    'successor_hash',
    'client_id',
  ];
  const SESSION_CLIENT_COLUMNS = ['session_id', 'client_id', 'added_at', 'scopes'];
  const EVENT_COLUMNS = [
    'id',
    'env_id',
    'type',
    'at',
    'user_id',
    'sid',
    'tenant_id',
    'client_id',
    'ip',
    'user_agent',
    'details',
  ];
  const REFRESH_TTL = 30 * DAY;
  let eventSeq = 0;
  // As the service's: `evt_`, 12 hex digits of the time in milliseconds, 22 more of randomness.
  const eventId = (atMillis) =>
    `evt_${atMillis.toString(16).padStart(12, '0')}${createHash('md5').update(`event:${sessions}:${eventSeq++}`).digest('hex').slice(0, 22)}`;

  for (let s = 0; s < sessions; s++) {
    const u = s % plan.users;
    const id = b64url(`session:${sessions}:${s}`, 16);
    const ip = `10.${between(0, 256)}.${between(0, 256)}.${between(1, 255)}`;
    const userAgent = pick(USER_AGENTS);
    const tenant = firstTenant(u);
    const live = random() < 0.7;
    let createdAt;
    let lastRefreshAt;
    let endedAt = null;
    let endReason = null;
    let superseded;
    if (live) {
      createdAt = now - between(60, 30 * DAY);
      lastRefreshAt = now - between(0, Math.min(now - createdAt, 7 * DAY));
      superseded = between(1, 7);
    } else {
      endedAt = now - between(60, 60 * DAY);
      createdAt = endedAt - between(600, 20 * DAY);
      lastRefreshAt = createdAt + Math.floor((endedAt - createdAt) * random());
      endReason = pickShare(END_REASONS, random());
      superseded = between(0, 4);
      if (endedAt < endedBefore) prunable.sessions++;
    }
    await add('sessions', SESSION_COLUMNS, [
      id,
      ENV_ID,
      `u-${u}`,
      CLIENT_ID,
      createdAt,
      createdAt,
      lastRefreshAt,
      s + 1,
      lastRefreshAt,
      tenant,
      userAgent,
      ip,
      superseded > 0 ? ip : null,
      endedAt,
      endReason,
    ]);
    await add('session_clients', SESSION_CLIENT_COLUMNS, [id, CLIENT_ID, createdAt, '[]']);

    // The chain: the login's token, each rotated into the next; the last one is current.
    const hashes = Array.from({ length: superseded + 1 }, (_, i) =>
      b64url(`token:${sessions}:${s}:${i}`, 32),
    );
    for (let i = 0; i <= superseded; i++) {
      const issuedAt =
        i === superseded
          ? lastRefreshAt
          : createdAt + Math.floor(((lastRefreshAt - createdAt) * i) / Math.max(1, superseded));
      const rotatedAt =
        i === superseded
          ? null
          : createdAt + Math.floor(((lastRefreshAt - createdAt) * (i + 1)) / Math.max(1, superseded));
      const successor = i === superseded ? null : hashes[i + 1];
      if (rotatedAt !== null && rotatedAt < rotatedBefore) prunable.refreshTokens++;
      await add('refresh_tokens', TOKEN_COLUMNS, [
        hashes[i],
        id,
        issuedAt,
        issuedAt + REFRESH_TTL,
        rotatedAt,
        successor,
        null,
      ]);
    }

    const createdMillis = createdAt * 1000 + between(0, 1000);
    await add('events', EVENT_COLUMNS, [
      eventId(createdMillis),
      ENV_ID,
      'session.created',
      createdMillis,
      `u-${u}`,
      id,
      tenant,
      CLIENT_ID,
      ip,
      userAgent,
      '{"method":"password","via":"session_api"}',
    ]);
    if (createdMillis < eventsBefore) prunable.events++;
    if (endedAt !== null) {
      const endedMillis = endedAt * 1000 + between(0, 1000);
      await add('events', EVENT_COLUMNS, [
        eventId(endedMillis),
        ENV_ID,
        'session.ended',
        endedMillis,
        `u-${u}`,
        id,
        tenant,
        CLIENT_ID,
        ip,
        userAgent,
        JSON.stringify({ reason: endReason }),
      ]);
      if (endedMillis < eventsBefore) prunable.events++;
    }
    if (s % 100_000 === 99_999) log(`sessions ${s + 1}`);
  }
  for (const table of ['sessions', 'session_clients', 'refresh_tokens', 'events']) await flush(table);
  return { counts, prunable, maxActivityOrder: sessions };
}
