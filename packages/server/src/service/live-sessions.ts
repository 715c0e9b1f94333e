import { lapsePolicies } from '../engine/policy.js';
import type { SessionRecord } from '../engine/records.js';
import { lapseReason } from '../engine/session-state.js';
import type { ServiceDeps } from './deps.js';

/**
 * A user's sessions that are alive now: not ended, and not lapsed by the policies in force
 * (SES-18: expiry is judged when read, not only by a cleanup job).
 */
export async function liveSessionsOf(
  deps: ServiceDeps,
  envId: string,
  userId: string,
): Promise<SessionRecord[]> {
  const [environment, memberships, sessions] = await Promise.all([
    deps.storage.getEnvironment(envId),
    deps.storage.listUserMemberships(envId, userId),
    deps.storage.listLiveSessions(envId, userId),
  ]);
  if (!environment) return [];
  const policies = lapsePolicies(environment, memberships);
  const now = deps.clock.now();
  return sessions.filter((s) => lapseReason(s, policies, now) === null);
}
