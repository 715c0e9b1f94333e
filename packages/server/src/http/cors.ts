/**
 * CORS for the session API (CK-07): only origins registered by one of the environment's clients,
 * echoed exactly, with credentials and `Vary: Origin`; everything else gets no CORS headers, and a
 * refused preflight is a 403. Written here rather than with a generic CORS plugin because the
 * allowlist is per environment in the database, and a request without `Origin` (most server and
 * same-origin traffic) must cost nothing.
 */
import type { FastifyInstance } from 'fastify';
import { genericMessage } from '../errors.js';
import type { SharedDeps } from '../service/deps.js';
import { environmentIdOf } from './environment.js';

const ALLOWED_METHODS = 'GET, POST, PUT, DELETE';
const ALLOWED_HEADERS = 'content-type, authorization, x-tessera-request';
const PREFLIGHT_MAX_AGE_SECONDS = '600';
/** The SDK backs off no sooner than the server's Retry-After, so it must be able to read it. */
const EXPOSED_HEADERS = 'retry-after';

export function registerSessionCors(
  app: FastifyInstance,
  deps: SharedDeps,
  /** The paths of this scope that answer preflights; `*` is every one. */
  preflightPaths: readonly string[] = ['*'],
): void {
  // Routes for preflights, so that this scope's hook below sees them; it answers them itself.
  for (const path of preflightPaths) {
    app.options(path, async (_request, reply) => {
      void reply.status(404).send({ error: 'not_found', message: genericMessage('not_found') });
    });
  }
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    void reply.header('vary', 'Origin');
    const clients = await deps.lookups.listClients(environmentIdOf(request));
    const allowed = clients.some((client) => client.allowedOrigins.includes(origin));
    const preflight =
      request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!allowed) {
      if (preflight) return reply.status(403).send();
      return;
    }
    void reply
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-credentials', 'true')
      .header('access-control-expose-headers', EXPOSED_HEADERS);
    if (preflight) {
      return reply
        .status(204)
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS)
        .send();
    }
  });
}
