/** `/admin/v1/environments/{envId}/roles` (DESIGN §3.3). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createRole, deleteRole, getRole, listRoles, updateRole } from '../../../service/admin/roles.js';
import { allowOnly } from '../../methods.js';
import { requestOrigin } from '../../request-origin.js';
import type { AdminRoutesOptions } from './options.js';
import { BODY_ERRORS, EnvParams, errorResponses, NoContent } from './schemas/common.js';
import { CreateRoleBody, Role, RoleParams, UpdateRoleBody } from './schemas/roles.js';

const tags = ['roles'];

export async function roleRoutes(app: FastifyInstance, _options: AdminRoutesOptions) {
  app.get<{ Params: EnvParams }>(
    '/environments/:envId/roles',
    {
      schema: {
        tags,
        summary: 'List roles',
        params: EnvParams,
        response: { 200: Type.Array(Role), ...errorResponses('not_found') },
      },
    },
    async (request) => listRoles(request.deps, request.params.envId),
  );

  app.post<{ Params: EnvParams; Body: CreateRoleBody }>(
    '/environments/:envId/roles',
    {
      schema: {
        tags,
        summary: 'Create a role',
        params: EnvParams,
        body: CreateRoleBody,
        response: { 201: Role, ...errorResponses(...BODY_ERRORS, 'not_found', 'conflict') },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createRole(
            request.deps,
            request.params.envId,
            request.body,
            request.adminActor,
            requestOrigin(request),
          ),
        ),
  );

  app.get<{ Params: RoleParams }>(
    '/environments/:envId/roles/:key',
    {
      schema: {
        tags,
        summary: 'Get a role',
        params: RoleParams,
        response: { 200: Role, ...errorResponses('not_found') },
      },
    },
    async (request) => getRole(request.deps, request.params.envId, request.params.key),
  );

  app.patch<{ Params: RoleParams; Body: UpdateRoleBody }>(
    '/environments/:envId/roles/:key',
    {
      schema: {
        tags,
        summary: 'Update a role',
        description: 'New permissions reach access tokens at each session’s next refresh.',
        params: RoleParams,
        body: UpdateRoleBody,
        response: { 200: Role, ...errorResponses(...BODY_ERRORS, 'not_found') },
      },
    },
    async (request) =>
      updateRole(
        request.deps,
        request.params.envId,
        request.params.key,
        request.body,
        request.adminActor,
        requestOrigin(request),
      ),
  );

  app.delete<{ Params: RoleParams }>(
    '/environments/:envId/roles/:key',
    {
      schema: {
        tags,
        summary: 'Delete a role',
        params: RoleParams,
        response: { 204: NoContent, ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      await deleteRole(
        request.deps,
        request.params.envId,
        request.params.key,
        request.adminActor,
        requestOrigin(request),
      );
      return reply.status(204).send();
    },
  );

  allowOnly(app, {
    '/environments/:envId/roles': ['GET', 'POST'],
    '/environments/:envId/roles/:key': ['GET', 'PATCH', 'DELETE'],
  });
}
