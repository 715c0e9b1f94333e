/** `/admin/v1/environments/{envId}/tenants/{tenantId}/members` (DESIGN §3.3). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { deleteMembership, listMembers, putMembership } from '../../../service/admin/memberships.js';
import { allowOnly } from '../../methods.js';
import { requestOrigin } from '../../request-origin.js';
import type { AdminRoutesOptions } from './options.js';
import { BODY_ERRORS, errorResponses, NoContent } from './schemas/common.js';
import { MemberParams, Membership, MembershipBody } from './schemas/members.js';
import { TenantParams } from './schemas/tenants.js';

const tags = ['members'];

export async function memberRoutes(app: FastifyInstance, _options: AdminRoutesOptions) {
  app.get<{ Params: TenantParams }>(
    '/environments/:envId/tenants/:tenantId/members',
    {
      schema: {
        tags,
        summary: 'List the members of a tenant',
        params: TenantParams,
        response: { 200: Type.Array(Membership), ...errorResponses('not_found') },
      },
    },
    async (request) => listMembers(request.deps, request.params.envId, request.params.tenantId),
  );

  app.put<{ Params: MemberParams; Body: MembershipBody }>(
    '/environments/:envId/tenants/:tenantId/members/:userId',
    {
      schema: {
        tags,
        summary: 'Add a user to a tenant, or replace their roles',
        params: MemberParams,
        body: MembershipBody,
        response: { 200: Membership, ...errorResponses(...BODY_ERRORS, 'not_found') },
      },
    },
    async (request) => {
      const { envId, tenantId, userId } = request.params;
      return putMembership(
        request.deps,
        envId,
        tenantId,
        userId,
        request.body,
        request.adminActor,
        requestOrigin(request),
      );
    },
  );

  app.delete<{ Params: MemberParams }>(
    '/environments/:envId/tenants/:tenantId/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a user from a tenant',
        description: 'The user’s next refresh for that tenant is refused.',
        params: MemberParams,
        response: { 204: NoContent, ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      const { envId, tenantId, userId } = request.params;
      await deleteMembership(
        request.deps,
        envId,
        tenantId,
        userId,
        request.adminActor,
        requestOrigin(request),
      );
      return reply.status(204).send();
    },
  );

  allowOnly(app, {
    '/environments/:envId/tenants/:tenantId/members': ['GET'],
    '/environments/:envId/tenants/:tenantId/members/:userId': ['PUT', 'DELETE'],
  });
}
