// Time from start to serving: how long after `node packages/server/dist/main.js` is spawned the
// server answers `GET /healthz` with 200, and serves its first `POST /auth/v1/refresh` (a session
// logged in before the restart, as after a crash: faults/kill-9.test.ts asserts < 2 s).
//
//   npm run build --silent   (or: npx tsc -b packages/protocol packages/server)
//   node bench/start-to-serving.mjs [--db sqlite|postgres] [--runs 10] [--pg-url postgres://…]
//                                   [--main packages/server/dist/main.js]   (another build to compare)
//
// One database per invocation (SQLite in a temporary folder; on PostgreSQL a database of its own,
// `tessera_bench_start_<random>`, dropped at the end), migrated and seeded by a first start that is
// not counted; then `--runs` starts of the same command on it, one after another, each polled every
// 5 ms from the spawn on (a new connection per request), then stopped with SIGTERM. Demo off, logs
// at `warn`, as in the fault cases. Prints each run and the median, min and max.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    runs: { type: 'string', default: '10' },
    main: { type: 'string', default: 'packages/server/dist/main.js' },
    'pg-url': {
      type: 'string',
      default: process.env.TESSERA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const MAIN = new URL(`../${args.main}`, import.meta.url).pathname;
const ORIGIN = 'http://localhost:5173';
const PASSWORD = 'start to serving, measured 1';
const runs = Number(args.runs);

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/** One request on a new connection: `{status, headers, body}`, or null when it never got an answer. */
function send(port, method, path, { body, headers = {} } = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: {
          host: `localhost:${port}`,
          ...(body !== undefined && {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
        res.on('error', () => resolve(null));
      },
    );
    req.on('error', () => resolve(null));
    req.end(payload);
  });
}

const cookieOf = (answer) => answer?.headers['set-cookie']?.[0]?.split(';')[0] ?? null;

async function createPostgresDatabase(baseUrl) {
  const { default: pg } = await import('pg');
  const name = `tessera_bench_start_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  return {
    url: Object.assign(new URL(baseUrl), { pathname: `/${name}` }).toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'tessera-bench-start-'));
const database = args.db === 'postgres' ? await createPostgresDatabase(args['pg-url']) : null;
const adminKey = randomBytes(32).toString('base64url');
const env = {
  ...process.env,
  PORT: String(port),
  TESSERA_PUBLIC_URL: `http://localhost:${port}`,
  TESSERA_DATA_DIR: dataDir,
  TESSERA_DATABASE_URL: database?.url ?? `sqlite:${join(dataDir, 'tessera.db')}`,
  TESSERA_ADMIN_KEY: adminKey,
  TESSERA_SECRET: randomBytes(32).toString('base64url'),
  TESSERA_DEMO: '0',
  TESSERA_LOG_LEVEL: 'warn',
};

const children = new Set();

/** Spawns the server; polls /healthz and the refresh every 5 ms until both answered 200. */
async function startOnce(cookie) {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const exited = once(child, 'exit');
  const until = async (attempt) => {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      if (performance.now() - spawnedAt > 30_000) throw new Error('not serving after 30 s');
      const answer = await attempt();
      if (answer?.status === 200) return { at: performance.now() - spawnedAt, answer };
      await sleep(5);
    }
  };
  const [health, refreshed] = await Promise.all([
    until(() => send(port, 'GET', '/healthz')),
    cookie
      ? until(() =>
          send(port, 'POST', '/auth/v1/refresh', {
            body: { clientId: 'app' },
            headers: { origin: ORIGIN, 'x-tessera-request': '1', cookie },
          }),
        )
      : null,
  ]);
  return {
    healthMs: health.at,
    refreshMs: refreshed?.at ?? null,
    cpuMs: cpuMillisOf(child.pid),
    cookie: refreshed ? cookieOf(refreshed.answer) : null,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** CPU time (user + system) the process has used so far, from /proc (10 ms ticks). */
function cpuMillisOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function admin(method, path, body) {
  const answer = await send(port, method, `/admin/v1${path}`, {
    body,
    headers: { authorization: `Bearer ${adminKey}` },
  });
  if (!answer || answer.status >= 300)
    throw new Error(`${method} ${path}: ${answer?.status} ${answer?.body}`);
  return JSON.parse(answer.body || 'null');
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  // The first start migrates the empty database and creates the keys: not counted.
  const first = await startOnce(null);
  await admin('POST', '/environments/default/clients', {
    clientId: 'app',
    name: 'App',
    type: 'spa',
    redirectUris: [`${ORIGIN}/callback`],
    allowedOrigins: [ORIGIN],
    postLogoutRedirectUris: [ORIGIN],
  });
  await admin('POST', '/environments/default/tenants', { id: 'acme', name: 'Acme' });
  const user = await admin('POST', '/environments/default/users', {
    email: 'bench@start.example',
    password: PASSWORD,
  });
  await admin('PUT', `/environments/default/tenants/acme/members/${user.id}`, { roles: [] });
  const login = await send(port, 'POST', '/auth/v1/login', {
    body: { email: 'bench@start.example', password: PASSWORD, clientId: 'app' },
    headers: { origin: ORIGIN, 'x-tessera-request': '1' },
  });
  let cookie = cookieOf(login);
  if (!cookie) throw new Error(`login failed: ${login?.status} ${login?.body}`);
  await first.stop();

  const results = [];
  for (let i = 0; i < runs; i++) {
    const run = await startOnce(cookie);
    cookie = run.cookie;
    await run.stop();
    results.push(run);
    console.log(
      `run ${i + 1}: /healthz 200 after ${run.healthMs.toFixed(0)} ms, first refresh served after ${run.refreshMs.toFixed(0)} ms`,
    );
    await sleep(200);
  }
  const summary = (key) => {
    const xs = results.map((r) => r[key]);
    return `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
  };
  console.log(
    `\n${args.db}, ${runs} starts, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}`,
  );
  console.log(`  spawn to /healthz 200:        ${summary('healthMs')}`);
  console.log(`  spawn to first refresh 200:   ${summary('refreshMs')}`);
  console.log(`  server CPU until then:        ${summary('cpuMs')}`);
} finally {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
}
