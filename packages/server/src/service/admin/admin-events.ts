/**
 * The events of admin changes (docs/events.md): `admin.<entity>.<verb>`, with who made the change
 * and, for settings and policies, the fields it changed before → after. Never a secret: the
 * callers pass views and settings, not records with hashes.
 */
import type { ServiceDeps } from '../deps.js';
import { type RequestOrigin, recordAdminEvent } from '../events.js';
import type { AdminActor } from './actor.js';

export interface AdminChange {
  envId: string;
  entity: string;
  verb: string;
  target: Record<string, string>;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** The user the change is about, for the events API's `userId` filter. */
  userId?: string | null | undefined;
  sid?: string | null | undefined;
  tenantId?: string | null | undefined;
  clientId?: string | null | undefined;
}

/** Who made the change, and from where (the admin request's address and user agent, when known). */
export interface AdminOrigin extends RequestOrigin {
  actor: AdminActor;
}

export async function recordAdminChange(
  deps: ServiceDeps,
  by: AdminOrigin,
  change: AdminChange,
): Promise<void> {
  await recordAdminEvent(deps, { ...change, actor: by.actor, ip: by.ip, userAgent: by.userAgent });
}

/** The top-level fields whose values differ, before and after; `null` when nothing changed. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  if (keys.length === 0) return null;
  const pick = (values: Record<string, unknown>) =>
    Object.fromEntries(keys.map((key) => [key, values[key] ?? null]));
  return { before: pick(before), after: pick(after) };
}
