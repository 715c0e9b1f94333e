/**
 * The SQLite half of the webhook role: the writes that take a transaction. Each is `BEGIN
 * IMMEDIATE`, so a claim by one process waits for another's to commit and never sees its rows as
 * unclaimed.
 */
import type Database from 'better-sqlite3';
import { eventRow } from '../event-queries.js';
import type { EventStore } from '../port/events.js';
import type { WebhookEventToDeliver, WebhookStore } from '../port/webhooks.js';
import type { EventRecord, WebhookEndpointRecord } from '../records.js';
import type { WebhookDeliveryRow } from '../schema.js';
import { patternsMatching, toWebhookDelivery, webhookEventOf } from '../webhook-queries.js';

type SqliteWebhookWrites = Pick<
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
 * Enqueues `event`'s deliveries on `db`, inside the caller's transaction when there is one (the
 * events adapter calls it where it stores the event). The number of deliveries.
 */
export function enqueueWebhookDeliveriesOn(db: Database.Database, event: WebhookEventToDeliver): number {
  return prepared(db, 'enqueue', ENQUEUE_SQL).run(deliveryParams(event)).changes;
}

const ENQUEUE_SQL = `INSERT INTO webhook_deliveries ${INSERT_DELIVERY_COLUMNS}
       SELECT 'whd_' || lower(hex(randomblob(16))), e.id, e.env_id, @event_id, @event_type, @sid, @payload,
              'pending', 0, @now, @now
       FROM webhook_endpoints e
       WHERE e.env_id = @env_id AND e.enabled = 1
         AND EXISTS (SELECT 1 FROM webhook_event_types t
                     WHERE t.endpoint_id = e.id AND t.event_type IN (SELECT value FROM json_each(@patterns)))
       ORDER BY e.created_at, e.id`;

const INSERT_EVENT_SQL = `INSERT INTO events (id, env_id, type, at, user_id, sid, tenant_id, client_id, ip, user_agent, details)
  VALUES (@id, @env_id, @type, @at, @user_id, @sid, @tenant_id, @client_id, @ip, @user_agent, @details)`;

// Events are appended on every login and ending: their two statements are prepared once per connection.
const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepared(db: Database.Database, name: string, sql: string): Database.Statement {
  let statements = statementCache.get(db);
  if (!statements) {
    statements = new Map();
    statementCache.set(db, statements);
  }
  let statement = statements.get(name);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(name, statement);
  }
  return statement;
}

function deliveryParams(event: WebhookEventToDeliver) {
  return {
    env_id: event.envId,
    event_id: event.eventId,
    event_type: event.eventType,
    sid: event.sid,
    payload: JSON.stringify(event.payload),
    now: event.now,
    patterns: JSON.stringify(patternsMatching(event.eventType)),
  };
}

/** Rows a claim looks at for each one it takes: bounded work per claim, however long the queue. */
const CANDIDATES_PER_CLAIM = 4;

export function sqliteWebhookWrites(db: Database.Database): SqliteWebhookWrites {
  const writeEventTypes = (endpointId: string, eventTypes: readonly string[]) => {
    db.prepare('DELETE FROM webhook_event_types WHERE endpoint_id = ?').run(endpointId);
    const insert = db.prepare(
      'INSERT INTO webhook_event_types (endpoint_id, event_type, position) VALUES (?, ?, ?)',
    );
    for (const [position, type] of eventTypes.entries()) insert.run(endpointId, type, position);
  };

  const insertEndpoint = db.transaction((endpoint: WebhookEndpointRecord): boolean => {
    if (!db.prepare('SELECT 1 FROM environments WHERE id = ?').get(endpoint.envId)) return false;
    const { changes } = db
      .prepare(
        `INSERT INTO webhook_endpoints (id, env_id, url, description, enabled, secret_encrypted, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(
        endpoint.id,
        endpoint.envId,
        endpoint.url,
        endpoint.description,
        endpoint.enabled ? 1 : 0,
        endpoint.secretEncrypted,
        endpoint.createdAt,
      );
    if (changes === 0) return false;
    writeEventTypes(endpoint.id, endpoint.eventTypes);
    return true;
  });

  const updateEndpoint = db.transaction(
    (envId: string, id: string, patch: Parameters<WebhookStore['updateWebhookEndpoint']>[2]): boolean => {
      const found = db.prepare('SELECT 1 FROM webhook_endpoints WHERE env_id = ? AND id = ?').get(envId, id);
      if (!found) return false;
      const columns: [string, unknown][] = [
        ['url', patch.url],
        ['description', patch.description],
        ['enabled', patch.enabled === undefined ? undefined : patch.enabled ? 1 : 0],
        ['secret_encrypted', patch.secretEncrypted],
      ];
      const set = columns.filter(([, value]) => value !== undefined);
      if (set.length > 0) {
        db.prepare(
          `UPDATE webhook_endpoints SET ${set.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`,
        ).run(...set.map(([, value]) => value), id);
      }
      if (patch.eventTypes !== undefined) writeEventTypes(id, patch.eventTypes);
      return true;
    },
  );

  const enqueueOne = db.transaction(
    (endpointId: string, deliveryId: string, event: WebhookEventToDeliver): boolean => {
      const params = deliveryParams(event);
      return (
        db
          .prepare(
            `INSERT INTO webhook_deliveries ${INSERT_DELIVERY_COLUMNS}
             SELECT @delivery_id, e.id, e.env_id, @event_id, @event_type, @sid, @payload, 'pending', 0, @now, @now
             FROM webhook_endpoints e WHERE e.id = @endpoint_id AND e.env_id = @env_id`,
          )
          .run({ ...params, delivery_id: deliveryId, endpoint_id: endpointId }).changes > 0
      );
    },
  );

  const claim = db.transaction((input: Parameters<WebhookStore['claimWebhookDeliveries']>[0]) => {
    const picked = db
      .prepare(
        `SELECT seq FROM (
           SELECT seq, next_attempt_at,
                  row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at, seq) AS rank
           FROM (
             SELECT d.seq, d.endpoint_id, d.next_attempt_at
             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
             WHERE d.status = 'pending' AND d.next_attempt_at <= @now
               AND (d.locked_until IS NULL OR d.locked_until <= @now)
               AND e.enabled = 1
               AND d.endpoint_id NOT IN (SELECT value FROM json_each(@excluded))
               AND NOT EXISTS (
                 SELECT 1 FROM webhook_deliveries p
                 WHERE p.endpoint_id = d.endpoint_id AND p.sid = d.sid AND p.status = 'pending' AND p.seq < d.seq)
             ORDER BY d.next_attempt_at, d.seq
             LIMIT @candidates
           )
         )
         WHERE rank <= @per_endpoint
         ORDER BY next_attempt_at, seq
         LIMIT @limit`,
      )
      .all({
        now: input.now,
        excluded: JSON.stringify(input.excludeEndpointIds),
        per_endpoint: input.perEndpointLimit,
        limit: input.limit,
        candidates: input.limit * CANDIDATES_PER_CLAIM,
      }) as { seq: number }[];
    if (picked.length === 0) return [];
    const seqs = JSON.stringify(picked.map((row) => row.seq));
    db.prepare(
      'UPDATE webhook_deliveries SET locked_until = ? WHERE seq IN (SELECT value FROM json_each(?))',
    ).run(input.now + input.lockSeconds, seqs);
    const rows = db
      .prepare(
        `SELECT d.*, e.url AS endpoint_url, e.secret_encrypted AS endpoint_secret
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.seq IN (SELECT value FROM json_each(?))
         ORDER BY d.next_attempt_at, d.seq`,
      )
      .all(seqs) as (WebhookDeliveryRow & { endpoint_url: string; endpoint_secret: string })[];
    return rows.map((row) => ({
      ...toWebhookDelivery(row),
      url: row.endpoint_url,
      secretEncrypted: row.endpoint_secret,
    }));
  });

  return {
    insertWebhookEndpoint: async (endpoint) => insertEndpoint.immediate(endpoint),
    updateWebhookEndpoint: async (envId, id, patch) => updateEndpoint.immediate(envId, id, patch),
    enqueueWebhookDeliveries: async (event) => enqueueWebhookDeliveriesOn(db, event),
    enqueueWebhookDelivery: async (endpointId, deliveryId, event) =>
      enqueueOne.immediate(endpointId, deliveryId, event),
    claimWebhookDeliveries: async (input) => claim.immediate(input),
  };
}

/**
 * `appendEvent` with its webhook deliveries: the event and one delivery per matching endpoint are
 * written in one `IMMEDIATE` transaction, so neither is ever stored without the other.
 */
export function sqliteAppendEvent(db: Database.Database): EventStore['appendEvent'] {
  const append = db.transaction((event: EventRecord) => {
    prepared(db, 'insertEvent', INSERT_EVENT_SQL).run(eventRow(event));
    enqueueWebhookDeliveriesOn(db, webhookEventOf(event));
  });
  return async (event) => {
    append.immediate(event);
  };
}
