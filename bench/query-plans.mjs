// The query plans of the refresh path's statements and of the pruner's, on a seeded store
// (bench/scale-seed.mjs): SQLite's EXPLAIN QUERY PLAN with the time of each statement, PostgreSQL's
// EXPLAIN (ANALYZE, BUFFERS) with the values bound (a custom plan; the refresh path's named
// statements may move to a generic plan after five runs, with the same seeks: every condition
// there is an equality on a key).
// Writes run inside a transaction that is rolled back. The prune statements are shown with the
// backlog the seed leaves past retention and after a full prune (the steady state, where a run of
// the pruner finds little or nothing — the case a scan makes expensive), each without migration
// 0011's indexes (dropped) and with them (created again by the migration's statements, timed).
//
//   npm run build && node bench/query-plans.mjs [--db sqlite|postgres] [--sessions 1000000]
//
// The SQL is the adapters' own: SQLite's prepared statements (their `.source`), PostgreSQL's as the
// built adapter sends it (recorded from its `pg` pool), never a copy.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDatabase, SERVER_DIST, seedScaleDatabase } from './scale-support.mjs';

const dist = new URL(`file://${SERVER_DIST}`);
const { openStorage } = await import(new URL('storage/open.js', dist));
const { SESSION_HISTORY_RETENTION } = await import(new URL('service/maintenance.js', dist));

/** Migration 0011's indexes, dropped inside the rolled-back transaction to show the plans without them. */
const INDEXES_0011 = [
  'refresh_tokens_rotated',
  'sessions_ended',
  'authorization_codes_by_session',
  'authorization_codes_by_expiry',
  'interactions_by_expiry',
];

async function withHandle(database, work) {
  const handle = await database.open();
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

async function dropIndexes(database) {
  await withHandle(database, async (handle) => {
    for (const index of INDEXES_0011) await handle.query(`DROP INDEX ${index}`);
  });
}

/** Creates 0011's indexes with the migration's own statements; the seconds it took. */
async function createIndexes(database) {
  const { pruneIndexesSchema } = await import(new URL('storage/migrations/0011-prune-indexes.js', dist));
  return withHandle(database, async (handle) => {
    const started = performance.now();
    for (const statement of pruneIndexesSchema()) await handle.query(statement);
    return (performance.now() - started) / 1000;
  });
}

/** A live session's current token, for the refresh path's statements. */
const LIVE_TOKEN_SQL = `SELECT rt.token_hash, rt.session_id, s.env_id, s.user_id FROM refresh_tokens AS rt
  JOIN sessions AS s ON s.id = rt.session_id
  WHERE s.ended_at IS NULL AND rt.rotated_at IS NULL AND rt.session_id > ? ORDER BY rt.session_id LIMIT 1`;

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    sessions: { type: 'string', default: '1000000' },
  },
});
const sessions = Number(values.sessions);
const log = (message) => console.error(`[plans ${new Date().toISOString().slice(11, 19)}] ${message}`);
const print = (text = '') => console.log(text);

const database = await createDatabase(values.db);
try {
  const { now } = await seedScaleDatabase({
    database,
    sessions,
    secret: randomBytes(32).toString('base64url'),
    log,
  });
  const cutoffs = {
    rotatedBefore: now - SESSION_HISTORY_RETENTION.reuseDetectionSeconds,
    endedBefore: now - SESSION_HISTORY_RETENTION.endedSessionSeconds,
    grantsExpiredBefore: now - SESSION_HISTORY_RETENTION.expiredGrantSeconds,
    eventsBefore: (now - 30 * 86400) * 1000,
  };
  print(`# Query plans, ${values.db}, ${sessions.toLocaleString('en')} seeded sessions`);
  print(
    `\n${new Date().toISOString()}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const explain = values.db === 'sqlite' ? sqlitePlans : postgresPlans;
  // Without 0011's indexes (dropped), then with them (created again by the migration's statements,
  // timed: what the upgrade costs at this size).
  await dropIndexes(database);
  await explain(database, now, cutoffs, {
    state: 'with the backlog past retention, without migration 0011',
    withRefreshPath: true,
  });
  print(`\n## Migration 0011 on this database: ${(await createIndexes(database)).toFixed(1)} s`);
  await explain(database, now, cutoffs, {
    state: 'with the backlog past retention, with migration 0011',
    withRefreshPath: true,
  });

  // The whole backlog, through the adapter, as the pruner's first run after a start deletes it.
  log('pruning the backlog');
  const storage = await openStorage(database.url);
  const started = performance.now();
  const pruned = await storage.pruneSessionHistory(cutoffs);
  const events = await storage.pruneEvents(cutoffs.eventsBefore);
  const seconds = (performance.now() - started) / 1000;
  // The SQLite checkpointer's worker is unref'd: keep the process alive while it stops.
  const keepAlive = setInterval(() => {}, 1000);
  await storage.close();
  clearInterval(keepAlive);
  print(`\n## The backlog pruned through the adapter, with migration 0011: ${seconds.toFixed(1)} s`);
  print(`\n\`${JSON.stringify({ ...pruned, events })}\``);
  if (values.db === 'postgres') await withHandle(database, (handle) => handle.query('VACUUM ANALYZE'));

  await explain(database, now, cutoffs, {
    state: 'in the steady state (after a full prune), with migration 0011',
    withRefreshPath: false,
  });
  await dropIndexes(database);
  await explain(database, now, cutoffs, {
    state: 'in the steady state (after a full prune), without migration 0011',
    withRefreshPath: false,
  });
} finally {
  await database.drop();
}

async function sqlitePlans(database, now, cutoffs, { state, withRefreshPath }) {
  const { prepareStatements } = await import(new URL('storage/sqlite/statements.js', dist));
  const handle = await database.open();
  const { db } = handle;
  db.pragma('foreign_keys = ON'); // as the server runs: pruned sessions cascade
  try {
    const statements = prepareStatements(db);
    const [live] = db.prepare(LIVE_TOKEN_SQL).all(randomBytes(8).toString('base64url'));
    const successor = randomBytes(32).toString('base64url');
    const refreshPath = {
      refreshToken: [live.token_hash],
      session: [live.session_id],
      user: [live.env_id, live.user_id],
      environment: [live.env_id],
      client: [live.env_id, 'demo'],
      sessionClient: [live.session_id, 'demo'],
      membershipViews: [live.env_id, live.user_id],
      supersedeRefreshToken: {
        presented_hash: live.token_hash,
        session_id: live.session_id,
        successor_hash: successor,
        now,
      },
      insertSuccessorToken: {
        presented_hash: live.token_hash,
        successor_hash: successor,
        issued_at: now,
        expires_at: now + 30 * 86400,
      },
      recordSessionActivity: {
        session_id: live.session_id,
        now,
        refreshed: 1,
        activity: 1,
        default_tenant_id: null,
        last_ip: '10.0.0.1',
      },
    };
    const limit = 1000;
    const prune = {
      pruneRotatedTokens: { before: cutoffs.rotatedBefore, limit },
      pruneEndedSessions: { before: cutoffs.endedBefore, limit },
      pruneExpiredAuthorizationCodes: { before: cutoffs.grantsExpiredBefore, limit },
      pruneExpiredInteractions: { before: cutoffs.grantsExpiredBefore, limit },
      pruneEvents: { before: cutoffs.eventsBefore, limit },
    };
    // What the cascade of a pruned session runs on each table that references sessions.
    const cascades = {
      'cascade: refresh_tokens': 'DELETE FROM refresh_tokens WHERE session_id = ?',
      'cascade: session_clients': 'DELETE FROM session_clients WHERE session_id = ?',
      'cascade: authorization_codes': 'DELETE FROM authorization_codes WHERE session_id = ?',
    };
    print(`\n## SQLite, ${state}`);
    print('\nTimes: median of 5 runs; writes inside a savepoint that is rolled back.');
    const show = (name, sql, params) => {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params);
      const statement = db.prepare(sql);
      const times = [];
      let changes;
      for (let i = 0; i < 5; i++) {
        db.exec('SAVEPOINT plan');
        const t0 = performance.now();
        if (statement.reader) statement.all(params);
        else changes = statement.run(params).changes;
        times.push(performance.now() - t0);
        db.exec('ROLLBACK TO plan');
        db.exec('RELEASE plan');
      }
      times.sort((a, b) => a - b);
      print(`\n### ${name}: ${formatMillis(times[2])}${changes === undefined ? '' : `, ${changes} rows`}`);
      print('\n```sql');
      print(sql.replace(/\n\s+/g, '\n  '));
      print('```\n\n```');
      for (const row of plan) print(`${'  '.repeat(depth(plan, row))}${row.detail}`);
      print('```');
    };
    if (withRefreshPath) {
      for (const [name, params] of Object.entries(refreshPath)) show(name, statements[name].source, params);
    }
    for (const [name, params] of Object.entries(prune)) show(name, statements[name].source, params);
    for (const [name, sql] of Object.entries(cascades)) show(name, sql, [live.session_id]);
  } finally {
    await handle.close();
  }
}

function depth(plan, row) {
  let level = 0;
  let parent = row.parent;
  while (parent) {
    level++;
    parent = plan.find((r) => r.id === parent)?.parent ?? 0;
  }
  return level;
}

/** The SQL and parameters the built adapter sends, recorded instead of sent. */
async function recordPostgresStatements(url, run) {
  const recorded = [];
  const original = pg.Pool.prototype.query;
  pg.Pool.prototype.query = async function record(config, params) {
    const text = typeof config === 'string' ? config : config.text;
    recorded.push({ text, values: typeof config === 'string' ? params : (config.values ?? params) });
    return { rows: [], rowCount: 0 };
  };
  try {
    const storage = await openStorage(url);
    await run(storage);
    pg.Pool.prototype.query = original;
    await storage.close();
  } finally {
    pg.Pool.prototype.query = original;
  }
  return recorded;
}

async function postgresPlans(database, now, cutoffs, { state, withRefreshPath }) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const [live] = (
      await client.query(LIVE_TOKEN_SQL.replace('?', '$1'), [randomBytes(8).toString('base64url')])
    ).rows;
    const successor = randomBytes(32).toString('base64url');
    const statements = [];
    if (withRefreshPath) {
      const [context] = await recordPostgresStatements(database.url, (storage) =>
        storage.loadRefreshContext(live.token_hash, 'demo'),
      );
      const [rotation] = await recordPostgresStatements(database.url, (storage) =>
        storage.rotateRefreshToken({
          sessionId: live.session_id,
          presentedHash: live.token_hash,
          now,
          successor: { hash: successor, issuedAt: now, expiresAt: now + 30 * 86400 },
          activity: true,
          ip: '10.0.0.1',
        }),
      );
      statements.push(['loadRefreshContext', context], ['rotateRefreshToken', rotation]);
    }
    const prunes = await recordPostgresStatements(database.url, async (storage) => {
      await storage.pruneSessionHistory(cutoffs);
      await storage.pruneEvents(cutoffs.eventsBefore);
    });
    const names = [
      'prune rotated tokens',
      'prune ended sessions',
      'prune authorization codes',
      'prune interactions',
      'prune events',
    ];
    for (const [i, statement] of prunes.entries()) statements.push([names[i] ?? `prune ${i}`, statement]);
    statements.push([
      'cascade: authorization_codes',
      { text: 'DELETE FROM authorization_codes WHERE session_id = $1', values: [live.session_id] },
    ]);

    print(`\n## PostgreSQL, ${state}`);
    print(
      '\nEXPLAIN (ANALYZE, BUFFERS) with the values bound (a custom plan), inside a rolled-back transaction.',
    );
    for (const [name, { text, values }] of statements) {
      await client.query('BEGIN');
      try {
        const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
        const plan = rows.map((row) => row['QUERY PLAN']);
        const time = plan.find((line) => line.startsWith('Execution Time'));
        print(`\n### ${name}: ${time ?? ''}`);
        print('\n```sql');
        print(text.trim().replace(/\n\s+/g, '\n  '));
        print('```\n\n```');
        for (const line of plan) print(line);
        print('```');
      } finally {
        await client.query('ROLLBACK');
      }
    }
  } finally {
    await client.end();
  }
}

function formatMillis(ms) {
  return ms < 1 ? `${Math.round(ms * 1000)} µs` : `${ms.toFixed(1)} ms`;
}
