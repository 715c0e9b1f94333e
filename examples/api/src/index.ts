/**
 * The example API of issue #5: a resource server that trusts Tessera's access tokens through
 * `@tessera/node`, the way a customer's own API would. Every protected route is behind
 * `tesseraFastify` (the token verified locally against the JWKS, no call to Tessera per request);
 * with `strict` it also follows the revocation feed, so a signed-out session's token is refused
 * within about a second. The demo app (examples/demo) calls it from the browser, per tenant.
 *
 *   GET  /healthz                        public: `{ status, revocationFeed }`
 *   GET  /me                             the verified claims
 *   GET  /tenants/:tenantId/projects     the tenant must be the token's `tenantId`
 *   POST /tenants/:tenantId/projects     the same, and the permission `users:write` (the demo's admins)
 */
import {
  type AccessTokenClaims,
  createVerifier,
  requirePermissions,
  requireTenant,
  type StrictOptions,
  tesseraFastify,
  type Verifier,
  type VerifierOptions,
} from '@tessera/node';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { MAX_PROJECTS_PER_TENANT, type Project, ProjectStore } from './projects.js';

export type { Project } from './projects.js';
export { MAX_PROJECTS_PER_TENANT } from './projects.js';

/**
 * Creating a project needs this permission. The demo's roles have no `projects:*` permission, so
 * the admin role's `users:write` stands in for one: Alice (admin of Acme) may, Bob (member) may not.
 */
export const WRITE_PERMISSION = 'users:write';

const PREFLIGHT_MAX_AGE_SECONDS = '600';

export interface ExampleApiOptions {
  /** The Tessera environment's base URL, exactly as in `iss`. */
  issuer: string;
  /** The client id(s) the tokens are issued to (`aud`): the front end's client. */
  audience: string | readonly string[];
  /**
   * Follow the revocation feed with the credentials of a confidential client of the environment,
   * so tokens of ended sessions are refused within seconds. Omitted: tokens live until `exp`.
   */
  strict?: Pick<StrictOptions, 'clientId' | 'clientSecret'> & Partial<StrictOptions>;
  /** Browser origins that may call the API (exact `scheme://host[:port]`, no wildcards). */
  allowedOrigins: readonly string[];
  /** Any other verifier option (clock, JWKS cache, fetch…), for tests and tuning. */
  verifier?: Omit<VerifierOptions, 'issuer' | 'audience' | 'strict'>;
  /** Fastify's logger [off]. */
  logger?: FastifyServerOptions['logger'];
  /** A pino logger to use instead (the demo passes Tessera's). */
  loggerInstance?: FastifyBaseLogger;
  /** The initial projects per tenant id [a few for the demo's `acme` and `globex`]. */
  projects?: Record<string, string[]>;
}

interface TenantParams {
  tenantId: string;
}

/**
 * Builds the API. Listen with `app.listen(…)`; `app.close()` also stops following the feed.
 *
 * @example
 * const app = createExampleApi({
 *   issuer: 'http://localhost:4000',
 *   audience: 'demo',
 *   strict: { clientId: 'demo-api', clientSecret: process.env.CLIENT_SECRET! },
 *   allowedOrigins: ['http://localhost:4001'],
 * });
 * await app.listen({ port: 4002 });
 */
/** Fastify's own request lines off (the hook below writes one without the query string). */
function quietRequests(): LogController {
  return new LogController({ disableRequestLogging: true });
}

export function createExampleApi(options: ExampleApiOptions): FastifyInstance {
  const allowedOrigins = new Set(options.allowedOrigins);
  // Unknown body members are refused, not silently dropped (Fastify's default).
  const ajv = { customOptions: { removeAdditional: false as const } };
  // Fastify's own request lines carry the whole URL: a token someone put in the query string
  // (refused, but sent) would land in the log. The hook below logs the path alone.
  const app = (
    options.loggerInstance
      ? Fastify({ loggerInstance: options.loggerInstance, ajv, logController: quietRequests() })
      : Fastify({ logger: options.logger ?? false, ajv, logController: quietRequests() })
  ) as FastifyInstance;
  const verifier: Verifier = createVerifier({
    logger: {
      info: (message) => app.log.info(message),
      warn: (message) => app.log.warn(message),
      error: (message) => app.log.error(message),
    },
    ...options.verifier,
    issuer: options.issuer,
    audience: options.audience,
    strict: options.strict ?? false,
  });
  app.addHook('onClose', () => verifier.close());
  const store = new ProjectStore(options.projects);

  // First, for every request (refused ones and preflights included): answers are never cached,
  // and a browser on an allowed origin may read them, a 401 or 403 too.
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const origin = request.headers.origin;
    if (origin === undefined) return;
    void reply.header('vary', 'Origin');
    const preflight =
      request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!allowedOrigins.has(origin)) {
      // No CORS headers: the browser keeps the answer from the page. A refused preflight is 403.
      if (preflight) return reply.code(403).send();
      return;
    }
    void reply
      .header('access-control-allow-origin', origin)
      .header('access-control-expose-headers', 'WWW-Authenticate');
    if (preflight) {
      return reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS)
        .send();
    }
  });
  // A route for preflights, outside the protected context: the hook above answers them.
  app.options('*', async (_request, reply) => reply.code(404).send({ error: 'not_found' }));

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?', 1)[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  app.setNotFoundHandler(async (_request, reply) => reply.code(404).send({ error: 'not_found' }));
  app.setErrorHandler(
    async (error: { validation?: unknown; statusCode?: number; message: string }, request, reply) => {
      if (error.validation) return reply.code(400).send({ error: 'invalid_request', message: error.message });
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return reply.code(error.statusCode).send({ error: 'invalid_request', message: error.message });
      }
      request.log.error({ err: error }, 'example API error');
      return reply.code(500).send({ error: 'server_error' });
    },
  );

  app.get('/healthz', async () => ({ status: 'ok', revocationFeed: verifier.status().state }));

  // Everything registered in here needs a valid access token.
  app.register(async (api) => {
    await api.register(tesseraFastify, {
      verifier,
      onError: (error, request) => request.log.info({ code: error.code }, 'access token refused'),
    });

    api.get('/me', async (request) => claimsOf(request.auth));

    api.get<{ Params: TenantParams }>(
      '/tenants/:tenantId/projects',
      { preHandler: requireTenant('tenantId') },
      async (request) => ({
        tenantId: request.params.tenantId,
        projects: store.list(request.params.tenantId),
      }),
    );

    api.post<{ Params: TenantParams; Body: { name: string } }>(
      '/tenants/:tenantId/projects',
      {
        preHandler: [requireTenant('tenantId'), requirePermissions(WRITE_PERMISSION)],
        schema: {
          body: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: { name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } },
          },
        },
      },
      async (request, reply): Promise<Project | { error: string; message: string }> => {
        const claims = claimsOf(request.auth);
        const project = store.create(request.params.tenantId, request.body.name.trim(), claims.sub);
        if (!project) {
          return reply.code(409).send({
            error: 'limit_reached',
            message: `A tenant holds at most ${MAX_PROJECTS_PER_TENANT} projects in this example.`,
          });
        }
        return reply.code(201).send(project);
      },
    );
  });

  return app;
}

/** The adapter has set the claims on every route of the protected context. */
function claimsOf(auth: AccessTokenClaims | null): AccessTokenClaims {
  if (!auth) throw new Error('tesseraFastify did not run before this route');
  return auth;
}
