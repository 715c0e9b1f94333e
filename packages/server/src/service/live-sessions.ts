import { lapsePolicies } from '../engine/policy.js';
import type { MembershipView, SessionRecord } from '../engine/records.js';
import { lapseReason } from '../engine/session-state.js';
import type { EnvironmentRecord } from '../storage/records.js';
import type { ServiceDeps } from './deps.js';

/** A user's live sessions, with what they were judged by. */
export interface LiveSessionsOfUser {
  environment: EnvironmentRecord | null;
  memberships: MembershipView[];
  sessions: SessionRecord[];
}

/**
 * A user's sessions that are alive now: not ended, and not lapsed by the policies in force
 * (SES-18: expiry is judged when read, not only by a cleanup job).
 */
export async function liveSessionsOf(
  deps: ServiceDeps,
  envId: string,
  userId: string,
): Promise<SessionRecord[]> {
  return (await loadLiveSessionsOf(deps, envId, userId)).sessions;
}

/** {@link liveSessionsOf}, with the environment and memberships that judged them. */
export async function loadLiveSessionsOf(
  deps: ServiceDeps,
  envId: string,
  userId: string,
): Promise<LiveSessionsOfUser> {
  const [environment, memberships, sessions] = await Promise.all([
    deps.storage.getEnvironment(envId),
    deps.storage.listUserMemberships(envId, userId),
    deps.storage.listLiveSessions(envId, userId),
  ]);
  if (!environment) return { environment, memberships, sessions: [] };
  const policies = lapsePolicies(environment, memberships);
  const now = deps.clock.now();
  return {
    environment,
    memberships,
    sessions: sessions.filter((s) => lapseReason(s, policies, now) === null),
  };
}
