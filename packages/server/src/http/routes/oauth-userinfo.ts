/**
 * OIDC UserInfo (OIDC Core §5.3) for a Bearer access token of a live session: the standard claims
 * Tessera holds, and the tenant the token acts for. `WWW-Authenticate` on refusal (RFC 6750 §3).
 */
import type { FastifyInstance } from 'fastify';
import { TesseraError } from '../../errors.js';
import { authenticateBearer } from '../../service/bearer.js';
import type { SharedDeps } from '../../service/deps.js';
import { readUserinfo } from '../../service/oauth/userinfo.js';
import { registerSessionCors } from '../cors.js';
import { requireEnvironment } from '../environment.js';
import { allowOnly } from '../methods.js';
import { unhandledOutcome } from '../unhandled-outcome.js';

export async function oauthUserinfoRoutes(app: FastifyInstance, deps: SharedDeps): Promise<void> {
  registerSessionCors(app, deps, ['/oauth/userinfo']);
  app.get('/oauth/userinfo', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const environment = await requireEnvironment(deps, request);
    const authenticated = await authenticateBearer(
      request.deps,
      environment.id,
      request.headers.authorization,
    );
    switch (authenticated.kind) {
      case 'authenticated':
        break;
      case 'unauthorized':
        void reply.header('www-authenticate', 'Bearer error="invalid_token"');
        throw new TesseraError('unauthorized');
      default:
        return unhandledOutcome(authenticated);
    }
    const result = await readUserinfo(deps, environment.id, authenticated.identity.claims);
    switch (result.kind) {
      case 'found':
        return result.userinfo;
      case 'unknown_user':
        throw new TesseraError('unauthorized');
      default:
        return unhandledOutcome(result);
    }
  });

  allowOnly(app, { '/oauth/userinfo': ['GET'] });
}
