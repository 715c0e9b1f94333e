/** `/admin/v1/environments` (DESIGN §3.3). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  createEnvironment,
  deleteEnvironment,
  getEnvironment,
  listEnvironments,
  updateEnvironment,
} from '../../../service/admin/environments.js';
import { allowOnly } from '../../methods.js';
import { requestOrigin } from '../../request-origin.js';
import type { AdminRoutesOptions } from './options.js';
import { BODY_ERRORS, EnvParams, errorResponses, NoContent } from './schemas/common.js';
import { CreateEnvironmentBody, Environment, UpdateEnvironmentBody } from './schemas/environments.js';

const tags = ['environments'];

export async function environmentRoutes(app: FastifyInstance, { environmentDefaults }: AdminRoutesOptions) {
  app.get(
    '/environments',
    {
      schema: {
        tags,
        summary: 'List environments',
        response: { 200: Type.Array(Environment), ...errorResponses() },
      },
    },
    async (request) => listEnvironments(request.deps),
  );

  app.post<{ Body: CreateEnvironmentBody }>(
    '/environments',
    {
      schema: {
        tags,
        summary: 'Create an environment and its first signing key',
        body: CreateEnvironmentBody,
        response: { 201: Environment, ...errorResponses(...BODY_ERRORS, 'conflict') },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createEnvironment(
            request.deps,
            environmentDefaults,
            request.body,
            request.adminActor,
            requestOrigin(request),
          ),
        ),
  );

  app.get<{ Params: EnvParams }>(
    '/environments/:envId',
    {
      schema: {
        tags,
        summary: 'Get an environment',
        params: EnvParams,
        response: { 200: Environment, ...errorResponses('not_found') },
      },
    },
    async (request) => getEnvironment(request.deps, request.params.envId),
  );

  app.patch<{ Params: EnvParams; Body: UpdateEnvironmentBody }>(
    '/environments/:envId',
    {
      schema: {
        tags,
        summary: 'Update an environment',
        description:
          'Policy changes apply at each session’s next refresh; a new `signingAlgorithm` rotates the signing key.',
        params: EnvParams,
        body: UpdateEnvironmentBody,
        response: { 200: Environment, ...errorResponses(...BODY_ERRORS, 'not_found') },
      },
    },
    async (request) =>
      updateEnvironment(
        request.deps,
        environmentDefaults,
        request.params.envId,
        request.body,
        request.adminActor,
        requestOrigin(request),
      ),
  );

  app.delete<{ Params: EnvParams }>(
    '/environments/:envId',
    {
      schema: {
        tags,
        summary: 'Delete an environment and everything in it',
        description: 'The `default` environment cannot be deleted.',
        params: EnvParams,
        response: { 204: NoContent, ...errorResponses('forbidden', 'not_found') },
      },
    },
    async (request, reply) => {
      await deleteEnvironment(request.deps, request.params.envId, request.adminActor, requestOrigin(request));
      return reply.status(204).send();
    },
  );

  allowOnly(app, { '/environments': ['GET', 'POST'], '/environments/:envId': ['GET', 'PATCH', 'DELETE'] });
}
