// Refresh throughput with metrics off and on, alternating in one run (issue #12): each round starts
// a fresh server without TESSERA_METRICS_TOKEN, then one with it whose /metrics this process scrapes
// every second while the load runs, as Prometheus would (the order flips every round, so neither
// setting always runs first on a machine that drifts). Each measurement: 50 clients, 3 s warm-up,
// `--seconds` at full speed (bench/refresh-run.mjs).
//
//   npm run build && node bench/refresh-metrics.mjs [--rounds 4] [--seconds 10] [--db sqlite|postgres] [--port 4100]
//
// Prints every measurement (refreshes/s, server CPU µs per refresh, p99, load average before it),
// then the median of each setting and on / off.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { measureRefresh } from './refresh-run.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    rounds: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '50' },
    port: { type: 'string', default: '4100' },
    'pg-url': {
      type: 'string',
      default: process.env.TESSERA_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/tessera_bench',
    },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: a whole number of at least 1');

const runs = [];
for (let round = 1; round <= rounds; round++) {
  const order = round % 2 === 1 ? ['off', 'on'] : ['on', 'off'];
  for (const metrics of order) {
    const load = loadavg()[0];
    const report = await measureRefresh({
      database: values.db,
      port: Number(values.port),
      pgUrl: values['pg-url'],
      clients: Number(values.clients),
      seconds: Number(values.seconds),
      halfRate: false,
      metricsToken: metrics === 'on' ? randomBytes(32).toString('base64url') : null,
      scrapeEverySeconds: 1,
    });
    const run = {
      round,
      metrics,
      refreshesPerSecond: report.max.perSecond,
      serverCpuMicrosPerRefresh: report.max.serverCpuMicrosPerRefresh,
      serverCpuPercent: report.max.serverCpuPercent,
      p99Ms: Number(report.max.p99Ms),
      errors: report.max.errors,
      loadAverageBefore: Number(load.toFixed(2)),
      ...(metrics === 'on' && { scrapes: report.metrics.scrapes, countedOk: report.metrics.refreshOk }),
    };
    runs.push(run);
    console.error(JSON.stringify(run));
  }
}

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const summary = (metrics) => {
  const of = runs.filter((run) => run.metrics === metrics);
  return {
    refreshesPerSecond: median(of.map((run) => run.refreshesPerSecond)),
    serverCpuMicrosPerRefresh: median(of.map((run) => run.serverCpuMicrosPerRefresh)),
  };
};
const off = summary('off');
const on = summary('on');
console.log(
  JSON.stringify(
    {
      database: values.db,
      rounds,
      seconds: Number(values.seconds),
      runs,
      medianOff: off,
      medianOn: on,
      onOverOff: {
        refreshesPerSecond: Number((on.refreshesPerSecond / off.refreshesPerSecond).toFixed(3)),
        serverCpuMicrosPerRefresh: Number(
          (on.serverCpuMicrosPerRefresh / off.serverCpuMicrosPerRefresh).toFixed(3),
        ),
      },
      machine: `${cpus().length} × ${cpus()[0]?.model}`,
      loadAverageAfter: loadavg().map((n) => Number(n.toFixed(2))),
      node: process.version,
    },
    null,
    2,
  ),
);
