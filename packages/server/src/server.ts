/**
 * The composition root: wires configuration, clock, storage, keys, throttle, logger and HTTP.
 * Nothing else constructs these.
 */
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import type { Config } from './config/load.js';
import { defaultSessionPolicy, defaultTokenSettings } from './config/environment-defaults.js';
import { resolveMasterSecret } from './config/secret.js';
import { createHttpApp } from './http/app.js';
import { environmentBaseUrl } from './http/environment.js';
import { createKeyring } from './keys/keyring.js';
import { deriveSecrets } from './keys/secret.js';
import { bootstrapEnvironments } from './service/bootstrap.js';
import { type Clock, createDatabaseClock, systemClock } from './service/clock.js';
import type { ServiceDeps } from './service/deps.js';
import { openStorage } from './storage/open.js';
import type { Storage } from './storage/port.js';
import { createMemoryThrottle } from './throttle/memory.js';
import { createRedisThrottle } from './throttle/redis.js';

export interface TesseraServer {
  app: FastifyInstance;
  deps: ServiceDeps;
  logger: Logger;
  close(): Promise<void>;
}

export interface CreateServerOptions {
  config: Config;
  adminKey: string;
  logger?: Logger;
  /** Tests inject a manual clock; otherwise SQLite uses the system clock, PostgreSQL the database's. */
  clock?: Clock;
  storage?: Storage;
}

/** Fields that may carry credentials are removed from every log line (OPS-03). */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: LOG_REDACT_PATHS, remove: true } });
}

export async function createTesseraServer(options: CreateServerOptions): Promise<TesseraServer> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const secrets = deriveSecrets(await resolveMasterSecret(config));
  const storage =
    options.storage ??
    (await openStorage(config.databaseUrl, {
      poolSize: config.pgPoolSize,
      logger,
    }));
  await storage.migrate();

  const databaseClock =
    options.clock || config.databaseUrl.startsWith('sqlite:')
      ? null
      : await createDatabaseClock({
          databaseTime: () => storage.databaseTime(),
          onError: (error) => logger.warn({ err: error }, 'could not sample the database clock'),
        });
  const clock = options.clock ?? databaseClock ?? systemClock;
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false }) : null;
  redis?.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  const throttle = redis ? createRedisThrottle({ redis, prefix: 'tessera:throttle:' }) : createMemoryThrottle({ now: () => clock.now() });

  const deps: ServiceDeps = {
    storage,
    keyring: createKeyring({ store: storage, secrets, clock: () => clock.now(), logger }),
    secrets,
    clock,
    throttle,
    logger,
    baseUrl: (envId) => environmentBaseUrl(config.publicUrl, envId),
  };
  await bootstrapEnvironments(deps, {
    tokenSettings: (envId) => defaultTokenSettings(config, { envId, baseUrl: deps.baseUrl(envId) }),
    sessionPolicy: defaultSessionPolicy,
  });
  const app = await createHttpApp({
    deps,
    logger,
    trustProxy: config.trustProxy,
    adminKey: options.adminKey,
    publicUrl: config.publicUrl,
  });
  return {
    app,
    deps,
    logger,
    async close() {
      await app.close();
      databaseClock?.stop();
      redis?.disconnect();
      if (!options.storage) await storage.close();
    },
  };
}
