/**
 * The part of the webhook role that is the same on both databases: reads, deletes and recording
 * an attempt, each one statement written once with Kysely. The adapters add the writes that need a
 * transaction or dialect SQL (`sqlite/webhooks.ts`, `postgres/webhooks.ts`).
 */
import type { Kysely } from 'kysely';
import type { Page, PageKey } from './port/paging.js';
import type { WebhookEventToDeliver, WebhookStore } from './port/webhooks.js';
import { deleteInBatches } from './prune-batches.js';
import type {
  EventRecord,
  WebhookDeliveryRecord,
  WebhookDeliveryStatus,
  WebhookEndpointRecord,
} from './records.js';
import { parseJson } from './rows.js';
import type { Database, WebhookDeliveryRow } from './schema.js';

export type WebhookQueries = Pick<
  WebhookStore,
  | 'getWebhookEndpoint'
  | 'listWebhookEndpointsPage'
  | 'deleteWebhookEndpoint'
  | 'finishWebhookAttempt'
  | 'getWebhookDelivery'
  | 'listWebhookDeliveriesPage'
  | 'pruneWebhookDeliveries'
>;

/**
 * The filter patterns that take events of `type`: every type (`*`), each prefix pattern
 * (`admin.*`, `admin.user.*`) and the type itself. An endpoint matches when one of its rows is in
 * this list: an indexed `IN` on both databases.
 */
export function patternsMatching(type: string): string[] {
  const parts = type.split('.');
  const prefixes = parts.slice(0, -1).map((_, i) => `${parts.slice(0, i + 1).join('.')}.*`);
  return ['*', ...prefixes, type];
}

/**
 * What the queue stores for an event: the body `{ type, timestamp, data }`, `data` being the event
 * as the admin API lists it (`GET …/events`, docs/events.md).
 */
export function webhookEventOf(event: EventRecord): WebhookEventToDeliver {
  const at = new Date(event.at).toISOString();
  const data = {
    id: event.id,
    type: event.type,
    envId: event.envId,
    at,
    userId: event.userId,
    sid: event.sid,
    tenantId: event.tenantId,
    clientId: event.clientId,
    ip: event.ip,
    userAgent: event.userAgent,
    details: event.details,
  };
  return {
    envId: event.envId,
    eventId: event.id,
    eventType: event.type,
    sid: event.sid,
    payload: { type: event.type, timestamp: at, data },
    now: Math.floor(event.at / 1000),
  };
}

export interface WebhookEndpointRow {
  id: string;
  env_id: string;
  url: string;
  description: string | null;
  enabled: number;
  secret_encrypted: string;
  created_at: number;
}

export function toWebhookEndpoint(row: WebhookEndpointRow, eventTypes: string[]): WebhookEndpointRecord {
  return {
    id: row.id,
    envId: row.env_id,
    url: row.url,
    eventTypes,
    description: row.description,
    enabled: Number(row.enabled) === 1,
    secretEncrypted: row.secret_encrypted,
    createdAt: Number(row.created_at),
  };
}

export function toWebhookDelivery(row: WebhookDeliveryRow): WebhookDeliveryRecord {
  const time = (value: number | null) => (value === null ? null : Number(value));
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    envId: row.env_id,
    eventId: row.event_id,
    eventType: row.event_type,
    sid: row.sid,
    payload: parseJson<unknown>(row.payload),
    status: row.status as WebhookDeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: time(row.next_attempt_at),
    lastAttemptAt: time(row.last_attempt_at),
    lastResponseStatus: time(row.last_response_status),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
  };
}

/** `pruneBatchSize`: rows per prune statement, the adapter's (prune-batches.ts). */
export function webhookQueries(
  db: Kysely<Database>,
  { pruneBatchSize }: { pruneBatchSize: number },
): WebhookQueries {
  async function eventTypesOf(endpointIds: readonly string[]): Promise<Map<string, string[]>> {
    const byEndpoint = new Map<string, string[]>();
    if (endpointIds.length === 0) return byEndpoint;
    const rows = await db
      .selectFrom('webhook_event_types')
      .select(['endpoint_id', 'event_type'])
      .where('endpoint_id', 'in', endpointIds)
      .orderBy('endpoint_id')
      .orderBy('position')
      .execute();
    for (const row of rows) {
      const types = byEndpoint.get(row.endpoint_id) ?? [];
      types.push(row.event_type);
      byEndpoint.set(row.endpoint_id, types);
    }
    return byEndpoint;
  }

  return {
    async getWebhookEndpoint(envId, id) {
      const row = await db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('env_id', '=', envId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return null;
      return toWebhookEndpoint(row, (await eventTypesOf([row.id])).get(row.id) ?? []);
    },

    async listWebhookEndpointsPage(envId, { after, limit }) {
      let query = db.selectFrom('webhook_endpoints').selectAll().where('env_id', '=', envId);
      if (after !== null) {
        const [createdAt, id] = after;
        query = query.where((eb) =>
          eb.or([
            eb('created_at', '>', createdAt),
            eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit);
      const types = await eventTypesOf(items.map((row) => row.id));
      const last = items.at(-1);
      return {
        items: items.map((row) => toWebhookEndpoint(row, types.get(row.id) ?? [])),
        next: rows.length > limit && last ? [Number(last.created_at), last.id] : null,
      };
    },

    async deleteWebhookEndpoint(envId, id) {
      const result = await db
        .deleteFrom('webhook_endpoints')
        .where('env_id', '=', envId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async finishWebhookAttempt(result) {
      const updated = await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: result.status,
          attempts: eb('attempts', '+', 1),
          next_attempt_at: result.status === 'pending' ? result.nextAttemptAt : null,
          locked_until: null,
          last_attempt_at: result.now,
          last_response_status: result.responseStatus,
          last_error: result.error,
        }))
        .where('id', '=', result.deliveryId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return updated.numUpdatedRows > 0n;
    },

    pruneWebhookDeliveries: (before, options) =>
      deleteInBatches(
        async (batchSize) => {
          const result = await db
            .deleteFrom('webhook_deliveries')
            .where('seq', 'in', (eb) =>
              eb
                .selectFrom('webhook_deliveries')
                .select('seq')
                .where('status', '<>', 'pending')
                .where('created_at', '<', before)
                .limit(batchSize),
            )
            .executeTakeFirst();
          return Number(result.numDeletedRows);
        },
        { batchSize: pruneBatchSize, signal: options?.signal },
      ),

    async getWebhookDelivery(envId, id) {
      const row = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('env_id', '=', envId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toWebhookDelivery(row) : null;
    },

    async listWebhookDeliveriesPage(
      envId,
      endpointId,
      { after, limit },
    ): Promise<Page<WebhookDeliveryRecord>> {
      let query = db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('env_id', '=', envId)
        .where('endpoint_id', '=', endpointId);
      // Newest first; `seq` is unique, the id in the key only names the row.
      if (after !== null) query = query.where('seq', '<', after[0]);
      const rows = await query
        .orderBy('seq', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      const next: PageKey | null = rows.length > limit && last ? [Number(last.seq), last.id] : null;
      return { items: items.map(toWebhookDelivery), next };
    },
  };
}
