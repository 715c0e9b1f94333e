/**
 * The composition root: wires configuration, clock, storage, keys, throttle, logger and HTTP.
 * Nothing else constructs these.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { defaultSessionPolicy, defaultTokenSettings } from './config/environment-defaults.js';
import type { Config } from './config/load-config.js';
import { resolveMasterSecret } from './config/secret.js';
import { validateSessionPolicy, validateTokenSettings } from './config/settings-rules.js';
import { createHttpApp } from './http/app.js';
import { environmentBaseUrl } from './http/environment.js';
import type { SchemaCompilers } from './http/fastify-schema-compilers.js';
import { createKeyring } from './keys/keyring.js';
import { deriveSecrets } from './keys/secret.js';
import type { TesseraMetrics } from './metrics/prometheus-metrics.js';
import { verifyPasswordAgainstNobody } from './passwords/hash.js';
import { createActivityCounter } from './service/activity-counter.js';
import type { AdminEnvironmentDefaults } from './service/admin/environment-settings.js';
import { bootstrapEnvironments } from './service/bootstrap.js';
import { type Clock, createDatabaseClock, systemClock } from './service/clock.js';
import type { ServiceDeps } from './service/deps.js';
import { startSessionHistoryPruning } from './service/maintenance.js';
import { startLapseSweeping } from './service/revocations/lapse-sweep.js';
import { createRevocationHub } from './service/revocations/revocation-hub.js';
import {
  startWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
} from './service/webhooks/dispatcher.js';
import { createLookupCache } from './storage/lookup-cache.js';
import { openStorage } from './storage/open.js';
import type { Storage } from './storage/port.js';
import { createMemoryThrottle } from './throttle/memory-throttle.js';

export interface TesseraServer {
  app: FastifyInstance;
  /** `null` when metrics are off (no TESSERA_METRICS_TOKEN). */
  metrics: TesseraMetrics | null;
  deps: ServiceDeps;
  logger: Logger;
  /** This node's webhook dispatcher (docs/webhooks.md). */
  webhooks: WebhookDispatcher;
  close(): Promise<void>;
}

export interface CreateServerOptions {
  config: Config;
  adminKey: string;
  logger?: Logger;
  /** Tests inject a manual clock; otherwise SQLite uses the system clock, PostgreSQL the database's. */
  clock?: Clock;
  storage?: Storage;
  /**
   * Fastify's schema compilers; its own, compiled lazily (http/lazy-schema-compilers.ts), when
   * absent. Tests build many servers in one process and share the compiled schemas between them
   * (packages/testing/src/schema-compilers.ts).
   */
  schemaCompilers?: SchemaCompilers;
  /** The webhook dispatcher's timing and limits; tests shorten the retry schedule. */
  webhooks?: WebhookDispatcherOptions;
  /** The built admin console; `packages/server/dist/console/` when absent. */
  consoleRoot?: string;
  /**
   * The metrics to fill when `config.metricsToken` is set; fresh ones when absent. A test that
   * opens its own PostgreSQL storage creates them first, to pass their `postgresPool` observer.
   */
  metrics?: TesseraMetrics;
  /**
   * Whether this process runs the periodic maintenance: the session-history pruning and the lapse
   * sweep [true]. Of several workers on one machine only one does (start-cluster.ts); the others
   * would race it over the same rows.
   */
  maintenance?: boolean;
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
  // prom-client and ioredis are loaded only when configured (metrics on, a Redis URL): most of a
  // start is loading modules, and a restart after a crash should serve again at once.
  const metrics = config.metricsToken
    ? (options.metrics ?? (await import('./metrics/prometheus-metrics.js')).createPrometheusMetrics())
    : null;
  const store =
    options.storage ??
    (await openStorage(databaseUrlOf(config), {
      poolSize: poolSizeOf(config),
      logger,
      observer: metrics?.postgresPool,
    }));
  await store.migrate();
  const { storage, lookups } = createLookupCache(store);

  const databaseClock =
    options.clock || config.database.kind === 'sqlite'
      ? null
      : await createDatabaseClock({
          databaseTime: () => storage.databaseTime(),
          onError: (error) => logger.warn({ err: error }, 'could not sample the database clock'),
        });
  const clock = options.clock ?? databaseClock ?? systemClock;
  const redis: Redis | null = config.redisUrl
    ? new (await import('ioredis')).Redis(config.redisUrl.reveal(), { maxRetriesPerRequest: 2 })
    : null;
  redis?.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  const loginThrottle = redis
    ? (await import('./throttle/redis-throttle.js')).createRedisThrottle({
        redis,
        prefix: 'tessera:throttle:',
        keyNameKey: secrets.throttleKeyNameKey,
      })
    : createMemoryThrottle({ now: () => clock.now() });
  const throttle = metrics ? metrics.countThrottleHits(loginThrottle) : loginThrottle;

  const deps: ServiceDeps = {
    storage,
    lookups,
    keyring: createKeyring({ store: storage, secrets, clock, logger }),
    secrets,
    clock,
    throttle,
    // Each request's use cases get a copy that stamps its id (http/request-deps.ts).
    logger,
    activity: createActivityCounter({ storage, clock, logger }),
    baseUrl: (envId) => environmentBaseUrl(config.publicUrl, envId),
    metrics: metrics ?? undefined,
  };
  const environmentDefaults: AdminEnvironmentDefaults = {
    tokenSettings: (envId) => defaultTokenSettings(config, { envId, baseUrl: deps.baseUrl(envId) }),
    sessionPolicy: defaultSessionPolicy,
    validateTokenSettings,
    validateSessionPolicy,
  };
  await bootstrapEnvironments(deps, environmentDefaults);
  const maintenance = options.maintenance ?? true;
  const pruning = maintenance
    ? startSessionHistoryPruning(deps, {
        eventsRetentionDays: config.eventsRetentionDays,
        intervalSeconds: config.pruneIntervalSeconds,
      })
    : null;
  const sweeping = maintenance ? startLapseSweeping(deps) : null;
  const revocations = createRevocationHub(deps);
  metrics?.sampleFrom({
    liveSessions: () => countLiveSessions(storage),
    revocationFeedSubscribers: () => revocations.subscriberCount(),
  });
  const webhooks = startWebhookDispatcher(deps, options.webhooks);
  deps.webhooks = webhooks;
  // The first dummy verification computes the dummy hash: do it now, not in a user's login.
  void verifyPasswordAgainstNobody('warm-up');
  const app = await createHttpApp({
    deps,
    logger,
    trustProxy: typeof config.trustProxy === 'boolean' ? config.trustProxy : [...config.trustProxy],
    adminKey: options.adminKey,
    publicUrl: config.publicUrl,
    environmentDefaults,
    revocations,
    schemaCompilers: options.schemaCompilers,
    consoleRoot: options.consoleRoot,
    metrics:
      metrics && config.metricsToken ? { token: config.metricsToken.reveal(), registry: metrics } : undefined,
  });
  return {
    app,
    metrics,
    deps,
    logger,
    webhooks,
    async close() {
      await app.close();
      // Before the storage closes (and before the counter and the webhooks a sweep feeds): a prune
      // or sweep in progress stops at its next batch or session, and is awaited.
      await Promise.all([pruning?.stop(), sweeping?.stop()]);
      // After the last request: every count it made is stored.
      await deps.activity.stop();
      await webhooks.stop();
      await databaseClock?.stop();
      // Metrics passed in are their creator's to stop.
      if (!options.metrics) metrics?.stop();
      redis?.disconnect();
      if (!options.storage) await store.close();
    },
  };
}

/** Sessions not ended, over every environment (the live-sessions gauge). */
async function countLiveSessions(storage: Storage): Promise<number> {
  const environments = await storage.listEnvironments();
  const counts = await Promise.all(environments.map((env) => storage.countLiveSessions(env.id)));
  return counts.reduce((sum, count) => sum + count, 0);
}

/** The storage URL of the configuration (the PostgreSQL one carries its password: never log it). */
export function databaseUrlOf(config: Config): string {
  return config.database.kind === 'sqlite'
    ? `sqlite:${config.database.filename}`
    : config.database.url.reveal();
}

function poolSizeOf(config: Config): number | undefined {
  return config.database.kind === 'postgres' ? config.database.poolSize : undefined;
}
