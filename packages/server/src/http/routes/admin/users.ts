/** `/admin/v1/environments/{envId}/users` (DESIGN §3.3). */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { getEffectivePolicy, getUserDetail } from '../../../service/admin/user-policy.js';
import { createUser, deleteUser, listUsers, updateUser } from '../../../service/admin/users.js';
import { allowOnly } from '../../methods.js';
import { requestOrigin } from '../../request-origin.js';
import type { AdminRoutesOptions } from './options.js';
import { PAGED_LIST_DESCRIPTION, PageQueryFields, sendPage } from './paging.js';
import { BODY_ERRORS, EnvParams, errorResponses, NoContent } from './schemas/common.js';
import {
  CreateUserBody,
  EffectivePolicy,
  UpdateUserBody,
  User,
  UserDetail,
  UserParams,
} from './schemas/users.js';

const tags = ['users'];

const UserListQuery = Type.Object(
  {
    ...PageQueryFields,
    email: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 320,
        description:
          'Only the user with this email, normalised as at login (NFKC, lower case): one item or none.',
      }),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 320,
        description:
          'Only the users whose email contains this text (normalised as at login: NFKC, lower case; `%` and `_` match themselves), paged as the whole list. Not with `email`.',
      }),
    ),
  },
  { additionalProperties: false },
);
type UserListQuery = Static<typeof UserListQuery>;

export async function userRoutes(app: FastifyInstance, _options: AdminRoutesOptions) {
  app.get<{ Params: EnvParams; Querystring: UserListQuery }>(
    '/environments/:envId/users',
    {
      schema: {
        tags,
        summary: 'List users, search them by a part of their email, or find one by email',
        params: EnvParams,
        querystring: UserListQuery,
        response: {
          200: Type.Array(User, { description: PAGED_LIST_DESCRIPTION }),
          ...errorResponses('invalid_request', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      sendPage(request, reply, await listUsers(request.deps, request.params.envId, request.query)),
  );

  app.post<{ Params: EnvParams; Body: CreateUserBody }>(
    '/environments/:envId/users',
    {
      schema: {
        tags,
        summary: 'Create a user',
        description: 'Emails are unique per environment after NFKC and lower-casing.',
        params: EnvParams,
        body: CreateUserBody,
        response: { 201: User, ...errorResponses(...BODY_ERRORS, 'not_found', 'conflict') },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createUser(
            request.deps,
            request.params.envId,
            request.body,
            request.adminActor,
            requestOrigin(request),
          ),
        ),
  );

  app.get<{ Params: UserParams }>(
    '/environments/:envId/users/:userId',
    {
      schema: {
        tags,
        summary: 'Get a user, with their tenants and roles',
        params: UserParams,
        response: { 200: UserDetail, ...errorResponses('not_found') },
      },
    },
    async (request) => getUserDetail(request.deps, request.params.envId, request.params.userId),
  );

  app.get<{ Params: UserParams }>(
    '/environments/:envId/users/:userId/effective-policy',
    {
      schema: {
        tags,
        summary: 'The session policy in force for a user',
        description:
          'As every refresh decides it: each tenant’s overrides over the environment’s policy, and across the user’s tenants the strictest absolute timeout and session limit (`reject` wins at the strictest limit; with no tenant, the environment’s). The idle timeout applies per tenant.',
        params: UserParams,
        response: { 200: EffectivePolicy, ...errorResponses('not_found') },
      },
    },
    async (request) => getEffectivePolicy(request.deps, request.params.envId, request.params.userId),
  );

  app.patch<{ Params: UserParams; Body: UpdateUserBody }>(
    '/environments/:envId/users/:userId',
    {
      schema: {
        tags,
        summary: 'Update a user',
        description:
          '`status: "disabled"` ends every session of the user at once. A new `password` does too (reason `password_changed`) unless `endSessions` is `false`.',
        params: UserParams,
        body: UpdateUserBody,
        response: { 200: User, ...errorResponses(...BODY_ERRORS, 'not_found') },
      },
    },
    async (request) =>
      updateUser(
        request.deps,
        request.params.envId,
        request.params.userId,
        request.body,
        request.adminActor,
        requestOrigin(request),
      ),
  );

  app.delete<{ Params: UserParams }>(
    '/environments/:envId/users/:userId',
    {
      schema: {
        tags,
        summary: 'Delete a user, their memberships and sessions',
        params: UserParams,
        response: { 204: NoContent, ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      await deleteUser(
        request.deps,
        request.params.envId,
        request.params.userId,
        request.adminActor,
        requestOrigin(request),
      );
      return reply.status(204).send();
    },
  );

  allowOnly(app, {
    '/environments/:envId/users': ['GET', 'POST'],
    '/environments/:envId/users/:userId': ['GET', 'PATCH', 'DELETE'],
    '/environments/:envId/users/:userId/effective-policy': ['GET'],
  });
}
