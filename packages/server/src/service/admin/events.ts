/**
 * The events API's use case (docs/events.md): an environment's events, newest first, filtered by
 * type, user, session and time, paged by cursor. A bad filter is `invalid_request` naming it, and
 * nothing is read.
 */
import { TesseraError } from '../../errors.js';
import type { EventFilter } from '../../storage/port/events.js';
import type { EventRecord } from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';
import { requireEnvironment } from './lookups.js';
import { type PageQuery, type PageView, pageRequest, pageView } from './paging.js';

export interface EventQuery extends PageQuery {
  /** Comma-separated types; `prefix.*` for every type under a prefix. */
  type?: string | undefined;
  userId?: string | undefined;
  sid?: string | undefined;
  /** ISO 8601, inclusive. */
  since?: string | undefined;
  /** ISO 8601, exclusive. */
  until?: string | undefined;
}

export interface EventView {
  id: string;
  type: string;
  envId: string;
  /** ISO 8601 with milliseconds. */
  at: string;
  userId: string | null;
  sid: string | null;
  tenantId: string | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

/** At most this many entries in `type`. */
export const MAX_EVENT_TYPES = 20;
const TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export async function listEvents(
  deps: ServiceDeps,
  envId: string,
  query: EventQuery,
): Promise<PageView<EventView>> {
  const filter = eventFilter(query);
  const page = pageRequest(query);
  await requireEnvironment(deps, envId);
  return pageView(await deps.storage.listEvents(envId, filter, page), eventView);
}

/** @throws TesseraError `invalid_request` with `field` `type`, `since` or `until`. */
export function eventFilter(query: EventQuery): EventFilter {
  const since = query.since === undefined ? undefined : instant('since', query.since);
  const until = query.until === undefined ? undefined : instant('until', query.until);
  if (since !== undefined && until !== undefined && until <= since) {
    throw invalid('until', 'until must be later than since.');
  }
  return {
    ...(query.type !== undefined && { types: types(query.type) }),
    ...(query.userId !== undefined && { userId: query.userId }),
    ...(query.sid !== undefined && { sid: query.sid }),
    ...(since !== undefined && { since }),
    ...(until !== undefined && { until }),
  };
}

function types(value: string): string[] {
  const list = value.split(',').map((type) => type.trim());
  if (list.length > MAX_EVENT_TYPES || list.some((type) => !TYPE.test(type) || type.length > 100)) {
    throw invalid(
      'type',
      `type must be up to ${MAX_EVENT_TYPES} comma-separated event types, each like session.ended or admin.*.`,
    );
  }
  return list;
}

function instant(field: 'since' | 'until', value: string): number {
  const millis = ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(millis)) {
    throw invalid(
      field,
      `${field} must be an ISO 8601 date and time with a time zone, like 2026-01-31T12:00:00Z.`,
    );
  }
  return millis;
}

function invalid(field: string, problem: string): TesseraError {
  return new TesseraError('invalid_request', { message: `Invalid request: ${problem}`, field });
}

function eventView(event: EventRecord): EventView {
  return {
    id: event.id,
    type: event.type,
    envId: event.envId,
    at: new Date(event.at).toISOString(),
    userId: event.userId,
    sid: event.sid,
    tenantId: event.tenantId,
    clientId: event.clientId,
    ip: event.ip,
    userAgent: event.userAgent,
    details: event.details,
  };
}
