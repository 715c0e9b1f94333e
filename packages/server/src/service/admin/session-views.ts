/**
 * A session as the admin API shows it: who, where from, on what device, which clients it serves,
 * and when it lapses under the policy the refresh applies (engine/session-deadlines.ts).
 */
import type { DeviceView } from '@tessera/protocol';
import type { MembershipView, SessionRecord } from '../../engine/records.js';
import { sessionDeadlines } from '../../engine/session-deadlines.js';
import type { EnvironmentRecord } from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';
import { describeDevice } from '../device.js';
import { isoTime } from './iso-time.js';

export interface AdminSessionView {
  sid: string;
  userId: string;
  /** The session's default tenant: the one a refresh without a tenant gets. */
  tenantId: string | null;
  /** The client that logged in. */
  clientId: string;
  /** Every client the session serves: the one that logged in, then those that joined (SSO). */
  clientIds: string[];
  createdAt: string;
  lastActiveAt: string;
  lastRefreshAt: string;
  /** When the session goes idle without activity; `null` with no idle timeout. */
  idleExpiresAt: string | null;
  /** When it ends whatever happens; `null` with no absolute timeout. */
  absoluteExpiresAt: string | null;
  userAgent: string | null;
  device: DeviceView;
  /** The IP of the login. */
  ip: string | null;
  /** The IP of the latest refresh. */
  lastIp: string | null;
}

/** What a session's view is computed with: the policy in force and its clients. */
export interface SessionViewContext {
  environment: EnvironmentRecord;
  /** The memberships of each session's user, by user id. */
  memberships: ReadonlyMap<string, readonly MembershipView[]>;
  clientIds: ReadonlyMap<string, string[]>;
}

export function adminSessionView(session: SessionRecord, context: SessionViewContext): AdminSessionView {
  const deadlines = sessionDeadlines(
    session,
    context.environment.sessionPolicy,
    context.memberships.get(session.userId) ?? [],
  );
  return {
    sid: session.id,
    userId: session.userId,
    tenantId: session.defaultTenantId,
    clientId: session.clientId,
    clientIds: context.clientIds.get(session.id) ?? [session.clientId],
    createdAt: isoTime(session.createdAt),
    lastActiveAt: isoTime(session.lastActiveAt),
    lastRefreshAt: isoTime(session.lastRefreshAt),
    idleExpiresAt: deadlines.idleExpiresAt === null ? null : isoTime(deadlines.idleExpiresAt),
    absoluteExpiresAt: deadlines.absoluteExpiresAt === null ? null : isoTime(deadlines.absoluteExpiresAt),
    userAgent: session.userAgent,
    device: describeDevice(session.userAgent),
    ip: session.ip,
    lastIp: session.lastIp,
  };
}

/** The memberships of each distinct user among `sessions`, read once per user. */
export async function membershipsOfUsers(
  deps: ServiceDeps,
  envId: string,
  sessions: readonly SessionRecord[],
): Promise<Map<string, MembershipView[]>> {
  const userIds = [...new Set(sessions.map((s) => s.userId))];
  const lists = await Promise.all(userIds.map((userId) => deps.storage.listUserMemberships(envId, userId)));
  return new Map(userIds.map((userId, i) => [userId, lists[i] ?? []]));
}
