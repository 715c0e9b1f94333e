/**
 * Who calls an admin route, for the events of the changes it makes (docs/events.md): the holder of
 * the admin key unless an authentication hook says otherwise (a console session sets its own).
 */
import type { FastifyInstance } from 'fastify';
import { ADMIN_KEY_ACTOR, type AdminActor } from '../../../service/admin/actor.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the admin API's authentication; `{ kind: 'admin_key' }` by default. */
    adminActor: AdminActor;
  }
}

/** Declares `request.adminActor`, and defaults it after the hooks that authenticate. */
export function decorateAdminActor(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('adminActor')) app.decorateRequest('adminActor', null as never);
  app.addHook('preHandler', async (request) => {
    request.adminActor ??= ADMIN_KEY_ACTOR;
  });
}
