/** `/admin/v1/environments/{envId}/tenants` (DESIGN §3.3). */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  createTenant,
  deleteTenant,
  getTenant,
  listTenants,
  updateTenant,
} from '../../../service/admin/tenants.js';
import { allowOnly } from '../../methods.js';
import { requestOrigin } from '../../request-origin.js';
import type { AdminRoutesOptions } from './options.js';
import { PAGED_LIST_DESCRIPTION, PageQuery, sendPage } from './paging.js';
import { BODY_ERRORS, EnvParams, errorResponses, NoContent } from './schemas/common.js';
import { CreateTenantBody, Tenant, TenantParams, UpdateTenantBody } from './schemas/tenants.js';

const tags = ['tenants'];

export async function tenantRoutes(app: FastifyInstance, { environmentDefaults }: AdminRoutesOptions) {
  app.get<{ Params: EnvParams; Querystring: Static<typeof PageQuery> }>(
    '/environments/:envId/tenants',
    {
      schema: {
        tags,
        summary: 'List tenants',
        params: EnvParams,
        querystring: PageQuery,
        response: {
          200: Type.Array(Tenant, { description: PAGED_LIST_DESCRIPTION }),
          ...errorResponses('invalid_request', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      sendPage(request, reply, await listTenants(request.deps, request.params.envId, request.query)),
  );

  app.post<{ Params: EnvParams; Body: CreateTenantBody }>(
    '/environments/:envId/tenants',
    {
      schema: {
        tags,
        summary: 'Create a tenant',
        params: EnvParams,
        body: CreateTenantBody,
        response: { 201: Tenant, ...errorResponses(...BODY_ERRORS, 'not_found', 'conflict') },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createTenant(
            request.deps,
            environmentDefaults,
            request.params.envId,
            request.body,
            request.adminActor,
            requestOrigin(request),
          ),
        ),
  );

  app.get<{ Params: TenantParams }>(
    '/environments/:envId/tenants/:tenantId',
    {
      schema: {
        tags,
        summary: 'Get a tenant',
        params: TenantParams,
        response: { 200: Tenant, ...errorResponses('not_found') },
      },
    },
    async (request) => getTenant(request.deps, request.params.envId, request.params.tenantId),
  );

  app.patch<{ Params: TenantParams; Body: UpdateTenantBody }>(
    '/environments/:envId/tenants/:tenantId',
    {
      schema: {
        tags,
        summary: 'Update a tenant',
        description: 'Policy changes apply at each member session’s next refresh.',
        params: TenantParams,
        body: UpdateTenantBody,
        response: { 200: Tenant, ...errorResponses(...BODY_ERRORS, 'not_found') },
      },
    },
    async (request) =>
      updateTenant(
        request.deps,
        environmentDefaults,
        request.params.envId,
        request.params.tenantId,
        request.body,
        request.adminActor,
        requestOrigin(request),
      ),
  );

  app.delete<{ Params: TenantParams }>(
    '/environments/:envId/tenants/:tenantId',
    {
      schema: {
        tags,
        summary: 'Delete a tenant and its memberships',
        params: TenantParams,
        response: { 204: NoContent, ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      await deleteTenant(
        request.deps,
        request.params.envId,
        request.params.tenantId,
        request.adminActor,
        requestOrigin(request),
      );
      return reply.status(204).send();
    },
  );

  allowOnly(app, {
    '/environments/:envId/tenants': ['GET', 'POST'],
    '/environments/:envId/tenants/:tenantId': ['GET', 'PATCH', 'DELETE'],
  });
}
