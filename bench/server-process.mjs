// Starts a built Tessera server (packages/server/dist/main.js) in its own process, on SQLite in a
// temporary folder or on a fresh PostgreSQL schema-less database URL, with the demo seed.
// `serverMain`: another build's main.js instead (to compare two trees on the same machine).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = new URL('..', import.meta.url).pathname;

export async function startServer({
  database = 'sqlite',
  port = 4100,
  pgUrl,
  extraEnv = {},
  nodeArgs = [],
  serverMain = join(root, 'packages/server/dist/main.js'),
} = {}) {
  if (database === 'postgres') await recreatePostgresDatabase(pgUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const env = {
    ...process.env,
    PORT: String(port),
    TESSERA_DEMO: '1',
    TESSERA_DEMO_PORT: String(port + 1),
    TESSERA_DATA_DIR: dataDir,
    TESSERA_SECRET: randomBytes(32).toString('base64url'),
    TESSERA_ADMIN_KEY: randomBytes(32).toString('base64url'),
    TESSERA_LOG_LEVEL: process.env.TESSERA_LOG_LEVEL ?? 'info',
    TESSERA_DATABASE_URL: database === 'sqlite' ? `sqlite:${join(dataDir, 'tessera.db')}` : pgUrl,
    ...extraEnv,
  };
  const child = spawn(process.execPath, [...nodeArgs, serverMain], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    await sleep(100);
  }
  return {
    url,
    pid: child.pid,
    rssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
    },
    /** CPU seconds (user + system) the server process has used so far. */
    cpuSeconds() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh, empty database for each run: the bench's secret is new every time. */
async function recreatePostgresDatabase(url) {
  const { default: pg } = await import('pg');
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new pg.Client({
    connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString(),
  });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  // Start from a quiet server: a pending checkpoint (say, after the test suite) costs ~25 %.
  await admin.query('CHECKPOINT');
  await admin.end();
}
