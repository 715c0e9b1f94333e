/**
 * `GET /metrics` (docs/operations.md, "Metrics"): off (404) without TESSERA_METRICS_TOKEN, 401
 * without the token, and counts of what the node did — labelled by route pattern and closed lists
 * of codes only, never by a value a request sent.
 */
import { randomBytes } from 'node:crypto';
import { type EventStreamReader, readEventStream } from '@tessera/testing/event-stream';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { insertConfidentialClient } from '@tessera/testing/hosted-login';
import { cookieFrom, seedWorld, sessionApi } from '@tessera/testing/world';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../metrics/prometheus-metrics.js';
import { openStorage } from '../storage/open.js';
import { createTestSchema, postgresTestAvailability } from '../storage/postgres/test-database.js';

const TOKEN = 'metrics-token-'.padEnd(40, 'm');
const METRICS_ON = { TESSERA_METRICS_TOKEN: TOKEN };

/** `authorization: null` sends none. */
const scrape = (t: TestServer, authorization: string | null = `Bearer ${TOKEN}`) =>
  t.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: authorization === null ? {} : { authorization },
  });

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const t of servers.splice(0)) await t.close();
  });
  async function start(env: Record<string, string> = METRICS_ON): Promise<TestServer> {
    const t = await createTestServer({ env });
    servers.push(t);
    await seedWorld(t);
    return t;
  }

  it('is a 404 when TESSERA_METRICS_TOKEN is unset, and nothing is counted', async () => {
    const t = await start({});
    const response = await scrape(t);
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('not_found');
    expect(t.metrics).toBeNull();
  });

  it.each([
    ['no Authorization header', null],
    ['a wrong token', `Bearer ${'x'.repeat(40)}`],
    ['the token with one character less', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token as Basic credentials', `Basic ${TOKEN}`],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 with a challenge for %s, and no metric in the body', async (_name, authorization) => {
    const t = await start();
    const response = await scrape(t, authorization);
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('unauthorized');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="tessera-metrics"');
    expect(response.body).not.toContain('tessera_');
  });

  it('answers the exposition with the token, uncached, and refuses other methods', async () => {
    const t = await start();
    const response = await scrape(t);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers['cache-control']).toBe('no-store');
    for (const name of [
      'tessera_http_request_duration_seconds',
      'tessera_refresh_total',
      'tessera_logins_total',
      'tessera_sessions_started_total',
      'tessera_sessions_ended_total',
      'tessera_live_sessions',
      'tessera_throttle_hits_total',
      'tessera_revocation_feed_subscribers',
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_eventloop_lag_max_seconds',
      'nodejs_heap_size_used_bytes',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_open_fds',
      'process_start_time_seconds',
    ]) {
      expect(response.body).toContain(`# TYPE ${name} `);
    }
    const post = await t.app.inject({
      method: 'POST',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(post.statusCode).toBe(405);
    // No observer on every garbage collection (src/metrics/process-metrics.ts).
    expect(response.body).not.toContain('nodejs_gc_duration_seconds');
    const rss = /^process_resident_memory_bytes (\d+)$/m.exec(response.body);
    expect(Number(rss?.[1])).toBeGreaterThan(1_000_000);
  });

  it('counts logins, refreshes by outcome, sessions started and ended, and live sessions', async () => {
    const t = await start();
    const api = sessionApi(t);
    const cookie = cookieFrom(await api.login());
    expect((await api.login({ password: 'wrong password' })).statusCode).toBe(401);
    const refreshed = await api.refresh(cookie);
    expect(refreshed.statusCode).toBe(200);
    expect((await api.refresh('tessera_rt=not-a-token')).statusCode).toBe(401);
    expect((await api.logout(cookieFrom(refreshed))).statusCode).toBe(204);
    const second = cookieFrom(await api.login());

    const text = (await scrape(t)).body;
    expect(sample(text, 'tessera_logins_total{outcome="ok"}')).toBe(2);
    expect(sample(text, 'tessera_logins_total{outcome="invalid_credentials"}')).toBe(1);
    expect(sample(text, 'tessera_refresh_total{outcome="ok"}')).toBe(1);
    expect(sample(text, 'tessera_refresh_total{outcome="no_session"}')).toBe(1);
    expect(sample(text, 'tessera_sessions_started_total')).toBe(2);
    expect(sample(text, 'tessera_sessions_ended_total{reason="logout"}')).toBe(1);
    expect(sample(text, 'tessera_live_sessions')).toBe(1);
    expect(second).toBeTruthy();
  });

  it('samples live sessions at most every 15 s', async () => {
    const t = await start();
    const api = sessionApi(t);
    await api.login();
    expect(sample((await scrape(t)).body, 'tessera_live_sessions')).toBe(1);
    await api.login();
    expect(sample((await scrape(t)).body, 'tessera_live_sessions')).toBe(1);
  });

  it('labels requests by route pattern, never by the raw URL', async () => {
    const t = await start();
    const envId = `env${randomBytes(6).toString('hex')}`;
    const stray = `/no-such-${randomBytes(6).toString('hex')}`;
    await t.app.inject({ method: 'GET', url: `/e/${envId}/.well-known/jwks.json` });
    await t.app.inject({ method: 'GET', url: stray });
    const text = (await scrape(t)).body;
    expect(text).toContain(
      'tessera_http_request_duration_seconds_count{route="/e/:envId/.well-known/jwks.json",method="GET",status="404"} 1',
    );
    expect(text).toContain(
      'tessera_http_request_duration_seconds_count{route="unmatched",method="GET",status="404"} 1',
    );
    expect(text).not.toContain(envId);
    expect(text).not.toContain(stray);
  });

  it('counts the throttle refusing a login', async () => {
    const t = await start();
    const api = sessionApi(t);
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++)
      status = (await api.login({ password: `wrong ${i}` })).statusCode;
    expect(status).toBe(429);
    const text = (await scrape(t)).body;
    expect(sample(text, 'tessera_throttle_hits_total')).toBe(1);
    expect(sample(text, 'tessera_logins_total{outcome="rate_limited"}')).toBe(1);
  });

  it('counts the open revocation-feed streams', async () => {
    const t = await start();
    const basic = await insertConfidentialClient(t, 'feed-secret-'.padEnd(43, 'f'));
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    let stream: EventStreamReader | undefined;
    try {
      expect(sample((await scrape(t)).body, 'tessera_revocation_feed_subscribers')).toBe(0);
      const response = await fetch(`${base}/auth/v1/revocations`, {
        headers: { authorization: basic, accept: 'text/event-stream' },
      });
      expect(response.status).toBe(200);
      stream = readEventStream(response);
      expect(sample((await scrape(t)).body, 'tessera_revocation_feed_subscribers')).toBe(1);
    } finally {
      await stream?.close();
    }
  });

  it('keeps the counts of two servers in one process apart', async () => {
    const first = await start();
    const second = await start();
    await sessionApi(first).login();
    expect(sample((await scrape(first)).body, 'tessera_logins_total{outcome="ok"}')).toBe(1);
    expect(sample((await scrape(second)).body, 'tessera_logins_total{outcome="ok"}')).toBeUndefined();
  });
});

describe.runIf(await postgresTestAvailability())('/metrics on PostgreSQL', () => {
  it('times the queries and shows the pool', async () => {
    const schema = await createTestSchema();
    const metrics = createPrometheusMetrics();
    const storage = await openStorage(schema.url, {
      schema: schema.name,
      observer: metrics.postgresPool,
    });
    const t = await createTestServer({ backend: 'postgres', storage, env: METRICS_ON, metrics });
    try {
      await seedWorld(t);
      expect((await sessionApi(t).login()).statusCode).toBe(200);
      const text = (await scrape(t)).body;
      expect(sample(text, 'tessera_db_query_duration_seconds_count')).toBeGreaterThan(5);
      expect(sample(text, 'tessera_db_pool_connections')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'tessera_db_pool_idle_connections')).toBeTypeOf('number');
      expect(sample(text, 'tessera_db_pool_waiting_requests')).toBeTypeOf('number');
    } finally {
      await t.close();
      await schema.drop();
    }
  });

  it('shows no PostgreSQL metrics on SQLite', async () => {
    const t = await createTestServer({ env: METRICS_ON });
    try {
      expect((await scrape(t)).body).not.toContain('tessera_db_');
    } finally {
      await t.close();
    }
  });
});
