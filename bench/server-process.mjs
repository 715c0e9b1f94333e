// Starts a built Tessera server (packages/server/dist/main.js) in its own process, on SQLite in a
// temporary folder or on a fresh PostgreSQL schema-less database URL, with the demo seed.
// `serverMain`: another build's main.js instead (to compare two trees on the same machine).
// `workers` above 1: TESSERA_WORKERS (a cluster primary and that many workers). The demo refuses
// several workers, so a first one-process start seeds it and stops, then the cluster starts on the
// same database with TESSERA_DEMO=0; CPU and RSS are then the primary's and all its workers'.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
  workers = 1,
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
  const url = `http://localhost:${port}`;
  const launch = async (launchEnv) => {
    const started = spawn(process.execPath, [...nodeArgs, serverMain], {
      env: launchEnv,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {}
      await sleep(100);
    }
    return started;
  };
  let child = await launch(env);
  if (workers > 1) {
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
    child = await launch({ ...env, TESSERA_DEMO: '0', TESSERA_WORKERS: String(workers) });
    // Every worker listening: the primary answers only once they all do, but healthz may come first.
    await sleep(1000);
  }
  const processes = () => [child.pid, ...childrenOf(child.pid)];
  return {
    url,
    pid: child.pid,
    rssMiB() {
      return processes().reduce((sum, pid) => {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        return sum + Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
      }, 0);
    },
    /** CPU seconds (user + system) the server process (and its workers) have used so far. */
    cpuSeconds() {
      return processes().reduce((sum, pid) => {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return sum + (Number(fields[11]) + Number(fields[12])) / 100;
      }, 0);
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

/** The pids whose parent is `pid` (a cluster primary's workers). */
function childrenOf(pid) {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.split(') ')[1].split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}
