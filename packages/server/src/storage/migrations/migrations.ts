/**
 * One migration set for both databases: each migration is DDL written once against the column
 * types below, which differ per dialect. Applied in order by each adapter's `migrate()`, which
 * records them in `tessera_migrations` under a lock (see the adapters).
 */
import { initialSchema } from './0001-initial.js';
import { hostedLoginSchema } from './0002-hosted-login.js';
import { sessionClientsSchema } from './0003-session-clients.js';
import { brandingAndClientScopesSchema } from './0004-branding-and-client-scopes.js';
import { sessionEndingsSchema } from './0005-session-endings.js';
import { refreshTokenClientsSchema } from './0006-refresh-token-clients.js';
import { sessionActivityOrderSchema } from './0007-session-activity-order.js';
import { eventsSchema } from './0008-events.js';
import { sessionPlacesAndActivitySchema } from './0009-session-places-and-activity.js';
import { webhooksSchema } from './0010-webhooks.js';
import { pruneIndexesSchema } from './0011-prune-indexes.js';

export interface ColumnTypes {
  /** For the few statements that exist in one database only (a sequence, an index for SQLite). */
  dialect: 'sqlite' | 'postgres';
  /** Identifiers and keys: compared byte-wise so ordering is the same on both databases. */
  id: string;
  text: string;
  /** Epoch seconds. */
  time: string;
  json: string;
  /** Appended to every CREATE TABLE. */
  tableOptions: string;
  /** The database's current time in epoch seconds, as an SQL expression (for data migrations). */
  epochNow: string;
}

export const SQLITE_COLUMN_TYPES: ColumnTypes = {
  dialect: 'sqlite',
  id: 'TEXT',
  text: 'TEXT',
  time: 'INTEGER',
  json: 'TEXT',
  tableOptions: ' STRICT',
  epochNow: "CAST(strftime('%s', 'now') AS INTEGER)",
};

export const POSTGRES_COLUMN_TYPES: ColumnTypes = {
  dialect: 'postgres',
  id: 'text COLLATE "C"',
  text: 'text',
  time: 'bigint',
  json: 'jsonb',
  tableOptions: '',
  epochNow: 'CAST(extract(epoch FROM now()) AS bigint)',
};

export interface Migration {
  id: string;
  statements: (types: ColumnTypes) => readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  { id: '0001_initial', statements: initialSchema },
  { id: '0002_hosted_login', statements: hostedLoginSchema },
  { id: '0003_session_clients', statements: sessionClientsSchema },
  { id: '0004_branding_and_client_scopes', statements: brandingAndClientScopesSchema },
  { id: '0005_session_endings', statements: sessionEndingsSchema },
  { id: '0006_refresh_token_clients', statements: refreshTokenClientsSchema },
  { id: '0007_session_activity_order', statements: sessionActivityOrderSchema },
  { id: '0008_events', statements: eventsSchema },
  { id: '0009_session_places_and_activity', statements: sessionPlacesAndActivitySchema },
  { id: '0010_webhooks', statements: webhooksSchema },
  { id: '0011_prune_indexes', statements: pruneIndexesSchema },
];

export const MIGRATIONS_TABLE_DDL =
  'CREATE TABLE IF NOT EXISTS tessera_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)';

/** The migrations not yet in `applied`, in order. */
export function pendingMigrations(applied: Iterable<string>): Migration[] {
  const done = new Set(applied);
  return MIGRATIONS.filter((m) => !done.has(m.id));
}
