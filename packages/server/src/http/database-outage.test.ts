/**
 * F-03 / OPS-06: with the database gone, the server answers `503 service_unavailable` with
 * Retry-After (the pool's connect timeout bounds the wait), decides nothing, and recovers by itself
 * when the database is back.
 */

import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { startTcpProxy, type TcpProxy } from '@tessera/testing/tcp-proxy';
import { cookieFrom, json, seedWorld, sessionApi } from '@tessera/testing/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../storage/open.js';
import {
  createTestSchema,
  postgresTestAvailability,
  testPostgresUrl,
} from '../storage/postgres/test-database.js';

const available = await postgresTestAvailability();

describe.runIf(available)('a PostgreSQL outage', () => {
  let proxy: TcpProxy;
  let t: TestServer;
  let dropSchema: () => Promise<void>;

  beforeAll(async () => {
    const target = new URL(testPostgresUrl());
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const schema = await createTestSchema();
    dropSchema = schema.drop;
    const viaProxy = new URL(schema.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await createTestServer({
      backend: 'postgres',
      storage: await openStorage(viaProxy.toString(), { schema: schema.name, logger: { warn: () => {} } }),
    });
    await seedWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await dropSchema?.();
  });

  it('is a 503 that consumes nothing, then the same cookie works again', async () => {
    const api = sessionApi(t);
    const cookie = cookieFrom(await api.login());
    await proxy.cut();
    const refused = await api.refresh(cookie);
    expect(refused.statusCode).toBe(503);
    expect(json(refused).error).toBe('service_unavailable');
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['set-cookie']).toBeUndefined();

    await proxy.restore();
    const recovered = await api.refresh(cookie);
    expect(recovered.statusCode).toBe(200);
  });

  it('OPS-06: /readyz is ready while the database answers, a 503 while it does not, and ready again after', async () => {
    const readyz = () => t.app.inject({ method: 'GET', url: '/readyz' });
    const ready = await readyz();
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
    expect(ready.headers['cache-control']).toBe('no-store');

    await proxy.cut();
    const unready = await readyz();
    expect(unready.statusCode).toBe(503);
    expect(unready.json()).toEqual({ status: 'not_ready', failed: ['database'] });
    expect(unready.headers['cache-control']).toBe('no-store');

    await proxy.restore();
    expect((await readyz()).statusCode).toBe(200);
  });
});
