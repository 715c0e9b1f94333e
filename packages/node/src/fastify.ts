/**
 * The Fastify plugin: an `onRequest` hook (before the body is read) that verifies the Bearer token
 * and sets `request.auth`, or answers 401/503 and stops the request (security.md MW-03). Registered
 * without encapsulation, it protects every route of the context it is registered in.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AccessTokenClaims } from './claims.js';
import { TesseraVerifyError } from './errors.js';
import type { AdapterOptions } from './express.js';
import { refusal } from './http/answers.js';
import { readBearerToken } from './http/bearer.js';
import type { Verifier } from './verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified access-token claims, set by `tesseraFastify`; `null` only on unprotected routes. */
    auth: AccessTokenClaims | null;
  }
}

export interface TesseraFastifyOptions extends AdapterOptions<FastifyRequest> {
  verifier: Verifier;
}

const plugin: FastifyPluginAsync<TesseraFastifyOptions> = async (fastify, options) => {
  const verifier = options?.verifier;
  if (typeof verifier?.verify !== 'function') throw new TypeError('tesseraFastify: pass { verifier }.');
  fastify.decorateRequest('auth', null);
  fastify.addHook('onRequest', async (request, reply) => {
    try {
      const token = readBearerToken(request.raw.rawHeaders);
      if (token instanceof TesseraVerifyError) throw token;
      request.auth = await verifier.verify(token);
    } catch (caught) {
      const error =
        caught instanceof TesseraVerifyError
          ? caught
          : new TesseraVerifyError('internal_error', { cause: caught });
      try {
        options.onError?.(error, request);
      } catch {
        // A throwing logger must not turn a refusal into something else.
      }
      const answer = refusal(error);
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    }
  });
};

/**
 * @example
 * await app.register(tesseraFastify, { verifier });
 * app.get('/tenants/:tenantId/orders', { preHandler: requireTenant('tenantId') }, async (request) => {
 *   return { user: request.auth!.sub };
 * });
 */
export const tesseraFastify = Object.assign(plugin, {
  // What fastify-plugin sets: the hook and decorator apply to the context the plugin is registered in.
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@tessera/node',
});
