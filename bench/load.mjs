// Closed-loop load with optional pacing, and latency percentiles.
import { performance } from 'node:perf_hooks';

export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Runs `concurrency` workers for `seconds`; each calls `step(worker)` in a loop. With `rate`
 * (requests/s in total) each worker is paced to its share.
 */
export async function runLoad({ concurrency, seconds, rate, step }) {
  const latencies = [];
  let errors = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const interval = rate ? (concurrency / rate) * 1000 : 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      let next = started + (interval * worker) / concurrency;
      while (performance.now() < deadline) {
        if (interval) {
          const wait = next - performance.now();
          if (wait > 0) await new Promise((done) => setTimeout(done, wait));
          next += interval;
        }
        const t0 = performance.now();
        const ok = await step(worker);
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    /** Share of one core the load generator itself used: near 100 % means it is the bottleneck. */
    generatorCpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / elapsed) * 100),
  };
}
