/**
 * The node's Prometheus metrics (docs/operations.md, "Metrics"), in a registry of its own: several
 * servers in one process (the tests) never share or clash. Every label value is a route pattern,
 * an HTTP method or status, or a code from a closed list in this code — never a value a request
 * sent (an unbounded label would be a memory leak anyone can trigger).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SessionEvent } from '../service/events.js';
import type { ServiceMetrics } from '../service/metrics.js';
import type { PoolObserver } from '../storage/open.js';
import type { LoginThrottle } from '../throttle/throttle.js';
import { registerProcessMetrics } from './process-metrics.js';

/** How often, at most, the live-session count is read from the database for a scrape. */
export const LIVE_SESSIONS_SAMPLE_SECONDS = 15;

export interface MetricsSources {
  /** Sessions alive now, over every environment (a database count). */
  liveSessions(): Promise<number>;
  /** Listeners of the revocation feed on this node. */
  revocationFeedSubscribers(): number;
}

export interface TesseraMetrics extends ServiceMetrics {
  /** One HTTP request answered; `route` is the route's pattern, `undefined` when none matched. */
  requestAnswered(route: string | undefined, method: string, status: number, seconds: number): void;
  /** Counts the throttle's refusals. */
  countThrottleHits(throttle: LoginThrottle): LoginThrottle;
  /** The PostgreSQL pool's observer: query times and connection counts (absent on SQLite). */
  readonly postgresPool: PoolObserver;
  /** What is sampled at scrape time. */
  sampleFrom(sources: MetricsSources): void;
  readonly contentType: string;
  /** The exposition text of every metric. */
  render(): Promise<string>;
  /** Stops the event-loop sampler (the server's close); the other metrics read nothing between scrapes. */
  stop(): void;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Codes and reasons are identifiers from this code; anything else is a bug, shown as `other`. */
const CODE = /^[a-z][a-z0-9_]{0,47}$/;

const bounded = (value: unknown): string => (typeof value === 'string' && CODE.test(value) ? value : 'other');

export function createPrometheusMetrics(options: { now?: () => number } = {}): TesseraMetrics {
  const now = options.now ?? (() => performance.now() / 1000);
  const registry = new Registry();
  const processMetrics = registerProcessMetrics(registry);
  const registers = [registry];

  const requestDuration = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const refreshes = new Counter({
    name: 'tessera_refresh_total',
    help: 'Refreshes, by outcome: ok or the refusal code.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const logins = new Counter({
    name: 'tessera_logins_total',
    help: 'Password logins, by outcome: ok or the failure reason.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const sessionsStarted = new Counter({
    name: 'tessera_sessions_started_total',
    help: 'Sessions created.',
    registers,
  });
  const sessionsEnded = new Counter({
    name: 'tessera_sessions_ended_total',
    help: 'Sessions ended, by reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  const throttleHits = new Counter({
    name: 'tessera_throttle_hits_total',
    help: 'Login attempts the throttle refused.',
    registers,
  });

  let sources: MetricsSources | undefined;
  let liveSessions: { value: number; at: number } | undefined;
  new Gauge({
    name: 'tessera_live_sessions',
    help: `Sessions alive now, over every environment (sampled at most every ${LIVE_SESSIONS_SAMPLE_SECONDS} s).`,
    registers,
    async collect() {
      if (!sources) return;
      if (liveSessions === undefined || now() - liveSessions.at >= LIVE_SESSIONS_SAMPLE_SECONDS) {
        // A failed count keeps the last value: a scrape during an outage still answers.
        const value = await sources.liveSessions().catch(() => liveSessions?.value);
        if (value !== undefined) liveSessions = { value, at: now() };
      }
      if (liveSessions !== undefined) this.set(liveSessions.value);
    },
  });
  new Gauge({
    name: 'tessera_revocation_feed_subscribers',
    help: 'Open revocation-feed streams on this node.',
    registers,
    collect() {
      this.set(sources?.revocationFeedSubscribers() ?? 0);
    },
  });

  // One child per label combination, found by one string key: no label object per request.
  const requestChildren = new Map<string, Histogram.Internal<'route' | 'method' | 'status'>>();

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    requestAnswered(route, method, status, seconds) {
      const key = `${status} ${method} ${route}`;
      let child = requestChildren.get(key);
      if (child === undefined) {
        child = requestDuration.labels(
          route ?? 'unmatched',
          METHODS.has(method) ? method : 'other',
          String(status),
        );
        requestChildren.set(key, child);
      }
      child.observe(seconds);
    },
    refreshed(outcome) {
      refreshes.inc({ outcome: bounded(outcome) });
    },
    eventRecorded(event: SessionEvent) {
      switch (event.type) {
        case 'session.created':
          logins.inc({ outcome: 'ok' });
          sessionsStarted.inc();
          return;
        case 'login.failed':
          logins.inc({ outcome: bounded(event.details.reason) });
          return;
        case 'session.ended':
          sessionsEnded.inc({ reason: bounded(event.details.reason) });
          return;
        default:
          return;
      }
    },
    countThrottleHits(throttle) {
      return {
        async check(key) {
          const verdict = await throttle.check(key);
          if (!verdict.allowed) throttleHits.inc();
          return verdict;
        },
        recordFailure: (key) => throttle.recordFailure(key),
        recordSuccess: (key) => throttle.recordSuccess(key),
      };
    },
    postgresPool: postgresPoolMetrics(registers),
    sampleFrom(given) {
      sources = given;
    },
    stop: processMetrics.stop,
  };
}

/** Registered when a pool is watched: a node on SQLite shows no PostgreSQL metrics. */
function postgresPoolMetrics(registers: Registry[]): PoolObserver {
  let queryDuration: Histogram | undefined;
  return {
    queryAnswered(seconds) {
      queryDuration?.observe(seconds);
    },
    watchConnections(read) {
      queryDuration = new Histogram({
        name: 'tessera_db_query_duration_seconds',
        help: 'Time from sending a PostgreSQL query to its answer (or error).',
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
        registers,
      });
      const gauge = (name: string, help: string, value: () => number) =>
        new Gauge({
          name,
          help,
          registers,
          collect() {
            this.set(value());
          },
        });
      gauge('tessera_db_pool_connections', 'PostgreSQL connections open in the pool.', () => read().total);
      gauge(
        'tessera_db_pool_idle_connections',
        'PostgreSQL connections idle in the pool.',
        () => read().idle,
      );
      gauge(
        'tessera_db_pool_waiting_requests',
        'Queries waiting for a PostgreSQL connection from the pool.',
        () => read().waiting,
      );
    },
  };
}
