/**
 * Test harness: a whole Tessera server in-process (Fastify `inject`), on SQLite in memory or on a
 * fresh PostgreSQL schema, with a ManualClock. Real storage, real keys, real argon2; the route
 * schemas are compiled once per test file (schema-compilers.ts) unless a test asks for production's.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig } from '../../server/src/config/load-config.js';
import {
  type CreateServerOptions,
  createLogger,
  createTesseraServer,
  type TesseraServer,
} from '../../server/src/server.js';
import { ManualClock } from '../../server/src/service/clock.js';
import { openStorage } from '../../server/src/storage/open.js';
import type { Storage } from '../../server/src/storage/port.js';
import { createTestSchema } from '../../server/src/storage/postgres/test-database.js';
import { sharedSchemaCompilers } from './schema-compilers.js';

export type Backend = 'sqlite' | 'postgres';

export interface TestServer extends TesseraServer {
  clock: ManualClock;
  adminKey: string;
  backend: Backend;
}

export interface TestServerOptions {
  backend?: Backend;
  env?: Record<string, string>;
  logger?: Logger;
  /** A storage to use instead of a fresh one (it is migrated, and closed with the server). */
  storage?: Storage;
  /** The webhook dispatcher's options (a short retry schedule). */
  webhooks?: CreateServerOptions['webhooks'];
  /** The admin key; a random one when absent (a test of a changed key gives its own). */
  adminKey?: string;
  /** The built admin console to serve; the server's own `dist/console/` when absent. */
  consoleRoot?: string;
  /** The metrics to fill (with TESSERA_METRICS_TOKEN in `env`); fresh ones when absent. */
  metrics?: CreateServerOptions['metrics'];
  /**
   * Production's schema compilers (each route's on first use, the rest once listening:
   * http/lazy-schema-compilers.ts) instead of the ones this test file shares between its servers.
   */
  lazySchemaCompilers?: boolean;
  /** Whether the server runs the periodic maintenance (pruning, the lapse sweep) [true]. */
  maintenance?: boolean;
}

export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const backend = options.backend ?? 'sqlite';
  const adminKey = options.adminKey ?? randomBytes(32).toString('base64url');
  const clock = new ManualClock(Math.floor(Date.now() / 1000));
  const config = loadConfig({
    TESSERA_DATABASE_URL: 'sqlite::memory:',
    TESSERA_SECRET: randomBytes(32).toString('base64url'),
    TESSERA_ADMIN_KEY: adminKey,
    TESSERA_DEMO: '0',
    TESSERA_LOG_LEVEL: 'silent',
    ...options.env,
  });
  let dropSchema: (() => Promise<void>) | null = null;
  let storage: Storage;
  if (options.storage) {
    storage = options.storage;
  } else if (backend === 'postgres') {
    const schema = await createTestSchema();
    dropSchema = schema.drop;
    storage = await openStorage(schema.url, { schema: schema.name });
  } else {
    storage = await openStorage('sqlite::memory:');
  }
  const server = await createTesseraServer({
    config,
    adminKey,
    clock,
    storage,
    logger: options.logger ?? createLogger('silent'),
    ...(!options.lazySchemaCompilers && { schemaCompilers: sharedSchemaCompilers }),
    ...(options.webhooks && { webhooks: options.webhooks }),
    ...(options.consoleRoot !== undefined && { consoleRoot: options.consoleRoot }),
    ...(options.metrics && { metrics: options.metrics }),
    ...(options.maintenance !== undefined && { maintenance: options.maintenance }),
  });
  return {
    ...server,
    clock,
    adminKey,
    backend,
    async close() {
      await server.close();
      await storage.close();
      await dropSchema?.();
    },
  };
}

/** The `name=value` of a Set-Cookie header, and its attributes, lower-cased. */
export function parseSetCookie(
  response: LightMyRequestResponse,
): { name: string; value: string; attributes: Record<string, string | true> } | null {
  const header = response.headers['set-cookie'];
  const line = Array.isArray(header) ? header[0] : header;
  if (!line) return null;
  const [pair, ...rest] = line.split(';');
  const eq = pair!.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const [key, value] = part.trim().split('=');
    attributes[key!.toLowerCase()] = value ?? true;
  }
  return { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim(), attributes };
}
