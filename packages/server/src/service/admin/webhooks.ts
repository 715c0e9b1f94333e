/** Admin use cases for webhooks (docs/webhooks.md, DESIGN §3.3). */
import { randomBytes } from 'node:crypto';
import { TesseraError } from '../../errors.js';
import type {
  EnvironmentRecord,
  WebhookDeliveryRecord,
  WebhookDeliveryStatus,
  WebhookEndpointRecord,
} from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';
import { newEventId } from '../events.js';
import { eventTypeProblems } from '../webhooks/event-types.js';
import { generateWebhookSecret, sealWebhookSecret } from '../webhooks/secret.js';
import { checkWebhookUrl, WEBHOOK_URL_PROBLEMS } from '../webhooks/targets.js';
import { type AdminOrigin, changedFields, recordAdminChange } from './admin-events.js';
import { isoTime } from './iso-time.js';
import { requireEnvironment } from './lookups.js';
import { type PageQuery, type PageView, pageRequest, pageView } from './paging.js';
import { assertNoProblems } from './problems.js';

export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 500;

export interface WebhookView {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  enabled: boolean;
  createdAt: string;
}

/** A new endpoint; `secret` is shown this once and never again. */
export interface CreatedWebhook extends WebhookView {
  secret: string;
}

export interface CreateWebhookInput {
  url: string;
  eventTypes: string[];
  description?: string | null | undefined;
  enabled?: boolean | undefined;
}

export type UpdateWebhookInput = Partial<CreateWebhookInput>;

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
}

export async function createWebhook(
  deps: ServiceDeps,
  envId: string,
  input: CreateWebhookInput,
  by: AdminOrigin,
): Promise<CreatedWebhook> {
  const environment = await requireEnvironment(deps, envId);
  await assertValidWebhook(environment, input);
  const id = `wh_${randomBytes(12).toString('hex')}`;
  const secret = generateWebhookSecret();
  const endpoint: WebhookEndpointRecord = {
    id,
    envId,
    url: input.url,
    eventTypes: input.eventTypes,
    description: input.description ?? null,
    enabled: input.enabled ?? true,
    secretEncrypted: sealWebhookSecret(secret, deps.secrets.webhookSecretKey, { envId, endpointId: id }),
    createdAt: deps.clock.now(),
  };
  if (!(await deps.storage.insertWebhookEndpoint(endpoint))) throw new TesseraError('not_found');
  const view = webhookView(endpoint);
  await recordAdminChange(deps, by, {
    envId,
    entity: 'webhook',
    verb: 'created',
    target: { webhookId: id },
    after: settingsOf(view),
  });
  return { ...view, secret };
}

export async function listWebhooks(
  deps: ServiceDeps,
  envId: string,
  query: PageQuery,
): Promise<PageView<WebhookView>> {
  const request = pageRequest(query);
  await requireEnvironment(deps, envId);
  return pageView(await deps.storage.listWebhookEndpointsPage(envId, request), webhookView);
}

export async function getWebhook(deps: ServiceDeps, envId: string, webhookId: string): Promise<WebhookView> {
  return webhookView(await requireWebhook(deps, envId, webhookId));
}

export async function updateWebhook(
  deps: ServiceDeps,
  envId: string,
  webhookId: string,
  input: UpdateWebhookInput,
  by: AdminOrigin,
): Promise<WebhookView> {
  const environment = await requireEnvironment(deps, envId);
  const current = await requireWebhook(deps, envId, webhookId);
  await assertValidWebhook(environment, input);
  const patch = {
    url: input.url,
    eventTypes: input.eventTypes,
    description: input.description,
    enabled: input.enabled,
  };
  if (!(await deps.storage.updateWebhookEndpoint(envId, webhookId, patch)))
    throw new TesseraError('not_found');
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  const updated = webhookView({ ...current, ...defined });
  const changed = changedFields(settingsOf(webhookView(current)), settingsOf(updated));
  if (changed !== null) {
    await recordAdminChange(deps, by, {
      envId,
      entity: 'webhook',
      verb: 'updated',
      target: { webhookId },
      ...changed,
    });
  }
  return updated;
}

export async function deleteWebhook(
  deps: ServiceDeps,
  envId: string,
  webhookId: string,
  by: AdminOrigin,
): Promise<void> {
  if (!(await deps.storage.deleteWebhookEndpoint(envId, webhookId))) throw new TesseraError('not_found');
  await recordAdminChange(deps, by, { envId, entity: 'webhook', verb: 'deleted', target: { webhookId } });
}

/** A new secret replaces the old one at once: deliveries from now on are signed with it. */
export async function rotateWebhookSecret(
  deps: ServiceDeps,
  envId: string,
  webhookId: string,
  by: AdminOrigin,
): Promise<{ secret: string }> {
  await requireWebhook(deps, envId, webhookId);
  const secret = generateWebhookSecret();
  const secretEncrypted = sealWebhookSecret(secret, deps.secrets.webhookSecretKey, {
    envId,
    endpointId: webhookId,
  });
  if (!(await deps.storage.updateWebhookEndpoint(envId, webhookId, { secretEncrypted }))) {
    throw new TesseraError('not_found');
  }
  await recordAdminChange(deps, by, {
    envId,
    entity: 'webhook',
    verb: 'secret_rotated',
    target: { webhookId },
  });
  return { secret };
}

/**
 * Queues a `webhook.test` event to this endpoint only, whatever its event types. A disabled
 * endpoint is refused (`409 conflict`): its deliveries would wait until it is enabled.
 */
export async function sendTestWebhook(
  deps: ServiceDeps,
  envId: string,
  webhookId: string,
): Promise<{ deliveryId: string }> {
  const endpoint = await requireWebhook(deps, envId, webhookId);
  if (!endpoint.enabled) {
    throw new TesseraError('conflict', {
      message: 'The webhook is disabled: enable it to send a test event.',
    });
  }
  const now = deps.clock.now();
  const event = {
    id: newEventId(deps.clock.nowMillis()),
    type: 'webhook.test',
    envId,
    at: new Date(now * 1000).toISOString(),
    userId: null,
    sid: null,
    tenantId: null,
    clientId: null,
    ip: null,
    userAgent: null,
    details: { webhookId },
  };
  const deliveryId = `whd_${randomBytes(16).toString('hex')}`;
  const queued = await deps.storage.enqueueWebhookDelivery(webhookId, deliveryId, {
    envId,
    eventId: event.id,
    eventType: event.type,
    sid: null,
    payload: { type: event.type, timestamp: event.at, data: event },
    now,
  });
  if (!queued) throw new TesseraError('not_found');
  deps.webhooks?.nudge();
  return { deliveryId };
}

export async function listWebhookDeliveries(
  deps: ServiceDeps,
  envId: string,
  webhookId: string,
  query: PageQuery,
): Promise<PageView<WebhookDeliveryView>> {
  const request = pageRequest(query);
  await requireWebhook(deps, envId, webhookId);
  return pageView(await deps.storage.listWebhookDeliveriesPage(envId, webhookId, request), deliveryView);
}

async function requireWebhook(
  deps: ServiceDeps,
  envId: string,
  webhookId: string,
): Promise<WebhookEndpointRecord> {
  const endpoint = await deps.storage.getWebhookEndpoint(envId, webhookId);
  if (!endpoint) throw new TesseraError('not_found');
  return endpoint;
}

async function assertValidWebhook(environment: EnvironmentRecord, input: UpdateWebhookInput): Promise<void> {
  const problems: string[] = [];
  if (input.eventTypes !== undefined) problems.push(...eventTypeProblems(input.eventTypes));
  if (input.description != null && input.description.length > MAX_WEBHOOK_DESCRIPTION_LENGTH) {
    problems.push(`description must be at most ${MAX_WEBHOOK_DESCRIPTION_LENGTH} characters.`);
  }
  if (input.url !== undefined) {
    const problem = await checkWebhookUrl(input.url, {
      allowPrivateTargets: environment.webhookSettings.allowPrivateTargets,
    });
    if (problem !== null) problems.unshift(WEBHOOK_URL_PROBLEMS[problem]);
  }
  assertNoProblems(problems);
}

function webhookView(endpoint: WebhookEndpointRecord): WebhookView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    description: endpoint.description,
    enabled: endpoint.enabled,
    createdAt: isoTime(endpoint.createdAt),
  };
}

function deliveryView(delivery: WebhookDeliveryRecord): WebhookDeliveryView {
  const time = (value: number | null) => (value === null ? null : isoTime(value));
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    createdAt: isoTime(delivery.createdAt),
    lastAttemptAt: time(delivery.lastAttemptAt),
    nextAttemptAt: time(delivery.nextAttemptAt),
    lastResponseStatus: delivery.lastResponseStatus,
    lastError: delivery.lastError,
  };
}

/** What an admin event records of a webhook: its settings, never its secret. */
function settingsOf(view: WebhookView): Record<string, unknown> {
  const { url, eventTypes, description, enabled } = view;
  return { url, eventTypes, description, enabled };
}
