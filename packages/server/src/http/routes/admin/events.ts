/** `/admin/v1/environments/{envId}/events`: what happened, newest first (docs/events.md). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listEvents } from '../../../service/admin/events.js';
import { allowOnly } from '../../methods.js';
import type { AdminRoutesOptions } from './options.js';
import { sendPage } from './paging.js';
import { EnvParams, errorResponses } from './schemas/common.js';
import { Event, EventListQuery } from './schemas/events.js';

export async function eventRoutes(app: FastifyInstance, _options: AdminRoutesOptions) {
  app.get<{ Params: EnvParams; Querystring: EventListQuery }>(
    '/environments/:envId/events',
    {
      schema: {
        tags: ['events'],
        summary: "List the environment's events, newest first",
        description:
          'Logins, refusals, session endings, tenant switches and admin changes, kept for `TESSERA_EVENTS_RETENTION_DAYS`. Never a token, cookie, password, hash or secret.',
        params: EnvParams,
        querystring: EventListQuery,
        response: {
          200: Type.Array(Event, {
            description:
              'One page, newest first. When older events follow, a `Link` header gives the next page\'s URL: `Link: </admin/v1/…?cursor=…>; rel="next"`.',
          }),
          ...errorResponses('invalid_request', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      sendPage(request, reply, await listEvents(request.deps, request.params.envId, request.query)),
  );

  allowOnly(app, { '/environments/:envId/events': ['GET'] });
}
