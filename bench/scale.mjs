// Refresh throughput and latency as the store grows (issue #13 item 3): for each size, a fresh
// database migrated by the server, seeded in bulk with months of history (bench/scale-seed.mjs),
// then a closed-loop refresh load over sessions logged in through the API, with the pruner running.
//
//   npm run build && node bench/scale.mjs [--db sqlite|postgres] [--sessions 10000,100000,1000000]
//     [--connections 64] [--users 500] [--seconds 15] [--prune-interval auto|off|<seconds>] [--keep]
//     [--seed-cache DIR [--seed-only]]   (seed once, measure later: see seedCache below)
//
// Per size: the server starts once on the empty database (migrations, demo environment, signing
// key) and stops; the history is written with SQL; the server starts again and the load's users
// log in (POST /auth/v1/login, 8 at a time); it stops and starts a third time with
// TESSERA_PRUNE_INTERVAL_SECONDS (`auto`: the login server's start-up time + 4 s, at least 5), so
// the pruner's first run — the whole backlog the seed left past retention — starts inside the
// measured window, a second after the warm-up, and runs again every interval. Warm-up
// 3 s, then `--seconds` of closed-loop refreshes (every one `"active": true`), each connection
// cycling over its own share of the sessions so no two requests race on one token.
//
// Prints a Markdown table and writes the JSON to bench/results/scale-<db>-<time>.json.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { runLoad } from './load.mjs';
import { SEED_PASSWORD, userEmail } from './scale-seed.mjs';
import { createDatabase, SERVER_DIST, seedScaleDatabase, startScaleServer } from './scale-support.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    sessions: { type: 'string', default: '10000,100000,1000000' },
    connections: { type: 'string', default: '64' },
    users: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '15' },
    'prune-interval': { type: 'string', default: 'auto' },
    keep: { type: 'boolean', default: false },
    'seed-cache': { type: 'string' },
    'seed-only': { type: 'boolean', default: false },
  },
});
if (!['sqlite', 'postgres'].includes(values.db)) throw new Error('--db is sqlite or postgres');
const sizes = values.sessions.split(',').map(Number);
const connections = Number(values.connections);
const loadUsers = Number(values.users);
const seconds = Number(values.seconds);
for (const [option, value] of Object.entries({ connections, users: loadUsers, seconds })) {
  if (!Number.isInteger(value) || value < 1) usage(`--${option} must be a positive integer`);
}
if (sizes.some((size) => !Number.isInteger(size) || size < 2)) usage('--sessions takes sizes of at least 2');
// Each connection cycles over sessions of its own (no two requests race on one token): it needs one.
// The load logs in at most half a size's seeded users.
const fewestLoadUsers = Math.min(loadUsers, ...sizes.map((size) => Math.ceil(size / 2)));
if (connections > fewestLoadUsers) {
  usage(
    `--connections (${connections}) must not exceed the users logged in (${fewestLoadUsers}: --users, at most half of --sessions)`,
  );
}
const log = (message) => console.error(`[scale ${new Date().toISOString().slice(11, 19)}] ${message}`);
const headers = { 'content-type': 'application/json', 'x-tessera-request': '1' };

const results = [];
const report = {
  command: `node bench/scale.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  database: values.db,
  server: SERVER_DIST,
  connections,
  loadUsers,
  seconds,
  pruneInterval: values['prune-interval'],
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  date: new Date().toISOString(),
  results,
};
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
const file = new URL(`results/scale-${values.db}-${report.date.replace(/[:.]/g, '-')}.json`, import.meta.url);
// Written after every size, so a long run that is stopped keeps what it measured.
if (values['seed-only'] && !values['seed-cache']) throw new Error('--seed-only needs --seed-cache DIR');
for (const sessions of sizes) {
  const result = await runSize(sessions);
  if (!result) continue;
  results.push(result);
  log(JSON.stringify(results.at(-1)));
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
if (results.length > 0) {
  console.log(markdownTable(report));
  console.log(`\nJSON: ${file.pathname}`);
}

async function runSize(sessions) {
  const cache = values['seed-cache'] ? seedCache(values['seed-cache'], values.db, sessions) : null;
  const cached = cache?.read() ?? null;
  const database = await createDatabase(values.db, cached?.source);
  const secret = cached?.secret ?? randomBytes(32).toString('base64url');
  log(`${sessions} sessions on ${values.db} (${database.url})`);
  const quiet = { TESSERA_PRUNE_INTERVAL_SECONDS: '86400' };
  try {
    let seeded;
    let seedSeconds;
    if (cached) {
      ({ seeded, seedSeconds } = cached);
      log(`seeded ${cached.ageMinutes} min ago (the seed cache): ${JSON.stringify(seeded)}`);
    } else {
      ({ seeded, seedSeconds } = await seedScaleDatabase({ database, sessions, secret, log }));
      log(`seeded in ${seedSeconds.toFixed(0)} s: ${JSON.stringify(seeded)}`);
      if (cache) await cache.write({ database, secret, seeded, seedSeconds });
    }
    if (values['seed-only']) return null;
    return await measureSize({ sessions, database, secret, quiet, seeded, seedSeconds, cached });
  } finally {
    if (values.keep) log(`kept ${database.url}`);
    else await database.drop();
  }
}

/**
 * `--seed-cache DIR`: the seeded database of each size kept once (SQLite: a file in DIR; PostgreSQL:
 * a database `tessera_scale_seed_<size>` used as a template) with its secret, so that seeding — a
 * quarter of an hour at 1 M — can run while the machine is busy and the measured runs later, on a
 * quiet one. The history's timestamps are the seed's: its age is in the results.
 */
function seedCache(dir, kind, sessions) {
  const meta = join(dir, `${kind}-${sessions}.json`);
  return {
    read() {
      if (!existsSync(meta)) return null;
      const kept = JSON.parse(readFileSync(meta, 'utf8'));
      return { ...kept, ageMinutes: Math.round((Date.now() - kept.seededAt) / 60_000) };
    },
    async write({ database, secret, seeded, seedSeconds }) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      let source;
      if (kind === 'sqlite') {
        source = join(dir, `sqlite-${sessions}.db`);
        copyFileSync(database.file, source);
      } else {
        source = `tessera_scale_seed_${sessions}`;
        await database.copyTo(source);
      }
      const kept = { source, secret, seeded, seedSeconds, seededAt: Date.now(), server: SERVER_DIST };
      writeFileSync(meta, `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
      log(`kept the seeded database for later runs: ${source}`);
    },
  };
}

async function measureSize({ sessions, database, secret, quiet, seeded, seedSeconds, cached }) {
  // 3. The load's users log in through the API.
  const loginServer = await startScaleServer({ database, secret, extraEnv: quiet });
  const startupSeconds = loginServer.readyAfterMs / 1000;
  let cookies;
  try {
    cookies = await logIn(loginServer.url, Math.min(loadUsers, Math.ceil(sessions / 2)));
  } finally {
    await loginServer.stop();
  }
  log(`${cookies.length} users logged in`);

  // 4. The measured run, the pruner's first run inside it: `auto` sets the interval to the previous
  // start's time + 6 s (this machine is shared and its starts vary), and the warm-up waits for it.
  // `off`: no prune during the run (a day's interval, no wait), to tell the store's size apart
  // from the backlog's pruning.
  const pruneOff = values['prune-interval'] === 'off';
  const pruneInterval = pruneOff
    ? 86_400
    : values['prune-interval'] === 'auto'
      ? Math.max(5, Math.ceil(startupSeconds + 6))
      : Number(values['prune-interval']);
  const server = await startScaleServer({
    database,
    secret,
    extraEnv: { TESSERA_PRUNE_INTERVAL_SECONDS: String(pruneInterval) },
  });
  // The warm-up ends a second before the pruner's first run (when this start was not slower).
  if (!pruneOff) await sleep(Math.max(0, server.startedAt + (pruneInterval - 4) * 1000 - Date.now()));
  const dispatcher = new Agent({ connections, pipelining: 1 });
  try {
    const body = JSON.stringify({ clientId: 'demo', active: true });
    const turn = Array(connections).fill(0);
    const step = async (worker) => {
      // Connection `worker` owns sessions worker, worker + connections, …
      const owned = Math.ceil((cookies.length - worker) / connections);
      const index = worker + connections * (turn[worker]++ % owned);
      const response = await request(`${server.url}/auth/v1/refresh`, {
        method: 'POST',
        dispatcher,
        headers: { ...headers, cookie: cookies[index] },
        body,
      });
      await response.body.dump();
      if (response.statusCode !== 200) return false;
      cookies[index] = refreshCookie(response.headers['set-cookie']);
      return true;
    };
    await runLoad({ concurrency: connections, seconds: 3, step });
    const load1 = loadavg()[0];
    const cpuBefore = server.cpuSeconds();
    const windowStart = Date.now();
    const run = await runLoad({ concurrency: connections, seconds, step });
    const windowEnd = Date.now();
    const cpu = server.cpuSeconds() - cpuBefore;
    const rssMiB = server.rssMiB();
    const sizeBytes = await database.sizeBytes();
    return {
      sessions,
      pruneIntervalSeconds: pruneInterval,
      seeded: seeded.counts,
      pastRetention: seeded.prunable,
      seedSeconds: Math.round(seedSeconds),
      seedAgeMinutes: cached ? cached.ageMinutes : 0,
      refreshesPerSecond: Math.round(run.perSecond),
      p50Ms: Number(run.p50.toFixed(2)),
      p99Ms: Number(run.p99.toFixed(2)),
      errors: run.errors,
      requests: run.requests,
      serverCpuMicrosPerRefresh: Math.round((cpu / run.requests) * 1e6),
      serverCpuPercent: Math.round((cpu / seconds) * 100),
      generatorCpuPercent: run.generatorCpuPercent,
      serverRssMiB: Math.round(rssMiB),
      databaseMiB: Math.round(sizeBytes.file / 2 ** 20),
      ...(sizeBytes.wal === undefined ? {} : { walMiB: Math.round(sizeBytes.wal / 2 ** 20) }),
      pruneRuns: server.pruneRuns.map((entry) => ({
        ...entry,
        secondsAfterStart: Number(((entry.at - server.startedAt) / 1000).toFixed(1)),
        inWindow: entry.at >= windowStart && entry.at <= windowEnd,
      })),
      windowSecondsAfterStart: [
        Number(((windowStart - server.startedAt) / 1000).toFixed(1)),
        Number(((windowEnd - server.startedAt) / 1000).toFixed(1)),
      ],
      loadAverage1m: { before: Number(load1.toFixed(2)), after: Number(loadavg()[0].toFixed(2)) },
    };
  } finally {
    await dispatcher.close();
    await server.stop();
  }
}

/** Logs in the first `count` seeded users, 8 at a time; their refresh cookies, in user order. */
async function logIn(url, count) {
  const dispatcher = new Agent({ connections: 8 });
  const cookies = Array(count);
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < count) {
          const user = next++;
          const response = await request(`${url}/auth/v1/login`, {
            method: 'POST',
            dispatcher,
            headers,
            body: JSON.stringify({ email: userEmail(user), password: SEED_PASSWORD, clientId: 'demo' }),
          });
          const text = await response.body.text();
          if (response.statusCode !== 200)
            throw new Error(`login of user ${user}: ${response.statusCode} ${text}`);
          cookies[user] = refreshCookie(response.headers['set-cookie']);
        }
      }),
    );
  } finally {
    await dispatcher.close();
  }
  return cookies;
}

function refreshCookie(setCookie) {
  const cookie = [setCookie].flat().find((value) => String(value).startsWith('tessera_refresh='));
  if (!cookie) throw new Error('no tessera_refresh cookie in the answer');
  return cookie.split(';')[0];
}

/** Rows each pruner run deleted and when it finished (s after the server's start); the backlog run unfinished at the window's end says so. */
function prunedCell(r) {
  const finished = r.pruneRuns
    .filter((p) => p.inWindow)
    .map(
      (p) =>
        `${(p.refreshTokens ?? 0) + (p.sessions ?? 0) + (p.events ?? 0)} rows, done @${p.secondsAfterStart} s`,
    );
  const [, windowEnd] = r.windowSecondsAfterStart;
  if (r.pruneRuns.length === 0 && r.pruneIntervalSeconds < windowEnd) {
    finished.push(`backlog run started @${r.pruneIntervalSeconds} s, unfinished @${windowEnd} s`);
  }
  return finished.join('; ') || '–';
}

function markdownTable(report) {
  const rows = report.results.map((r) =>
    [
      r.sessions.toLocaleString('en'),
      r.refreshesPerSecond.toLocaleString('en'),
      `${r.p50Ms} / ${r.p99Ms} ms`,
      r.serverCpuMicrosPerRefresh,
      r.serverRssMiB,
      r.walMiB === undefined
        ? r.databaseMiB.toLocaleString('en')
        : `${r.databaseMiB.toLocaleString('en')} + WAL ${r.walMiB}`,
      `${prunedCell(r)} [${r.windowSecondsAfterStart.join('–')}]`,
      r.errors,
      `${r.loadAverage1m.before} → ${r.loadAverage1m.after}`,
    ].join(' | '),
  );
  return [
    `${report.database}, ${report.connections} connections over ${report.loadUsers} sessions, ${report.seconds} s, pruner every ${report.pruneInterval === 'auto' ? 'N' : report.pruneInterval} s (N in the JSON: a second after the warm-up)`,
    '',
    '| sessions | refreshes/s | p50 / p99 | server CPU µs/refresh | RSS MiB | DB MiB | pruner in the window [window, s after start] | errors | load avg 1m |',
    '| -------- | ----------- | --------- | --------------------- | ------- | ------ | ------------------------- | ------ | ----------- |',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

function usage(message) {
  console.error(message);
  process.exit(2);
}
