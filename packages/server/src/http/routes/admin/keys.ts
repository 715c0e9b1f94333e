/** `/admin/v1/environments/{envId}/keys` (DESIGN §3.3). */
import type { FastifyInstance } from 'fastify';
import { publishedKeys, rotateSigningKey } from '../../../service/admin/keys.js';
import { allowOnly } from '../../methods.js';
import { requestOrigin } from '../../request-origin.js';
import type { AdminRoutesOptions } from './options.js';
import { EnvParams, errorResponses } from './schemas/common.js';
import { PublishedKeys, RotatedKey } from './schemas/keys.js';

const tags = ['keys'];

export async function keyRoutes(app: FastifyInstance, _options: AdminRoutesOptions) {
  app.get<{ Params: EnvParams }>(
    '/environments/:envId/keys',
    {
      schema: {
        tags,
        summary: 'The published public keys (JWKS), each with its status: current, next or retired',
        params: EnvParams,
        response: { 200: PublishedKeys, ...errorResponses('not_found') },
      },
    },
    async (request) => publishedKeys(request.deps, request.params.envId),
  );

  app.post<{ Params: EnvParams }>(
    '/environments/:envId/keys/rotate',
    {
      schema: {
        tags,
        summary: 'Rotate the signing key',
        description: 'Publishes a next key now; it signs once every cached JWKS includes it.',
        params: EnvParams,
        response: { 200: RotatedKey, ...errorResponses('not_found') },
      },
    },
    async (request) =>
      rotateSigningKey(request.deps, request.params.envId, request.adminActor, requestOrigin(request)),
  );

  allowOnly(app, { '/environments/:envId/keys': ['GET'], '/environments/:envId/keys/rotate': ['POST'] });
}
