/**
 * The admin API (DESIGN §3.3) under `/admin/v1`: bearer-authenticated with the admin key, never
 * cached, no CORS (it is called by servers and scripts, not by browsers on other origins).
 */
import type { FastifyInstance } from 'fastify';
import { genericMessage } from '../../../errors.js';
import { consoleCookie } from '../../console-cookie.js';
import { handleAdminError } from '../../errors.js';
import { allowOnly } from '../../methods.js';
import { decorateAdminActor } from './actor.js';
import { requireAdmin } from './auth.js';
import { clientRoutes } from './clients.js';
import { environmentRoutes } from './environments.js';
import { eventRoutes } from './events.js';
import { keyRoutes } from './keys.js';
import { memberRoutes } from './members.js';
import { openApiRoute, registerOpenApi } from './openapi.js';
import type { AdminRoutesOptions } from './options.js';
import { roleRoutes } from './roles.js';
import { sessionRoutes } from './sessions.js';
import { statsRoutes } from './stats.js';
import { tenantRoutes } from './tenants.js';
import { userRoutes } from './users.js';
import { webhookRoutes } from './webhooks.js';

export type { AdminRoutesOptions } from './options.js';

export async function adminRoutes(app: FastifyInstance, options: AdminRoutesOptions): Promise<void> {
  await registerOpenApi(app);
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
  });

  // The document holds no secret: served without the key, so tooling can fetch it.
  openApiRoute(app);
  allowOnly(app, { '/openapi.json': ['GET'] });

  await app.register(async (authenticated) => {
    authenticated.addHook(
      'onRequest',
      requireAdmin({
        deps: options.deps,
        adminKey: options.adminKey,
        consoleCookie: consoleCookie(options.publicUrl),
        ownOrigin: new URL(options.publicUrl).origin,
      }),
    );
    decorateAdminActor(authenticated);
    acceptEmptyJsonWithoutBody(authenticated);
    authenticated.setErrorHandler(handleAdminError);
    authenticated.setNotFoundHandler((_request, reply) => {
      void reply.status(404).send({ error: 'not_found', message: genericMessage('not_found') });
    });
    for (const routes of [
      environmentRoutes,
      clientRoutes,
      roleRoutes,
      tenantRoutes,
      userRoutes,
      memberRoutes,
      sessionRoutes,
      statsRoutes,
      keyRoutes,
      webhookRoutes,
      eventRoutes,
    ]) {
      await routes(authenticated, options);
    }
  });
}

/**
 * HTTP clients and SDKs often send `Content-Type: application/json` on every request, with an
 * empty body on the ones that take none (ending sessions, rotating keys). A route without a body
 * schema takes such an empty body as no body; everywhere else an empty or malformed body is still
 * refused by the default parser (prototype poisoning included).
 */
function acceptEmptyJsonWithoutBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' && request.routeOptions.schema?.body === undefined) {
      done(null, undefined);
      return;
    }
    parseJson(request, body as string, done);
  });
}
