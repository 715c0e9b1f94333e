import type { ColumnTypes } from './migrations.js';

/**
 * Webhooks (docs/webhooks.md): an environment's endpoints, the event types each one takes (one row
 * per type or pattern, so the filter is an indexed `IN` on both databases), and the delivery queue.
 * A delivery's `seq` orders it: a session's deliveries to one endpoint go out in `seq` order.
 * `webhook_settings` on the environment holds `allowPrivateTargets` (the SSRF rule's exception).
 */
export function webhooksSchema({ dialect, id, text, time, json, tableOptions }: ColumnTypes): string[] {
  const seq =
    dialect === 'postgres'
      ? 'seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
      : 'seq INTEGER PRIMARY KEY';
  return [
    `ALTER TABLE environments ADD COLUMN webhook_settings ${json} NOT NULL DEFAULT '{}'`,
    `CREATE TABLE webhook_endpoints (
      id ${id} PRIMARY KEY,
      env_id ${id} NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
      url ${text} NOT NULL,
      description ${text},
      enabled ${time} NOT NULL CHECK (enabled IN (0, 1)),
      secret_encrypted ${text} NOT NULL,
      created_at ${time} NOT NULL
    )${tableOptions}`,
    'CREATE INDEX webhook_endpoints_by_env ON webhook_endpoints (env_id, created_at, id)',
    `CREATE TABLE webhook_event_types (
      endpoint_id ${id} NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
      event_type ${id} NOT NULL,
      position ${time} NOT NULL,
      PRIMARY KEY (endpoint_id, event_type)
    )${tableOptions}`,
    'CREATE INDEX webhook_event_types_by_type ON webhook_event_types (event_type, endpoint_id)',
    `CREATE TABLE webhook_deliveries (
      ${seq},
      id ${id} NOT NULL UNIQUE,
      endpoint_id ${id} NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
      env_id ${id} NOT NULL,
      event_id ${id} NOT NULL,
      event_type ${id} NOT NULL,
      sid ${id},
      payload ${json} NOT NULL,
      status ${text} NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
      attempts ${time} NOT NULL,
      next_attempt_at ${time},
      locked_until ${time},
      last_attempt_at ${time},
      last_response_status ${time},
      last_error ${text},
      created_at ${time} NOT NULL
    )${tableOptions}`,
    // The dispatcher's scan: pending deliveries by when they are due.
    `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq) WHERE status = 'pending'`,
    // The order rule: an earlier pending delivery of the same endpoint and session holds the later ones.
    `CREATE INDEX webhook_deliveries_pending_by_session ON webhook_deliveries (endpoint_id, sid, seq) WHERE status = 'pending'`,
    // The delivery log, newest first.
    'CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, seq)',
  ];
}
