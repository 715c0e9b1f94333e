/** `/admin/v1/environments/{envId}/webhooks` (docs/webhooks.md). */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhook,
} from '../../../service/admin/webhooks.js';
import { allowOnly } from '../../methods.js';
import { requestOrigin } from '../../request-origin.js';
import type { AdminRoutesOptions } from './options.js';
import { PAGED_LIST_DESCRIPTION, PageQuery, sendPage } from './paging.js';
import { BODY_ERRORS, EnvParams, errorResponses, NoContent } from './schemas/common.js';
import {
  CreatedWebhook,
  CreateWebhookBody,
  RotatedWebhookSecret,
  TestDelivery,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
  WebhookParams,
} from './schemas/webhooks.js';

const tags = ['webhooks'];
const ONE = '/environments/:envId/webhooks/:webhookId';

export async function webhookRoutes(app: FastifyInstance, _options: AdminRoutesOptions) {
  const by = (request: FastifyRequest) => ({ actor: request.adminActor, ...requestOrigin(request) });

  app.get<{ Params: EnvParams; Querystring: Static<typeof PageQuery> }>(
    '/environments/:envId/webhooks',
    {
      schema: {
        tags,
        summary: 'List webhooks',
        params: EnvParams,
        querystring: PageQuery,
        response: {
          200: Type.Array(Webhook, { description: PAGED_LIST_DESCRIPTION }),
          ...errorResponses('invalid_request', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      sendPage(request, reply, await listWebhooks(request.deps, request.params.envId, request.query)),
  );

  app.post<{ Params: EnvParams; Body: CreateWebhookBody }>(
    '/environments/:envId/webhooks',
    {
      schema: {
        tags,
        summary: 'Create a webhook',
        description: 'The signing `secret` is in this response only.',
        params: EnvParams,
        body: CreateWebhookBody,
        response: { 201: CreatedWebhook, ...errorResponses(...BODY_ERRORS, 'not_found') },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createWebhook(request.deps, request.params.envId, request.body, by(request))),
  );

  app.get<{ Params: WebhookParams }>(
    ONE,
    {
      schema: {
        tags,
        summary: 'Get a webhook',
        params: WebhookParams,
        response: { 200: Webhook, ...errorResponses('not_found') },
      },
    },
    async (request) => getWebhook(request.deps, request.params.envId, request.params.webhookId),
  );

  app.patch<{ Params: WebhookParams; Body: UpdateWebhookBody }>(
    ONE,
    {
      schema: {
        tags,
        summary: 'Update a webhook',
        description:
          '`eventTypes` replaces the list. A disabled webhook keeps its pending deliveries for later.',
        params: WebhookParams,
        body: UpdateWebhookBody,
        response: { 200: Webhook, ...errorResponses(...BODY_ERRORS, 'not_found') },
      },
    },
    async (request) =>
      updateWebhook(request.deps, request.params.envId, request.params.webhookId, request.body, by(request)),
  );

  app.delete<{ Params: WebhookParams }>(
    ONE,
    {
      schema: {
        tags,
        summary: 'Delete a webhook and its deliveries',
        params: WebhookParams,
        response: { 204: NoContent, ...errorResponses('not_found') },
      },
    },
    async (request, reply) => {
      await deleteWebhook(request.deps, request.params.envId, request.params.webhookId, by(request));
      return reply.status(204).send();
    },
  );

  app.post<{ Params: WebhookParams }>(
    `${ONE}/rotate-secret`,
    {
      schema: {
        tags,
        summary: 'Replace the signing secret',
        description: 'The new `secret` is in this response only; deliveries are signed with it from now on.',
        params: WebhookParams,
        response: { 200: RotatedWebhookSecret, ...errorResponses('not_found') },
      },
    },
    async (request) =>
      rotateWebhookSecret(request.deps, request.params.envId, request.params.webhookId, by(request)),
  );

  app.post<{ Params: WebhookParams }>(
    `${ONE}/test`,
    {
      schema: {
        tags,
        summary: 'Send a test event',
        description:
          'Queues a `webhook.test` event to this webhook only, whatever its event types; follow it in the delivery log.',
        params: WebhookParams,
        response: { 202: TestDelivery, ...errorResponses('not_found', 'conflict') },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await sendTestWebhook(request.deps, request.params.envId, request.params.webhookId)),
  );

  app.get<{ Params: WebhookParams; Querystring: Static<typeof PageQuery> }>(
    `${ONE}/deliveries`,
    {
      schema: {
        tags,
        summary: "List a webhook's deliveries, newest first",
        params: WebhookParams,
        querystring: PageQuery,
        response: {
          200: Type.Array(WebhookDelivery, {
            description: `${PAGED_LIST_DESCRIPTION} Newest first.`,
          }),
          ...errorResponses('invalid_request', 'not_found'),
        },
      },
    },
    async (request, reply) =>
      sendPage(
        request,
        reply,
        await listWebhookDeliveries(
          request.deps,
          request.params.envId,
          request.params.webhookId,
          request.query,
        ),
      ),
  );

  allowOnly(app, {
    '/environments/:envId/webhooks': ['GET', 'POST'],
    [ONE]: ['GET', 'PATCH', 'DELETE'],
    [`${ONE}/rotate-secret`]: ['POST'],
    [`${ONE}/test`]: ['POST'],
    [`${ONE}/deliveries`]: ['GET'],
  });
}
