/**
 * `request.deps`: the use cases' dependencies for this request, their logger stamping its id on
 * every line (docs/operations.md, "Request ids"). Routes pass them to the use cases they call.
 */
import type { FastifyInstance } from 'fastify';
import { depsForRequest, type ServiceDeps } from '../service/deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the first `onRequest` hook (`decorateRequestDeps`). */
    deps: ServiceDeps;
  }
}

/** Gives every request its `request.deps`, made from `deps` before any other hook runs. */
export function decorateRequestDeps(app: FastifyInstance, deps: ServiceDeps): void {
  app.decorateRequest('deps', null as never);
  app.addHook('onRequest', (request, _reply, done) => {
    request.deps = depsForRequest(deps, request.id);
    done();
  });
}
