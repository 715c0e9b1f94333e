/** Admin use cases for sessions (DESIGN §3.3, security.md SES-14). */
import { lapsePolicies } from '../../engine/policy.js';
import { lapseReason } from '../../engine/session-state.js';
import { TesseraError } from '../../errors.js';
import type { ServiceDeps } from '../deps.js';
import type { RequestOrigin } from '../events.js';
import { recordEvent } from '../events.js';
import { loadLiveSessionsOf } from '../live-sessions.js';
import type { AdminActor } from './actor.js';
import { recordAdminChange } from './admin-events.js';
import { requireEnvironment, requireUser } from './lookups.js';
import { type PageQuery, type PageView, pageRequest, pageView } from './paging.js';
import { type AdminSessionView, adminSessionView, membershipsOfUsers } from './session-views.js';

export type { AdminSessionView };

/** The user's sessions alive now (not ended, and not lapsed under the policies in force), oldest first. */
export async function listUserSessions(
  deps: ServiceDeps,
  envId: string,
  userId: string,
): Promise<AdminSessionView[]> {
  await requireUser(deps, envId, userId);
  const { environment, memberships, sessions } = await loadLiveSessionsOf(deps, envId, userId);
  if (!environment) return [];
  const clientIds = await deps.storage.listSessionClientIds(sessions.map((s) => s.id));
  const context = { environment, memberships: new Map([[userId, memberships]]), clientIds };
  return sessions.map((session) => adminSessionView(session, context));
}

export interface EnvironmentSessionsQuery extends PageQuery {
  /** Only this user's sessions. */
  userId?: string | undefined;
}

/**
 * The environment's live sessions, most recently active first, a page at a time. A session that
 * lapsed though no job ended it yet is left out (SES-18), so a page may hold fewer than `limit`.
 */
export async function listEnvironmentSessions(
  deps: ServiceDeps,
  envId: string,
  query: EnvironmentSessionsQuery = {},
): Promise<PageView<AdminSessionView>> {
  const page = pageRequest(query);
  const environment = await requireEnvironment(deps, envId);
  const found = await deps.storage.listLiveSessionsPage({ envId, userId: query.userId, page });
  const memberships = await membershipsOfUsers(deps, envId, found.items);
  const now = deps.clock.now();
  const policies = new Map([...memberships].map(([userId, m]) => [userId, lapsePolicies(environment, m)]));
  const live = found.items.filter((session) => {
    const userPolicies = policies.get(session.userId);
    return userPolicies !== undefined && lapseReason(session, userPolicies, now) === null;
  });
  const clientIds = await deps.storage.listSessionClientIds(live.map((s) => s.id));
  const context = { environment, memberships, clientIds };
  return pageView({ items: live, next: found.next }, (session) => adminSessionView(session, context));
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
