/**
 * The signed-in user's own account and sessions: the session API's Bearer endpoints (DESIGN §3.1)
 * and the account page (docs/account.md), which authenticate differently but act alike. A user
 * deleted since the sign-in, or a session that is not the caller's, is an outcome the route words.
 */
import type { MeResponse, SessionSummary } from '@tessera/protocol';
import type { SessionRecord } from '../engine/records.js';
import type { ServiceDeps } from './deps.js';
import { describeDevice } from './device.js';
import { type RequestOrigin, recordEvent } from './events.js';
import { liveSessionsOf } from './live-sessions.js';

/**
 * Who asks: a live session, proven by a Bearer token (`BearerIdentity`) or by the browser's
 * refresh cookie (the account page). Only its id, environment and user are read.
 */
export interface SessionOwner {
  session: Pick<SessionRecord, 'id' | 'envId' | 'userId'>;
}

export type MeResult = { kind: 'found'; me: MeResponse } | { kind: 'unknown_user' };

export async function describeMe(deps: ServiceDeps, identity: SessionOwner): Promise<MeResult> {
  const { envId, userId } = identity.session;
  const [user, memberships] = await Promise.all([
    deps.storage.getUser(envId, userId),
    deps.storage.listUserMemberships(envId, userId),
  ]);
  if (!user) return { kind: 'unknown_user' };
  return {
    kind: 'found',
    me: {
      user: { id: user.id, email: user.email, name: user.name },
      tenants: memberships.map((m) => ({ id: m.tenantId, name: m.tenantName, roles: m.roles })),
    },
  };
}

export async function listOwnSessions(deps: ServiceDeps, identity: SessionOwner): Promise<SessionSummary[]> {
  const { envId, userId, id: currentSid } = identity.session;
  const sessions = await liveSessionsOf(deps, envId, userId);
  return sessions.map((s) => ({
    sid: s.id,
    current: s.id === currentSid,
    createdAt: new Date(s.createdAt * 1000).toISOString(),
    lastActiveAt: new Date(s.lastActiveAt * 1000).toISOString(),
    userAgent: s.userAgent,
    device: describeDevice(s.userAgent),
    ip: s.ip,
    lastIp: s.lastIp,
  }));
}

/**
 * `not_found`: no live session of the caller's has this id — anyone else's answers the same, so
 * the endpoint is no oracle of which session ids exist. `ended`: also when a concurrent logout won.
 */
export type EndOwnSessionResult = { kind: 'ended' } | { kind: 'not_found' };

/** Ends one of the caller's own sessions. */
export async function endOwnSession(
  deps: ServiceDeps,
  identity: SessionOwner,
  sid: string,
  origin: RequestOrigin = {},
): Promise<EndOwnSessionResult> {
  const target = await deps.storage.getSession(sid);
  const { envId, userId } = identity.session;
  if (!target || target.envId !== envId || target.userId !== userId || target.endedAt !== null) {
    return { kind: 'not_found' };
  }
  if (await deps.storage.endSession(sid, 'logout', deps.clock.now())) {
    await recordEvent(deps, {
      type: 'session.ended',
      envId,
      userId,
      sid,
      tenantId: target.defaultTenantId,
      ...origin,
      details: { reason: 'logout' },
    });
  }
  return { kind: 'ended' };
}

export async function endOtherSessions(
  deps: ServiceDeps,
  identity: SessionOwner,
  origin: RequestOrigin = {},
): Promise<number> {
  const { envId, userId, id } = identity.session;
  const ended = await deps.storage.endUserSessions({
    envId,
    userId,
    reason: 'logout',
    now: deps.clock.now(),
    exceptSessionId: id,
  });
  for (const sid of ended) {
    await recordEvent(deps, {
      type: 'session.ended',
      envId,
      userId,
      sid,
      ...origin,
      details: { reason: 'logout' },
    });
  }
  return ended.length;
}
