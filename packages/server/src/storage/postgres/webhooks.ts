/**
 * The PostgreSQL half of the webhook role: the writes that take a transaction or dialect SQL. A
 * claim is one statement that locks its candidates `FOR UPDATE SKIP LOCKED`: concurrent claims on
 * several nodes skip each other's rows instead of waiting for them, and never return the same one.
 */
import type pg from 'pg';
import { eventRow } from '../event-queries.js';
import type { EventStore } from '../port/events.js';
import type { WebhookEventToDeliver, WebhookStore } from '../port/webhooks.js';
import type { WebhookDeliveryRow } from '../schema.js';
import { patternsMatching, toWebhookDelivery, webhookEventOf } from '../webhook-queries.js';
import { withTransaction } from './pool.js';

type Queryable = pg.Pool | pg.PoolClient;

type PostgresWebhookWrites = Pick<
  WebhookStore,
  | 'insertWebhookEndpoint'
  | 'updateWebhookEndpoint'
  | 'enqueueWebhookDeliveries'
  | 'enqueueWebhookDelivery'
  | 'claimWebhookDeliveries'
>;

const INSERT_DELIVERY_COLUMNS = `(id, endpoint_id, env_id, event_id, event_type, sid, payload, status, attempts,
  next_attempt_at, created_at)`;

/**
 * Enqueues `event`'s deliveries on `client`: pass the transaction's client to enqueue with the
 * event in one transaction (the events adapter does). The number of deliveries.
 */
export async function enqueueWebhookDeliveriesOn(
  client: Queryable,
  event: WebhookEventToDeliver,
): Promise<number> {
  const result = await client.query(
    `INSERT INTO webhook_deliveries ${INSERT_DELIVERY_COLUMNS}
     SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), e.id, e.env_id, $2, $3, $4, $5::jsonb,
            'pending', 0, $6::bigint, $6::bigint
     FROM webhook_endpoints e
     WHERE e.env_id = $1 AND e.enabled = 1
       AND EXISTS (SELECT 1 FROM webhook_event_types t WHERE t.endpoint_id = e.id AND t.event_type = ANY($7::text[]))
     ORDER BY e.created_at, e.id`,
    [
      event.envId,
      event.eventId,
      event.eventType,
      event.sid,
      JSON.stringify(event.payload),
      event.now,
      patternsMatching(event.eventType),
    ],
  );
  return result.rowCount ?? 0;
}

const CLAIM_SQL = `
  WITH candidates AS (
    SELECT d.seq, d.endpoint_id, d.next_attempt_at
    FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
    WHERE d.status = 'pending' AND d.next_attempt_at <= $1
      AND (d.locked_until IS NULL OR d.locked_until <= $1)
      AND e.enabled = 1
      AND d.endpoint_id <> ALL($2::text[])
      AND NOT EXISTS (
        SELECT 1 FROM webhook_deliveries p
        WHERE p.endpoint_id = d.endpoint_id AND p.sid = d.sid AND p.status = 'pending' AND p.seq < d.seq)
    ORDER BY d.next_attempt_at, d.seq
    LIMIT $6
    FOR UPDATE OF d SKIP LOCKED
  ), ranked AS (
    SELECT seq, next_attempt_at,
           row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at, seq) AS rank
    FROM candidates
  ), picked AS (
    SELECT seq FROM ranked WHERE rank <= $3 ORDER BY next_attempt_at, seq LIMIT $4
  )
  UPDATE webhook_deliveries d SET locked_until = $1::bigint + $5::bigint
  FROM webhook_endpoints e
  WHERE d.seq IN (SELECT seq FROM picked) AND e.id = d.endpoint_id
  RETURNING d.*, e.url AS endpoint_url, e.secret_encrypted AS endpoint_secret`;

/** Rows a claim looks at for each one it takes, so that one busy endpoint does not hide the others. */
const CANDIDATES_PER_CLAIM = 4;

export function postgresWebhookWrites(pool: pg.Pool): PostgresWebhookWrites {
  const writeEventTypes = async (
    client: pg.PoolClient,
    endpointId: string,
    eventTypes: readonly string[],
  ) => {
    await client.query('DELETE FROM webhook_event_types WHERE endpoint_id = $1', [endpointId]);
    await client.query(
      `INSERT INTO webhook_event_types (endpoint_id, event_type, position)
       SELECT $1, type, position - 1 FROM unnest($2::text[]) WITH ORDINALITY AS t(type, position)`,
      [endpointId, eventTypes],
    );
  };

  return {
    insertWebhookEndpoint: (endpoint) =>
      withTransaction(pool, async (client) => {
        const { rowCount } = await client.query(
          `INSERT INTO webhook_endpoints (id, env_id, url, description, enabled, secret_encrypted, created_at)
           SELECT $1, id, $3, $4, $5, $6, $7 FROM environments WHERE id = $2
           ON CONFLICT DO NOTHING`,
          [
            endpoint.id,
            endpoint.envId,
            endpoint.url,
            endpoint.description,
            endpoint.enabled ? 1 : 0,
            endpoint.secretEncrypted,
            endpoint.createdAt,
          ],
        );
        if (!rowCount) return false;
        await writeEventTypes(client, endpoint.id, endpoint.eventTypes);
        return true;
      }),

    updateWebhookEndpoint: (envId, id, patch) =>
      withTransaction(pool, async (client) => {
        const { rowCount } = await client.query(
          `UPDATE webhook_endpoints SET
             url = coalesce($3, url),
             description = CASE WHEN $4::boolean THEN $5 ELSE description END,
             enabled = coalesce($6, enabled),
             secret_encrypted = coalesce($7, secret_encrypted)
           WHERE env_id = $1 AND id = $2`,
          [
            envId,
            id,
            patch.url ?? null,
            patch.description !== undefined,
            patch.description ?? null,
            patch.enabled === undefined ? null : patch.enabled ? 1 : 0,
            patch.secretEncrypted ?? null,
          ],
        );
        if (!rowCount) return false;
        if (patch.eventTypes !== undefined) await writeEventTypes(client, id, patch.eventTypes);
        return true;
      }),

    enqueueWebhookDeliveries: (event) => enqueueWebhookDeliveriesOn(pool, event),

    async enqueueWebhookDelivery(endpointId, deliveryId, event) {
      const { rowCount } = await pool.query(
        `INSERT INTO webhook_deliveries ${INSERT_DELIVERY_COLUMNS}
         SELECT $1, e.id, e.env_id, $4, $5, $6, $7::jsonb, 'pending', 0, $8::bigint, $8::bigint
         FROM webhook_endpoints e WHERE e.id = $2 AND e.env_id = $3`,
        [
          deliveryId,
          endpointId,
          event.envId,
          event.eventId,
          event.eventType,
          event.sid,
          JSON.stringify(event.payload),
          event.now,
        ],
      );
      return (rowCount ?? 0) > 0;
    },

    async claimWebhookDeliveries(input) {
      const { rows } = await pool.query<
        WebhookDeliveryRow & { endpoint_url: string; endpoint_secret: string }
      >(CLAIM_SQL, [
        input.now,
        input.excludeEndpointIds,
        input.perEndpointLimit,
        input.limit,
        input.lockSeconds,
        input.limit * CANDIDATES_PER_CLAIM,
      ]);
      return rows
        .sort(
          (a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || Number(a.seq) - Number(b.seq),
        )
        .map((row) => ({
          ...toWebhookDelivery(row),
          url: row.endpoint_url,
          secretEncrypted: row.endpoint_secret,
        }));
    },
  };
}

/**
 * `appendEvent` with its webhook deliveries: the event and one delivery per matching endpoint are
 * written in one transaction, so neither is ever stored without the other.
 */
export function postgresAppendEvent(pool: pg.Pool): EventStore['appendEvent'] {
  return (event) =>
    withTransaction(pool, async (client) => {
      const row = eventRow(event);
      await client.query(
        `INSERT INTO events (id, env_id, type, at, user_id, sid, tenant_id, client_id, ip, user_agent, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)`,
        [
          row.id,
          row.env_id,
          row.type,
          row.at,
          row.user_id,
          row.sid,
          row.tenant_id,
          row.client_id,
          row.ip,
          row.user_agent,
          row.details,
        ],
      );
      await enqueueWebhookDeliveriesOn(client, webhookEventOf(event));
    });
}
