/** Sessions of a user, and single sessions, seen and ended by the admin (DESIGN §3.3, SES-14). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  endSession,
  endUserSessions,
  listEnvironmentSessions,
  listUserSessions,
} from '../../../service/admin/sessions.js';
import { allowOnly } from '../../methods.js';
import { requestOrigin } from '../../request-origin.js';
import type { AdminRoutesOptions } from './options.js';
import { sendPage } from './paging.js';
import { EnvParams, errorResponses, NoContent } from './schemas/common.js';
import { AdminSession, EnvironmentSessionsQuery, SessionParams } from './schemas/sessions.js';
import { UserParams } from './schemas/users.js';

const tags = ['sessions'];

export async function sessionRoutes(app: FastifyInstance, _options: AdminRoutesOptions) {
  app.get<{ Params: EnvParams; Querystring: EnvironmentSessionsQuery }>(
    '/environments/:envId/sessions',
    {
      schema: {
        tags,
        summary: "List the environment's live sessions",
        params: EnvParams,
        querystring: EnvironmentSessionsQuery,
        response: {
          200: Type.Array(AdminSession, {
            description:
              'One page, most recently active first. When more follow, a `Link` header gives the next page\'s URL: `Link: </admin/v1/…?cursor=…>; rel="next"`. A session that lapsed though no job ended it yet is left out, so a page may hold fewer items than `limit`.',
          }),
          ...errorResponses('invalid_request', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      sendPage(
        request,
        reply,
        await listEnvironmentSessions(request.deps, request.params.envId, request.query),
      ),
  );

  app.get<{ Params: UserParams }>(
    '/environments/:envId/users/:userId/sessions',
    {
      schema: {
        tags,
        summary: "List a user's live sessions",
        params: UserParams,
        response: { 200: Type.Array(AdminSession), ...errorResponses('not_found') },
      },
    },
    async (request) => listUserSessions(request.deps, request.params.envId, request.params.userId),
  );

  app.delete<{ Params: UserParams }>(
    '/environments/:envId/users/:userId/sessions',
    {
      schema: {
        tags,
        summary: "End all of a user's sessions",
        params: UserParams,
        response: { 204: NoContent, ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      await endUserSessions(
        request.deps,
        request.params.envId,
        request.params.userId,
        request.adminActor,
        requestOrigin(request),
      );
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: SessionParams }>(
    '/environments/:envId/sessions/:sid',
    {
      schema: {
        tags,
        summary: 'End one session',
        params: SessionParams,
        response: { 204: NoContent, ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      await endSession(
        request.deps,
        request.params.envId,
        request.params.sid,
        request.adminActor,
        requestOrigin(request),
      );
      return reply.status(204).send();
    },
  );

  allowOnly(app, {
    '/environments/:envId/users/:userId/sessions': ['GET', 'DELETE'],
    '/environments/:envId/sessions': ['GET'],
    '/environments/:envId/sessions/:sid': ['DELETE'],
  });
}
