/**
 * The admin API (DESIGN §3.3) under `/admin/v1`: bearer-authenticated with the admin key, never
 * cached, no CORS (it is called by servers and scripts, not by browsers on other origins).
 */
import type { FastifyInstance } from 'fastify';
import { genericMessage } from '../../../errors.js';
import { allowOnly } from '../../methods.js';
import { requireAdminKey } from './auth.js';
import { clientRoutes } from './clients.js';
import { environmentRoutes } from './environments.js';
import { keyRoutes } from './keys.js';
import { memberRoutes } from './members.js';
import { openApiRoute, registerOpenApi } from './openapi.js';
import type { AdminRoutesOptions } from './options.js';
import { roleRoutes } from './roles.js';
import { sessionRoutes } from './sessions.js';
import { tenantRoutes } from './tenants.js';
import { userRoutes } from './users.js';

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
    authenticated.addHook('onRequest', requireAdminKey(options.adminKey));
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
      keyRoutes,
    ]) {
      await routes(authenticated, options);
    }
  });
}
