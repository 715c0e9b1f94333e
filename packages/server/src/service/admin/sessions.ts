/** Admin use cases for sessions (DESIGN §3.3, security.md SES-14). */
import { TesseraError } from '../../errors.js';
import type { ServiceDeps } from '../deps.js';
import type { RequestOrigin } from '../events.js';
import { recordEvent } from '../events.js';
import { liveSessionsOf } from '../live-sessions.js';
import type { AdminActor } from './actor.js';
import { recordAdminChange } from './admin-events.js';
import { isoTime } from './iso-time.js';
import { requireUser } from './lookups.js';

export interface AdminSessionView {
  sid: string;
  createdAt: string;
  lastActiveAt: string;
  userAgent: string | null;
  ip: string | null;
  clientId: string;
}

/** The user's sessions alive now (not ended, and not lapsed under the policies in force). */
export async function listUserSessions(
  deps: ServiceDeps,
  envId: string,
  userId: string,
): Promise<AdminSessionView[]> {
  await requireUser(deps, envId, userId);
  return (await liveSessionsOf(deps, envId, userId)).map((session) => ({
    sid: session.id,
    createdAt: isoTime(session.createdAt),
    lastActiveAt: isoTime(session.lastActiveAt),
    userAgent: session.userAgent,
    ip: session.ip,
    clientId: session.clientId,
  }));
}

/** Ends every session of the user; their next refresh is refused. */
export async function endUserSessions(
  deps: ServiceDeps,
  envId: string,
  userId: string,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<void> {
  await requireUser(deps, envId, userId);
  const ended = await deps.storage.endUserSessions({
    envId,
    userId,
    reason: 'revoked',
    now: deps.clock.now(),
  });
  await recordAdminChange(
    deps,
    { actor, ...origin },
    {
      envId,
      entity: 'session',
      verb: 'ended',
      target: { userId },
      userId,
      after: { sessionsEnded: ended.length },
    },
  );
  for (const sid of ended) {
    await recordEvent(deps, { type: 'session.ended', envId, userId, sid, details: { reason: 'revoked' } });
  }
}

/** Ends one live session of the environment; any other sid is `not_found`. */
export async function endSession(
  deps: ServiceDeps,
  envId: string,
  sid: string,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<void> {
  const session = await deps.storage.getSession(sid);
  if (!session || session.envId !== envId || session.endedAt !== null) throw new TesseraError('not_found');
  if (!(await deps.storage.endSession(sid, 'revoked', deps.clock.now()))) throw new TesseraError('not_found');
  const subject = { envId, userId: session.userId, sid, tenantId: session.defaultTenantId };
  await recordAdminChange(
    deps,
    { actor, ...origin },
    { ...subject, entity: 'session', verb: 'ended', target: { sid } },
  );
  await recordEvent(deps, { type: 'session.ended', ...subject, details: { reason: 'revoked' } });
}
