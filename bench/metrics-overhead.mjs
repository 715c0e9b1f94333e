// CPU time the metrics add to one refresh, in process: what the server does per refresh when
// TESSERA_METRICS_TOKEN is set — one observation of the request-duration histogram and one
// increment of tessera_refresh_total — timed over many calls. Independent of the machine's load,
// unlike refresh.mjs's throughput, so it tells whether a difference there is the metrics or noise.
//
//   npm run build && node bench/metrics-overhead.mjs [--calls 2000000]
import { parseArgs } from 'node:util';
import { createPrometheusMetrics } from '../packages/server/dist/metrics/prometheus-metrics.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '2000000' } } });
const calls = Number(values.calls);
const metrics = createPrometheusMetrics();
const route = '/auth/v1/refresh';

function perRefresh(n) {
  const started = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    metrics.requestAnswered(route, 'POST', 200, 0.004 + (i % 7) * 0.001);
    metrics.refreshed('ok');
  }
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / n; // ns per refresh
}

perRefresh(Math.min(calls, 200_000)); // warm-up (JIT)
const rounds = [perRefresh(calls), perRefresh(calls), perRefresh(calls)];
const best = Math.min(...rounds);
console.log(
  JSON.stringify(
    {
      calls,
      nsPerRefresh: rounds.map((ns) => Math.round(ns)),
      // A refresh costs the server about 1 / (refreshes/s at one core) of CPU: 2,500/s is 400 µs.
      percentOfA400usRefresh: ((best / 400_000) * 100).toFixed(3),
      node: process.version,
    },
    null,
    2,
  ),
);
