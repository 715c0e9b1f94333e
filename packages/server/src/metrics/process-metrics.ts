/**
 * The process's own metrics (docs/operations.md, "Metrics"): CPU, memory, open files, start time
 * and event-loop lag, under the names Prometheus' client libraries use. Everything is read at
 * scrape time, nothing per request.
 *
 * Not prom-client's `collectDefaultMetrics`: its GC-duration histogram keeps a
 * `PerformanceObserver` on every garbage collection, which a refresh-heavy server runs hundreds of
 * times a second (bench/README.md, "Metrics on vs off on the refresh path, same run").
 */
import { readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

/** The event-loop delay sampler's resolution: a libuv timer this often, whatever the load. */
const EVENT_LOOP_RESOLUTION_MS = 20;

/**
 * Registers the process metrics; the event-loop sampler runs (a libuv timer every
 * {@link EVENT_LOOP_RESOLUTION_MS} ms) until `stop`.
 */
export function registerProcessMetrics(registry: Registry): { stop(): void } {
  const registers = [registry];
  const startedAt = Math.round(Date.now() / 1000 - process.uptime());

  new Gauge({
    name: 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    registers,
    collect() {
      const { user, system } = process.cpuUsage();
      this.set((user + system) / 1e6);
    },
  });
  new Gauge({
    name: 'process_start_time_seconds',
    help: 'Start time of the process since unix epoch in seconds.',
    registers,
    collect() {
      this.set(startedAt);
    },
  });
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: 'nodejs_heap_size_used_bytes',
    help: 'Process heap size used from Node.js in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  new Gauge({
    name: 'nodejs_heap_size_total_bytes',
    help: 'Process heap size from Node.js in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage().heapTotal);
    },
  });
  new Gauge({
    name: 'process_open_fds',
    help: 'Number of open file descriptors (Linux only).',
    registers,
    collect() {
      const open = openFileDescriptors();
      if (open !== null) this.set(open);
    },
  });

  const delay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  delay.enable();
  // The delay beyond the sampler's own resolution, in seconds, since the previous scrape.
  const lagSeconds = (nanoseconds: number) =>
    Number.isFinite(nanoseconds) ? Math.max(0, nanoseconds / 1e9 - EVENT_LOOP_RESOLUTION_MS / 1000) : 0;
  // As prom-client does: the first gauge's collect reads the sampler once per scrape, sets the
  // other two and starts the next interval (registered first, it is collected first).
  const p99 = new Gauge({
    name: 'nodejs_eventloop_lag_p99_seconds',
    help: 'The 99th percentile of event-loop lag since the previous scrape, in seconds.',
    registers: [],
  });
  const max = new Gauge({
    name: 'nodejs_eventloop_lag_max_seconds',
    help: 'The longest event-loop lag since the previous scrape, in seconds.',
    registers: [],
  });
  new Gauge({
    name: 'nodejs_eventloop_lag_seconds',
    help: 'Mean event-loop lag since the previous scrape, in seconds.',
    registers,
    collect() {
      this.set(lagSeconds(delay.mean));
      p99.set(lagSeconds(delay.percentile(99)));
      max.set(lagSeconds(delay.max));
      delay.reset();
    },
  });
  registry.registerMetric(p99);
  registry.registerMetric(max);
  return { stop: () => delay.disable() };
}

function openFileDescriptors(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}
