/**
 * Ends the sessions that lapsed by the clock — idle, past their absolute end, or with a refresh token
 * that expired — so the revocation feed announces them (docs/revocation-feed.md) rather than only
 * the next refresh noticing. Every node may run it: ending an ended session changes nothing.
 */
import { tenantPolicy } from '../../engine/policy.js';
import type { MembershipView, UserRecord } from '../../engine/records.js';
import { lapseReason } from '../../engine/session-state.js';
import type { EnvironmentRecord, LapseCandidateBounds } from '../../storage/port.js';
import type { ServiceDeps } from '../deps.js';
import { logEvent } from '../events.js';
import { lapsePoliciesFor } from '../live-sessions.js';

/** How often each node sweeps [15 s]: idle and absolute expiry reach the feed within about that. */
export const LAPSE_SWEEP_INTERVAL_SECONDS = 15;
/** Candidates judged per environment and sweep; the rest wait for the next sweep. */
const BATCH = 500;

export async function sweepLapsedSessions(deps: ServiceDeps): Promise<number> {
  let ended = 0;
  for (const environment of await deps.storage.listEnvironments()) {
    ended += await sweepEnvironment(deps, environment);
  }
  return ended;
}

async function sweepEnvironment(deps: ServiceDeps, environment: EnvironmentRecord): Promise<number> {
  const now = deps.clock.now();
  const tenants = await deps.storage.listTenants(environment.id);
  const policies = [
    environment.sessionPolicy,
    ...tenants.map((t) => tenantPolicy(environment.sessionPolicy, t.sessionPolicy)),
  ];
  const shortest = (values: (number | null | undefined)[]) => {
    const set = values.filter((v): v is number => typeof v === 'number');
    return set.length === 0 ? null : Math.min(...set);
  };
  const idle = shortest(policies.map((p) => p.idleTimeoutSeconds));
  const absolute = shortest(policies.map((p) => p.absoluteTimeoutSeconds));
  const bounds: LapseCandidateBounds = {
    lastActiveBefore: idle === null ? null : now - idle,
    createdBefore: absolute === null ? null : now - absolute,
    lastRefreshBefore: now - environment.tokenSettings.refreshTokenTtlSeconds,
  };
  const candidates = await deps.storage.listLapseCandidates(environment.id, bounds, BATCH);
  const users = new Map<string, Promise<{ user: UserRecord | null; memberships: MembershipView[] }>>();
  let ended = 0;
  for (const session of candidates) {
    let loaded = users.get(session.userId);
    if (!loaded) {
      loaded = Promise.all([
        deps.storage.getUser(environment.id, session.userId),
        deps.storage.listUserMemberships(environment.id, session.userId),
      ]).then(([user, memberships]) => ({ user, memberships }));
      users.set(session.userId, loaded);
    }
    const { memberships } = await loaded;
    const reason = lapseReason(session, lapsePoliciesFor(environment, memberships), now);
    if (reason === null) continue;
    if (await deps.storage.endSession(session.id, reason, now)) {
      ended++;
      logEvent(deps.logger, { event: 'session.ended', envId: environment.id, sid: session.id, reason });
    }
  }
  return ended;
}

export function startLapseSweeping(deps: ServiceDeps): { stop(): void } {
  const run = () => {
    sweepLapsedSessions(deps).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'sweeping lapsed sessions failed; retrying at the next interval'),
    );
  };
  const timer = setInterval(run, LAPSE_SWEEP_INTERVAL_SECONDS * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
