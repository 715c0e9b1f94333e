// Refreshes/s of POST /auth/v1/refresh with 50 concurrent clients, each with its own session and
// rotating cookie, from this process against a Tessera server in another process.
//
//   npm run build && node bench/refresh.mjs [--db sqlite|postgres] [--seconds 20] [--clients 50] [--profile DIR] [--metrics] [--port 4100] [--server PATH] [--workers N]
//
// --metrics: the server serves /metrics (a random TESSERA_METRICS_TOKEN), scraped once at the end to
// check that it counted the refreshes (bench/refresh-metrics.mjs compares metrics on and off).
// --server: another build's main.js (a copy of packages/server/dist made before a change), to
// compare two trees run after run on the same machine.
// --workers: TESSERA_WORKERS for the server (several processes on one port); CPU is summed over them.
//
// Prints the maximum rate, p50/p99 and the server's CPU per refresh at that rate, then p50/p99 at
// half of it, and the server's RSS.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { measureRefresh } from './refresh-run.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '50' },
    profile: { type: 'string' },
    metrics: { type: 'boolean', default: false },
    port: { type: 'string', default: '4100' },
    server: { type: 'string' },
    workers: { type: 'string', default: '1' },
    'pg-url': {
      type: 'string',
      default: process.env.TESSERA_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/tessera_bench',
    },
  },
});

const report = await measureRefresh({
  database: values.db,
  port: Number(values.port),
  pgUrl: values['pg-url'],
  clients: Number(values.clients),
  seconds: Number(values.seconds),
  nodeArgs: values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [],
  serverMain: values.server && resolve(values.server),
  workers: Number(values.workers),
  metricsToken: values.metrics ? randomBytes(32).toString('base64url') : null,
});
console.log(JSON.stringify({ ...(values.server && { server: values.server }), ...report }, null, 2));
