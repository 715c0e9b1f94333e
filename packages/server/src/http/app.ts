/**
 * The HTTP application: the only code that knows HTTP. Strict body handling (16 KiB, JSON only,
 * prototype-poisoning refused, no type coercion, closed schemas) and one error shape everywhere.
 */
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import { genericMessage } from '../errors.js';
import type { TesseraMetrics } from '../metrics/prometheus-metrics.js';
import type { AdminEnvironmentDefaults } from '../service/admin/environment-settings.js';
import type { ServiceDeps } from '../service/deps.js';
import { checkReadiness } from '../service/readiness.js';
import type { RevocationHub } from '../service/revocations/revocation-hub.js';
import { consoleCookie } from './console-cookie.js';
import { handleError } from './errors.js';
import type { SchemaCompilers } from './fastify-schema-compilers.js';
import { createLazySchemaCompilers } from './lazy-schema-compilers.js';
import { decorateRequestDeps } from './request-deps.js';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.js';
import { accountRoutes } from './routes/account.js';
import { adminRoutes } from './routes/admin/index.js';
import { consoleSessionRoutes } from './routes/console/session.js';
import { BUILT_CONSOLE_DIR, consoleStaticRoutes } from './routes/console/static.js';
import { discoveryRoutes } from './routes/discovery.js';
import { metricsRoutes } from './routes/metrics.js';
import { oauthAssetRoutes } from './routes/oauth-assets.js';
import { oauthLoginRoutes } from './routes/oauth-login.js';
import { oauthLogoutRoutes } from './routes/oauth-logout.js';
import { oauthTokenRoutes } from './routes/oauth-token.js';
import { oauthUserinfoRoutes } from './routes/oauth-userinfo.js';
import { revocationFeedRoutes } from './routes/revocation-feed.js';
import { sessionApiRoutes } from './routes/session-api.js';
import { registerTextBoundary } from './text-boundary.js';

export const BODY_LIMIT_BYTES = 16 * 1024;

export interface HttpAppOptions {
  deps: ServiceDeps;
  logger: Logger;
  /** Fastify `trustProxy`: which peers may set X-Forwarded-For (AUTH-05). */
  trustProxy: FastifyServerOptions['trustProxy'];
  adminKey: string;
  publicUrl: string;
  environmentDefaults: AdminEnvironmentDefaults;
  /** The revocation feed's live side on this node. */
  revocations: RevocationHub;
  /** The built admin console; `packages/server/dist/console/` when absent (tests give a fixture). */
  consoleRoot?: string | undefined;
  /**
   * Fastify's own, compiled lazily (lazy-schema-compilers.ts), when absent; tests share compiled
   * schemas across servers (packages/testing/src/schema-compilers.ts).
   */
  schemaCompilers?: SchemaCompilers | undefined;
  /** This node's metrics and the token `GET /metrics` requires; absent, metrics are off (404). */
  metrics?: { token: string; registry: TesseraMetrics } | undefined;
}

export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const { deps } = options;
  const lazyCompilers = options.schemaCompilers
    ? null
    : createLazySchemaCompilers({ logger: options.logger });
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // One access-log line per request (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: false,
    genReqId: requestIdOf,
    // Draining on SIGTERM: a request that reaches a route while the server closes is answered
    // (with `Connection: close`), not refused with Fastify's bare 503 (docs/reliability.md).
    return503OnClosing: false,
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    routerOptions: { maxParamLength: 256 },
    // Fastify's compilers, each route's schemas compiled on first use and the rest once listening
    // (lazy-schema-compilers.ts); tests share compiled ones across servers.
    schemaController: { compilersFactory: options.schemaCompilers ?? lazyCompilers!.compilers },
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false },
    },
  });
  if (lazyCompilers) {
    app.addHook('onListen', (done) => {
      // A schema that fails is logged as a warning when it does (lazy-schema-compilers.ts).
      void lazyCompilers.compileInBackground().then(({ compiled, failed }) => {
        options.logger.debug({ compiled, failed: failed.length }, 'route schemas compiled in the background');
      });
      done();
    });
  }
  // JSON only: a text/plain "simple request" is a CSRF vector (security.md §2.5).
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(handleError);
  // The use cases' dependencies for each request: their log lines carry its id.
  decorateRequestDeps(app, deps);
  registerTextBoundary(app);
  app.setNotFoundHandler((_request, reply) => {
    void reply.status(404).send({ error: 'not_found', message: genericMessage('not_found') });
  });

  const strictTransport = options.publicUrl.startsWith('https://');
  // Callback hooks, not async ones: every request runs them, and a promise each is measurable.
  app.addHook('onSend', (request, reply, _payload, done) => {
    void reply
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header(REQUEST_ID_HEADER, request.id);
    // The hosted login's pages set their own (html-pages.ts); everything else sends no referrer.
    if (!reply.hasHeader('referrer-policy')) void reply.header('referrer-policy', 'no-referrer');
    if (strictTransport)
      void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    done();
  });
  const metrics = options.metrics?.registry;
  app.addHook('onResponse', (request, reply, done) => {
    metrics?.requestAnswered(
      request.routeOptions.url,
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
    done();
  });

  // Server-sent event streams are hijacked from Fastify: end them, or closing would wait forever.
  app.addHook('preClose', (done) => {
    options.revocations.close();
    done();
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const readiness = await checkReadiness(deps);
    void reply.header('cache-control', 'no-store');
    if (readiness.ready) return { status: 'ready' };
    return reply.status(503).send({ status: 'not_ready', failed: readiness.failed });
  });
  if (options.metrics) {
    const { token, registry } = options.metrics;
    await app.register(async (scope) =>
      metricsRoutes(scope, { token, contentType: registry.contentType, render: () => registry.render() }),
    );
  }

  for (const prefix of ['', '/e/:envId']) {
    await app.register(async (scope) => sessionApiRoutes(scope, deps), { prefix: `${prefix}/auth/v1` });
    await app.register(async (scope) => discoveryRoutes(scope, deps), { prefix });
    await app.register(async (scope) => oauthUserinfoRoutes(scope, deps), { prefix });
    await app.register(async (scope) => oauthLoginRoutes(scope, deps), { prefix });
    await app.register(async (scope) => oauthTokenRoutes(scope, deps), { prefix });
    await app.register(async (scope) => oauthLogoutRoutes(scope, deps), { prefix });
    await app.register(async (scope) => accountRoutes(scope, deps), { prefix });
    await app.register(async (scope) => revocationFeedRoutes(scope, deps, options.revocations), {
      prefix: `${prefix}/auth/v1`,
    });
  }
  await app.register(oauthAssetRoutes);
  await app.register(
    async (scope) =>
      adminRoutes(scope, {
        deps,
        adminKey: options.adminKey,
        publicUrl: options.publicUrl,
        environmentDefaults: options.environmentDefaults,
      }),
    { prefix: '/admin/v1' },
  );
  await app.register(async (scope) =>
    consoleSessionRoutes(scope, {
      deps,
      adminKey: options.adminKey,
      cookie: consoleCookie(options.publicUrl),
      ownOrigin: new URL(options.publicUrl).origin,
    }),
  );
  await app.register(async (scope) =>
    consoleStaticRoutes(scope, { root: options.consoleRoot ?? BUILT_CONSOLE_DIR }),
  );
  return app;
}
