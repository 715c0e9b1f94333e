// The scale bench's databases and server processes: a fresh SQLite file or PostgreSQL database of
// its own per size, the bulk sinks the seed writes through, and a built server started on it with
// chosen settings (its log lines kept, to see the pruner's runs).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { seedHistory } from './scale-seed.mjs';

const root = new URL('..', import.meta.url).pathname;
/** The built server to run: `BENCH_SERVER_DIST` (a copy of another build, for before/after runs) or packages/server/dist. */
export const SERVER_DIST = process.env.BENCH_SERVER_DIST
  ? `${process.env.BENCH_SERVER_DIST.replace(/\/$/, '')}/`
  : join(root, 'packages/server/dist/');
export const PG_ADMIN_URL =
  process.env.TESSERA_BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Columns holding epoch seconds or counts (bigint on PostgreSQL), and JSON (jsonb). */
const BIGINT_COLUMNS = new Set([
  'created_at',
  'auth_time',
  'last_active_at',
  'activity_order',
  'last_refresh_at',
  'ended_at',
  'issued_at',
  'expires_at',
  'rotated_at',
  'added_at',
  'at',
]);
const JSON_COLUMNS = new Set(['session_policy', 'roles', 'scopes', 'details']);

/**
 * A fresh, empty database: `{ url, kind, size(), open(), drop() }`. `open()` gives a handle with
 * `rows(table, columns, rows)` (bulk insert), `query(sql, params)` and `close()`.
 */
/**
 * A fresh database for one size: empty, or (`from`, the seed cache's copy) a copy of a seeded one —
 * SQLite: the file copied; PostgreSQL: `CREATE DATABASE … TEMPLATE` of the kept seeded database.
 */
export async function createDatabase(kind, from) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-scale-'));
    const file = join(dir, 'tessera.db');
    if (from) copyFileSync(from, file);
    return {
      kind,
      url: `sqlite:${file}`,
      file,
      dir,
      sizeBytes() {
        const size = (path) => {
          try {
            return statSync(path).size;
          } catch {
            return 0;
          }
        };
        return { file: size(file), wal: size(`${file}-wal`) };
      },
      open: () => openSqlite(file),
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `tessera_scale_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"${from ? ` TEMPLATE "${from}"` : ''}`);
  await admin.end();
  const url = Object.assign(new URL(PG_ADMIN_URL), { pathname: `/${name}` }).toString();
  return {
    kind,
    url,
    name,
    async sizeBytes() {
      const handle = await openPostgres(url);
      try {
        return {
          file: Number((await handle.query('SELECT pg_database_size(current_database()) AS size'))[0].size),
        };
      } finally {
        await handle.close();
      }
    },
    open: () => openPostgres(url),
    /** A copy of this database (no connection may be open to it) as `target`, replacing one. */
    async copyTo(target) {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${target}" TEMPLATE "${name}"`);
      await client.end();
    },
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

function openSqlite(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const inserts = new Map();
  return {
    db,
    async rows(table, columns, rows) {
      const key = `${table}:${columns.join(',')}`;
      let insert = inserts.get(key);
      if (!insert) {
        insert = db.prepare(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        inserts.set(key, insert);
      }
      db.transaction(() => {
        for (const row of rows) insert.run(row);
      })();
    },
    async query(sql, params = []) {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all(params);
      statement.run(params);
      return [];
    },
    async close() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

async function openPostgres(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pgType = (column) =>
    BIGINT_COLUMNS.has(column) ? 'bigint' : JSON_COLUMNS.has(column) ? 'jsonb' : 'text';
  return {
    client,
    async rows(table, columns, rows) {
      const arrays = columns.map((_, i) => rows.map((row) => row[i]));
      await client.query(
        `INSERT INTO ${table} (${columns.join(', ')})
         SELECT * FROM unnest(${columns.map((column, i) => `$${i + 1}::${pgType(column)}[]`).join(', ')})`,
        arrays,
      );
    },
    async query(sql, params = []) {
      return (await client.query(sql, params)).rows;
    },
    async close() {
      await client.end();
    },
  };
}

/** A port nothing listens on right now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `packages/server/dist/main.js` on `database` with the demo seed (written only into an
 * empty environment, so a restart keeps the seeded one), `secret` shared by its restarts.
 */
export async function startScaleServer({ database, secret, extraEnv = {} }) {
  const [port, demoPort, demoApiPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-scale-data-'));
  const child = spawn(process.execPath, [join(SERVER_DIST, 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      TESSERA_DEMO: '1',
      TESSERA_DEMO_PORT: String(demoPort),
      TESSERA_DEMO_API_PORT: String(demoApiPort),
      TESSERA_DATA_DIR: dataDir,
      TESSERA_SECRET: secret,
      TESSERA_ADMIN_KEY: randomBytes(32).toString('base64url'),
      TESSERA_LOG_LEVEL: 'info',
      TESSERA_DATABASE_URL: database.url,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const startedAt = Date.now();
  const pruneRuns = [];
  let pending = '';
  child.stdout.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      if (!line.includes('session history pruned')) continue;
      try {
        const entry = JSON.parse(line);
        pruneRuns.push({ at: entry.time ?? Date.now(), ...pickCounts(entry) });
      } catch {
        pruneRuns.push({ at: Date.now(), line });
      }
    }
  });
  const exited = new Promise((done) => child.once('exit', done));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    if (child.exitCode !== null || i > 1200) {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`the server did not start (exit ${child.exitCode})`);
    }
    await sleep(100);
  }
  return {
    url,
    pid: child.pid,
    startedAt,
    readyAfterMs: Date.now() - startedAt,
    pruneRuns,
    rssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
    },
    cpuSeconds() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const PRUNE_COUNT_NAMES = [
  'refreshTokens',
  'sessions',
  'authorizationCodes',
  'interactions',
  'events',
  'activityCounts',
  'webhookDeliveries',
];

function pickCounts(entry) {
  return Object.fromEntries(
    PRUNE_COUNT_NAMES.filter((name) => name in entry).map((name) => [name, entry[name]]),
  );
}

/**
 * A store of `sessions` sessions with months of history: the migrations, the demo environment and
 * its signing key by the server itself (started once and stopped), then the history in bulk
 * (`seedHistory`), timestamped against `now`. On PostgreSQL the activity-order sequence is set above
 * the seeded values and the database analysed, as autovacuum would have after months.
 */
export async function seedScaleDatabase({ database, sessions, secret, log }) {
  await (
    await startScaleServer({ database, secret, extraEnv: { TESSERA_PRUNE_INTERVAL_SECONDS: '86400' } })
  ).stop();
  const started = Date.now();
  const now = Math.floor(started / 1000);
  const handle = await database.open();
  try {
    const [{ password_hash: passwordHash }] = await handle.query(
      "SELECT password_hash FROM users WHERE env_id = 'default' AND id = 'user-alice'",
    );
    const seeded = await seedHistory({ sessions, now, passwordHash, sink: handle, log });
    if (database.kind === 'postgres') {
      await handle.query('SELECT setval($1, $2)', ['session_activity_order', seeded.maxActivityOrder + 1]);
      await handle.query('VACUUM ANALYZE');
    }
    return { seeded, now, seedSeconds: (Date.now() - started) / 1000 };
  } finally {
    await handle.close();
  }
}
