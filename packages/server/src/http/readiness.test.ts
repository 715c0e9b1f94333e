/**
 * `/readyz` (docs/operations.md, "Readiness"): ready only when the database answers in time, every
 * migration of the code is applied and a signing key of the default environment is loaded; a 503
 * naming the failed checks otherwise. `/healthz` says only that the process answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { startTcpProxy } from '@tessera/testing/tcp-proxy';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from '../storage/open.js';
import type { Storage } from '../storage/port.js';
import {
  createTestSchema,
  postgresTestAvailability,
  testPostgresUrl,
} from '../storage/postgres/test-database.js';

/** A storage for the server, and a second raw connection to change its tables behind its back. */
interface RawDatabase {
  storage: Storage;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

async function openRawDatabase(backend: 'sqlite' | 'postgres'): Promise<RawDatabase> {
  if (backend === 'postgres') {
    const schema = await createTestSchema();
    const storage = await openStorage(schema.url, { schema: schema.name });
    const client = new pg.Client({ connectionString: schema.url, options: `-c search_path=${schema.name}` });
    await client.connect();
    return {
      storage,
      exec: async (sql) => void (await client.query(sql)),
      close: async () => {
        await client.end();
        await schema.drop();
      },
    };
  }
  const directory = mkdtempSync(join(tmpdir(), 'tessera-readyz-'));
  const file = join(directory, 'tessera.db');
  const storage = await openStorage(`sqlite:${file}`);
  const db = new Database(file);
  return {
    storage,
    exec: async (sql) => void db.exec(sql),
    close: async () => {
      db.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

const readyz = (t: TestServer) => t.app.inject({ method: 'GET', url: '/readyz' });

describe.each(await backendsUnderTest())('/readyz on %s', (backend) => {
  let t: TestServer | undefined;
  let raw: RawDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    await raw?.close();
    t = undefined;
    raw = undefined;
  });

  async function start(): Promise<TestServer> {
    raw = await openRawDatabase(backend);
    t = await createTestServer({ backend, storage: raw.storage });
    return t;
  }

  it('is ready, not cached, when the database answers, is migrated and a key is loaded', async () => {
    const server = await start();
    const ready = await readyz(server);
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
    expect(ready.headers['cache-control']).toBe('no-store');
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });

  it('is not ready when a migration of the code is missing from the database', async () => {
    const server = await start();
    await raw!.exec("DELETE FROM tessera_migrations WHERE id = '0010_webhooks'");
    const unready = await readyz(server);
    expect(unready.statusCode).toBe(503);
    expect(unready.json()).toEqual({ status: 'not_ready', failed: ['migrations'] });
    expect(unready.headers['cache-control']).toBe('no-store');
    // /healthz does not look at the database: the process is alive.
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('is not ready when the default environment has no signing key (once the keyring reloads)', async () => {
    const server = await start();
    expect((await readyz(server)).statusCode).toBe(200);
    await raw!.exec("DELETE FROM signing_keys WHERE env_id = 'default'");
    server.clock.advance(31);
    const unready = await readyz(server);
    expect(unready.statusCode).toBe(503);
    expect(unready.json()).toEqual({ status: 'not_ready', failed: ['signing_key'] });
  });
});

describe.runIf(await postgresTestAvailability())('/readyz with PostgreSQL gone', () => {
  it('answers 503 database within its timeout when the database hangs, and ready again after', async () => {
    const target = new URL(testPostgresUrl());
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const schema = await createTestSchema();
    const viaProxy = new URL(schema.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const t = await createTestServer({
      backend: 'postgres',
      storage: await openStorage(viaProxy.toString(), { schema: schema.name, logger: { warn: () => {} } }),
    });
    try {
      expect((await readyz(t)).statusCode).toBe(200);
      proxy.hang();
      const started = performance.now();
      const unready = await readyz(t);
      const waitedMs = performance.now() - started;
      expect(unready.statusCode).toBe(503);
      expect(unready.json()).toEqual({ status: 'not_ready', failed: ['database'] });
      // The probe's own timeout (2 s) answered, not the pool's (5 s connect, 10 s statement).
      expect(waitedMs).toBeLessThan(4000);

      proxy.unhang();
      await expect.poll(async () => (await readyz(t)).statusCode, { timeout: 15_000 }).toBe(200);
    } finally {
      proxy.unhang();
      await t.close();
      await proxy.close();
      await schema.drop();
    }
  }, 30_000);
});
