/** `/admin/v1/environments/{envId}/clients` (DESIGN §3.3). */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  createClient,
  deleteClient,
  getClient,
  listClients,
  updateClient,
} from '../../../service/admin/clients.js';
import { allowOnly } from '../../methods.js';
import { requestOrigin } from '../../request-origin.js';
import type { AdminRoutesOptions } from './options.js';
import { PAGED_LIST_DESCRIPTION, PageQuery, sendPage } from './paging.js';
import {
  Client,
  ClientParams,
  CreateClientBody,
  CreatedClient,
  UpdateClientBody,
} from './schemas/clients.js';
import { BODY_ERRORS, EnvParams, errorResponses, NoContent } from './schemas/common.js';

const tags = ['clients'];

export async function clientRoutes(app: FastifyInstance, _options: AdminRoutesOptions) {
  app.get<{ Params: EnvParams; Querystring: Static<typeof PageQuery> }>(
    '/environments/:envId/clients',
    {
      schema: {
        tags,
        summary: 'List clients',
        params: EnvParams,
        querystring: PageQuery,
        response: {
          200: Type.Array(Client, { description: PAGED_LIST_DESCRIPTION }),
          ...errorResponses('invalid_request', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      sendPage(request, reply, await listClients(request.deps, request.params.envId, request.query)),
  );

  app.post<{ Params: EnvParams; Body: CreateClientBody }>(
    '/environments/:envId/clients',
    {
      schema: {
        tags,
        summary: 'Register a client',
        description: 'A confidential client gets a `clientSecret`, shown in this response only.',
        params: EnvParams,
        body: CreateClientBody,
        response: { 201: CreatedClient, ...errorResponses(...BODY_ERRORS, 'not_found', 'conflict') },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createClient(
            request.deps,
            request.params.envId,
            request.body,
            request.adminActor,
            requestOrigin(request),
          ),
        ),
  );

  app.get<{ Params: ClientParams }>(
    '/environments/:envId/clients/:clientId',
    {
      schema: {
        tags,
        summary: 'Get a client',
        params: ClientParams,
        response: { 200: Client, ...errorResponses('not_found') },
      },
    },
    async (request) => getClient(request.deps, request.params.envId, request.params.clientId),
  );

  app.patch<{ Params: ClientParams; Body: UpdateClientBody }>(
    '/environments/:envId/clients/:clientId',
    {
      schema: {
        tags,
        summary: 'Update a client',
        params: ClientParams,
        body: UpdateClientBody,
        response: { 200: Client, ...errorResponses(...BODY_ERRORS, 'not_found') },
      },
    },
    async (request) =>
      updateClient(
        request.deps,
        request.params.envId,
        request.params.clientId,
        request.body,
        request.adminActor,
        requestOrigin(request),
      ),
  );

  app.delete<{ Params: ClientParams }>(
    '/environments/:envId/clients/:clientId',
    {
      schema: {
        tags,
        summary: 'Delete a client',
        params: ClientParams,
        response: { 204: NoContent, ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      await deleteClient(
        request.deps,
        request.params.envId,
        request.params.clientId,
        request.adminActor,
        requestOrigin(request),
      );
      return reply.status(204).send();
    },
  );

  allowOnly(app, {
    '/environments/:envId/clients': ['GET', 'POST'],
    '/environments/:envId/clients/:clientId': ['GET', 'PATCH', 'DELETE'],
  });
}
