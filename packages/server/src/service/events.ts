/**
 * Session events (docs/events.md, ASVS 16.3): each is stored (the admin API lists them, webhooks
 * carry them) and written as one structured log line. Only ids, reasons and settings — never a
 * token, cookie, password, hash, secret or the admin key.
 *
 * Recording never fails the operation it records: an event that cannot be stored is logged and
 * dropped, so a login or a logout that happened is answered as such.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { EventStore } from '../storage/port/events.js';
import type { EventRecord } from '../storage/records.js';
import type { AdminActor } from './admin/actor.js';
import type { Clock } from './clock.js';
import type { ServiceMetrics } from './metrics.js';

export type LoginFailureReason =
  | 'invalid_credentials'
  | 'user_disabled'
  | 'tenant_forbidden'
  | 'max_sessions_reached'
  | 'rate_limited';

/** Who and where an event is about; each field when known. */
export interface EventSubject {
  envId: string;
  userId?: string | null | undefined;
  sid?: string | null | undefined;
  tenantId?: string | null | undefined;
  clientId?: string | null | undefined;
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
}

/** Where the request that caused an event came from, when a route knows. */
export interface RequestOrigin {
  ip?: string | undefined;
  userAgent?: string | null | undefined;
}

/** The events of a session's life, each with its details (docs/events.md). */
export type SessionEvent = EventSubject &
  (
    | { type: 'session.created'; details: { method: 'password'; via: 'session_api' | 'hosted_login' } }
    | { type: 'login.failed'; details: { reason: LoginFailureReason } }
    | { type: 'session.refresh_refused'; details: { code: string } }
    | { type: 'session.refresh_reused'; details?: Record<string, never> }
    | { type: 'session.ended'; details: { reason: string } }
    | { type: 'session.tenant_switched'; details: { from: string | null; to: string } }
    | { type: 'session.client_joined'; details?: Record<string, never> }
    | { type: 'oauth.code_reused'; details?: Record<string, never> }
  );

/** An admin change: `admin.<entity>.<verb>`, who made it, what it changed (never a secret). */
export interface AdminEvent extends EventSubject {
  entity: string;
  verb: string;
  actor: AdminActor;
  /** The ids of what changed (`{ userId }`, `{ tenantId }`, …). */
  target: Record<string, string>;
  /** For settings and policies: the values before and after. */
  before?: unknown;
  after?: unknown;
}

export interface EventDeps {
  storage: Pick<EventStore, 'appendEvent'>;
  clock: Pick<Clock, 'nowMillis'>;
  logger: Logger;
  /** Told after an event is stored: it may have queued webhook deliveries (docs/webhooks.md). */
  webhooks?: { nudge(): void } | undefined;
  /** Counts logins and sessions started and ended, when metrics are on. */
  metrics?: Pick<ServiceMetrics, 'eventRecorded'> | undefined;
}

/** Names the log has always used, kept so that existing log queries still match. */
const LOG_NAMES: Partial<Record<string, string>> = {
  'session.created': 'login.succeeded',
  'session.refresh_reused': 'refresh.reuse_detected',
};

const LOG_MESSAGES: Partial<Record<string, string>> = {
  'session.refresh_reused': 'refresh token reuse detected; session ended',
  'oauth.code_reused': 'authorization code used twice; its session ended',
};

/** Stores the event and logs it. Never throws for a store that fails: that is logged instead. */
export async function recordEvent(deps: EventDeps, event: SessionEvent): Promise<void> {
  const { type, details, ...subject } = event;
  deps.metrics?.eventRecorded(event);
  await store(deps, type, subject, details ?? {});
}

/** Records `admin.<entity>.<verb>` with its actor and target, and before/after when given. */
export async function recordAdminEvent(deps: EventDeps, event: AdminEvent): Promise<void> {
  const { entity, verb, actor, target, before, after, ...subject } = event;
  await store(deps, `admin.${entity}.${verb}`, subject, {
    actor,
    target,
    ...(before !== undefined && { before }),
    ...(after !== undefined && { after }),
  });
}

let lastMillis = 0;
let sequence = 0;

/**
 * `evt_`, the time in milliseconds (12 hex digits), a per-process sequence within that millisecond
 * and 64 random bits: sorted by time, in recording order on one node, unique across nodes.
 */
export function newEventId(at: number): string {
  sequence = at === lastMillis ? sequence + 1 : 0;
  lastMillis = at;
  const time = Math.max(0, at).toString(16).padStart(12, '0');
  return `evt_${time}${sequence.toString(16).padStart(6, '0')}${randomBytes(8).toString('hex')}`;
}

async function store(
  deps: EventDeps,
  type: string,
  subject: EventSubject,
  details: Record<string, unknown>,
): Promise<void> {
  const at = deps.clock.nowMillis();
  const record: EventRecord = {
    id: newEventId(at),
    envId: subject.envId,
    type,
    at,
    userId: subject.userId ?? null,
    sid: subject.sid ?? null,
    tenantId: subject.tenantId ?? null,
    clientId: subject.clientId ?? null,
    ip: subject.ip ?? null,
    userAgent: subject.userAgent?.slice(0, 512) ?? null,
    details,
  };
  log(deps.logger, record);
  try {
    await deps.storage.appendEvent(record);
    deps.webhooks?.nudge();
  } catch (error) {
    // The database's words (never the values bound to the statement), not the event again.
    const { name, message, code } = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
    deps.logger.error(
      { eventId: record.id, type, envId: record.envId, error: { name, code, message } },
      'event not stored',
    );
  }
}

function log(logger: Logger, record: EventRecord): void {
  const { before: _before, after: _after, ...details } = record.details;
  const line = {
    event: LOG_NAMES[record.type] ?? record.type,
    eventId: record.id,
    envId: record.envId,
    ...(record.userId !== null && { userId: record.userId }),
    ...(record.sid !== null && { sid: record.sid }),
    ...(record.tenantId !== null && { tenantId: record.tenantId }),
    ...(record.clientId !== null && { clientId: record.clientId }),
    ...details,
  };
  const message = LOG_MESSAGES[record.type];
  if (message !== undefined) logger.warn(line, message);
  else logger.info(line, line.event);
}
