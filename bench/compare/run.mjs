// Tessera next to its peers, doing the same work, driven by one load generator (this process).
// `npm run bench:compare` prepares (./prepare.mjs) and runs this; see docs/benchmarks.md.
//
//   node bench/compare/run.mjs [--users 500] [--connections 64] [--seconds 15] [--warmup 3]
//     [--rounds 2] [--only tessera-sqlite,oidc-provider-memory] [--idle-load 0.5] [--idle-wait 180]
//     [--pg-url postgres://postgres@127.0.0.1:5432/postgres] [--out bench/results] [--docs]
//
// --docs: also put the table into docs/benchmarks.md (for a run worth publishing).
//
// For each round, every target in turn (the order reversed every other round): wait for an idle
// machine, start the target's server process, set up the users, warm up, then run a closed loop
// of `connections` requests in flight over `users` users (a user is never in flight twice: each
// holds its own rotating credential), and measure the server process's CPU time and RSS; then the
// same time again paced at half the rate just measured, for the latency below the peak.
import { parseArgs } from 'node:util';
import { Agent } from 'undici';
import { runLoad } from '../load.mjs';
import { loadAverage, processCpuSeconds, processRssMiB, waitForIdle } from './machine.mjs';
import { cpuSecondsBetween, dropPostgresDatabase, postgresBackendsCpuSeconds } from './postgres.mjs';
import { softwareVersions, updateDocs, writeReport } from './report.mjs';
import { target, targetNames } from './targets.mjs';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '500' },
    connections: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '2' },
    only: { type: 'string', default: targetNames.join(',') },
    'idle-load': { type: 'string', default: '0.5' },
    'idle-wait': { type: 'string', default: '180' },
    'pg-url': {
      type: 'string',
      default: process.env.TESSERA_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    out: { type: 'string', default: new URL('../results/', import.meta.url).pathname },
    docs: { type: 'boolean', default: false },
  },
});

const settings = {
  users: positiveInteger('users'),
  connections: positiveInteger('connections'),
  seconds: positiveInteger('seconds'),
  warmupSeconds: positiveInteger('warmup'),
  rounds: positiveInteger('rounds'),
  idleLoad: Number(values['idle-load']),
  idleWaitSeconds: Number(values['idle-wait']),
};
if (settings.connections > settings.users)
  fail('--connections must not exceed --users: a user is never in flight twice');
if (!(settings.idleLoad > 0) || !(settings.idleWaitSeconds >= 0))
  fail('--idle-load must be > 0, --idle-wait ≥ 0');
const names = values.only.split(',').map((name) => name.trim());
for (const name of names)
  if (!targetNames.includes(name)) fail(`--only: unknown target ${name} (one of ${targetNames.join(', ')})`);
const pgUrl = values['pg-url'];

// The peers read NODE_ENV (Koa, better-auth); Tessera does not. Production for all of them.
process.env.NODE_ENV = 'production';
process.env.TESSERA_LOG_LEVEL ??= 'info';

const log = (line) => console.error(line);
const versions = await softwareVersions(names, pgUrl);
const startedAt = new Date();
const runs = [];
for (let round = 1; round <= settings.rounds; round++) {
  const order = round % 2 === 1 ? names : [...names].reverse();
  for (const name of order) {
    log(`round ${round}: ${name}`);
    const idle = await waitForIdle({
      threshold: settings.idleLoad,
      maxSeconds: settings.idleWaitSeconds,
      log,
    });
    const result = await measure(name);
    runs.push({ round, target: name, idleBefore: idle, ...result });
    log(
      `  ${result.perSecond}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, errors ${result.errors}, ` +
        `server CPU ${result.serverCpuMsPerRequest} ms/request, RSS ${result.serverRssMiB} MiB`,
    );
  }
}
const files = await writeReport({ settings, names, runs, startedAt, versions, outDir: values.out });
log(`wrote ${files.join(', ')}`);
if (values.docs) log(`updated ${updateDocs(files[1])}`);
const failed = runs.filter((run) => run.errors > 0 || run.staleRefused === false);
if (failed.length > 0) {
  log(
    `errors, or a superseded credential accepted, in: ${failed.map((run) => `${run.target} (round ${run.round})`).join(', ')}`,
  );
  process.exitCode = 1;
}

async function measure(name) {
  const definition = target(name);
  const dispatcher = new Agent({ connections: settings.connections, pipelining: 1 });
  const server = await definition.start({ pgUrl, dispatcher });
  try {
    const setupStarted = Date.now();
    const users = await server.setup(settings.users);
    const setupSeconds = Math.round((Date.now() - setupStarted) / 100) / 10;
    log(`  set up ${settings.users} users in ${setupSeconds} s`);
    const firstCredential = users[0].credential;
    const idleUsers = [...users];
    const step = async () => {
      const user = idleUsers.shift();
      try {
        return await server.step(user);
      } catch {
        return false;
      } finally {
        idleUsers.push(user);
      }
    };
    await runLoad({ concurrency: settings.connections, seconds: settings.warmupSeconds, step });
    const databaseCpu = async () =>
      server.databaseUrl ? postgresBackendsCpuSeconds(pgUrl, server.databaseUrl) : new Map();
    const loadBefore = loadAverage();
    const cpuBefore = processCpuSeconds(server.pid);
    const databaseCpuBefore = await databaseCpu();
    const result = await runLoad({ concurrency: settings.connections, seconds: settings.seconds, step });
    const serverCpu = processCpuSeconds(server.pid) - cpuBefore;
    const databaseCpuUsed = cpuSecondsBetween(databaseCpuBefore, await databaseCpu());
    const serverRssMiB = Math.round(processRssMiB(server.pid));
    // Latency at half of this target's own peak (issue #13: p99 < 20 ms at half of Tessera's),
    // paced: each connection sends at its share of the rate rather than as fast as it can.
    const half = await runLoad({
      concurrency: settings.connections,
      seconds: settings.seconds,
      step,
      rate: result.perSecond / 2,
    });
    // Every user has rotated since setup: its first credential is superseded and must be refused.
    const staleRefused = definition.rotates ? await server.refusesStale(firstCredential) : null;
    return {
      work: definition.work,
      requests: result.requests,
      perSecond: Math.round(result.perSecond),
      p50Ms: round2(result.p50),
      p99Ms: round2(result.p99),
      errors: result.errors + half.errors,
      halfRatePerSecond: Math.round(half.perSecond),
      halfRateP50Ms: round2(half.p50),
      halfRateP99Ms: round2(half.p99),
      serverCpuMsPerRequest: round2((serverCpu / result.requests) * 1000),
      serverCpuPercent: Math.round((serverCpu / settings.seconds) * 100),
      databaseCpuMsPerRequest: server.databaseUrl ? round2((databaseCpuUsed / result.requests) * 1000) : null,
      serverRssMiB,
      generatorCpuPercent: result.generatorCpuPercent,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAverage(),
      staleRefused,
      setupSeconds,
    };
  } finally {
    await dispatcher.close();
    await server.stop();
    if (server.databaseUrl) await dropPostgresDatabase(pgUrl, server.databaseUrl);
  }
}

function positiveInteger(option) {
  const value = Number(values[option]);
  if (!Number.isInteger(value) || value < 1)
    fail(`--${option} must be a positive integer, not ${values[option]}`);
  return value;
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

function round2(value) {
  return Math.round(value * 100) / 100;
}
