/**
 * The concurrent-session limit at login (DESIGN §2): sessions that have lapsed are ended first
 * and never count; at the limit, `evict_oldest` ends the least recently active sessions and
 * `reject` refuses the login.
 */
import type { SessionPolicy, UserPolicy } from './policy.js';
import type { EndReason, SessionRecord } from './records.js';
import { lapseReason } from './session-state.js';

export type SessionLimitOutcome =
  | { kind: 'create'; end: { sessionId: string; reason: EndReason }[] }
  | { kind: 'reject' };

export interface DecideSessionLimitInput {
  liveSessions: readonly SessionRecord[];
  userPolicy: UserPolicy;
  tenantPolicies: readonly SessionPolicy[];
  refreshTokenTtlSeconds: number;
  now: number;
}

export function decideSessionLimit(input: DecideSessionLimitInput): SessionLimitOutcome {
  const { liveSessions, userPolicy, tenantPolicies, refreshTokenTtlSeconds, now } = input;
  const policies = { user: userPolicy, tenants: tenantPolicies, refreshTokenTtlSeconds };
  const end: { sessionId: string; reason: EndReason }[] = [];
  const alive: SessionRecord[] = [];
  for (const session of liveSessions) {
    const lapsed = lapseReason(session, policies, now);
    if (lapsed) end.push({ sessionId: session.id, reason: lapsed });
    else alive.push(session);
  }
  const limit = userPolicy.maxConcurrentSessions;
  if (limit === null || alive.length < limit) return { kind: 'create', end };
  if (userPolicy.onLimit === 'reject') return { kind: 'reject' };

  // Seconds first (the engine's clock), then the storage's activity order breaks ties within a
  // second; the id only orders sessions that predate that order (migration 0007).
  const leastRecentlyActiveFirst = [...alive].sort(
    (a, b) =>
      a.lastActiveAt - b.lastActiveAt ||
      a.activityOrder - b.activityOrder ||
      a.createdAt - b.createdAt ||
      a.id.localeCompare(b.id),
  );
  const excess = alive.length - limit + 1;
  for (const session of leastRecentlyActiveFirst.slice(0, excess)) {
    end.push({ sessionId: session.id, reason: 'evicted' });
  }
  return { kind: 'create', end };
}
