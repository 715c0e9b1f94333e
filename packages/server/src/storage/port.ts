/**
 * The storage port: the only way the server reaches its database. Shaped by the use cases, not
 * by tables: one role per use case (`port/`), and `Storage`, every role at once, which each adapter
 * (SQLite, PostgreSQL) implements and the one conformance suite (`conformance/`) holds to the
 * contract. A use case that needs one role names only that role (`Pick<SessionStore, …>`).
 * Adapters are the only code that writes SQL; the records the roles carry are `records.ts`.
 *
 * Atomicity (DESIGN §4.5) is part of the contract, stated on each role's methods; all timestamps
 * are epoch seconds chosen by the caller (the service's clock), except an event's `at` (milliseconds).
 */
import type { ActivityStore } from './port/activity.js';
import type { DirectoryStore } from './port/directory.js';
import type { EventStore } from './port/events.js';
import type { GrantStore } from './port/grants.js';
import type { KeyStore } from './port/keys.js';
import type { MaintenanceStore } from './port/maintenance.js';
import type { SessionEndingStore } from './port/session-endings.js';
import type { SessionStore } from './port/sessions.js';
import type { WebhookStore } from './port/webhooks.js';

/** Every role of the port: what an adapter implements and the composition root holds. */
export interface Storage
  extends DirectoryStore,
    SessionStore,
    SessionEndingStore,
    GrantStore,
    KeyStore,
    MaintenanceStore,
    ActivityStore,
    WebhookStore,
    EventStore {
  close(): Promise<void>;
}
