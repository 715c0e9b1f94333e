/**
 * Ends the sessions that lapsed by the clock — idle, past their absolute end, or with a refresh token
 * that expired — so the revocation feed announces them (docs/revocation-feed.md) rather than only
 * the next refresh noticing. Every node may run it: ending an ended session changes nothing.
 */
import { lapsePolicies, shortestTimeouts } from '../../engine/policy.js';
import type { MembershipView } from '../../engine/records.js';
import { lapseReason } from '../../engine/session-state.js';
import type { LapseCandidateBounds } from '../../storage/port/session-endings.js';
import type { EnvironmentRecord } from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';
import { recordEvent } from '../events.js';

/** How often each node sweeps [15 s]: idle and absolute expiry reach the feed within about that. */
export const LAPSE_SWEEP_INTERVAL_SECONDS = 15;
/** Candidates judged per environment and sweep; the rest wait for the next sweep. */
const BATCH = 500;

/** `signal` aborted: the sweep stops before its next session (a server shutting down). */
export async function sweepLapsedSessions(
  deps: ServiceDeps,
  { signal }: { signal?: AbortSignal } = {},
): Promise<number> {
  let ended = 0;
  for (const environment of await deps.storage.listEnvironments()) {
    if (signal?.aborted) break;
    ended += await sweepEnvironment(deps, environment, signal);
  }
  return ended;
}

async function sweepEnvironment(
  deps: ServiceDeps,
  environment: EnvironmentRecord,
  signal: AbortSignal | undefined,
): Promise<number> {
  const now = deps.clock.now();
  const tenants = await deps.storage.listTenants(environment.id);
  const { idleTimeoutSeconds: idle, absoluteTimeoutSeconds: absolute } = shortestTimeouts(
    environment.sessionPolicy,
    tenants.map((t) => t.sessionPolicy),
  );
  const bounds: LapseCandidateBounds = {
    lastActiveBefore: idle === null ? null : now - idle,
    createdBefore: absolute === null ? null : now - absolute,
    lastRefreshBefore: now - environment.tokenSettings.refreshTokenTtlSeconds,
  };
  const candidates = await deps.storage.listLapseCandidates(environment.id, bounds, BATCH);
  // A user's memberships are read once per sweep, however many of their sessions are candidates.
  const membershipsOf = new Map<string, Promise<MembershipView[]>>();
  let ended = 0;
  for (const session of candidates) {
    if (signal?.aborted) break;
    let memberships = membershipsOf.get(session.userId);
    if (!memberships) {
      memberships = deps.storage.listUserMemberships(environment.id, session.userId);
      membershipsOf.set(session.userId, memberships);
    }
    const reason = lapseReason(session, lapsePolicies(environment, await memberships), now);
    if (reason === null) continue;
    if (await deps.storage.endSession(session.id, reason, now)) {
      ended++;
      await recordEvent(deps, {
        type: 'session.ended',
        envId: environment.id,
        userId: session.userId,
        sid: session.id,
        tenantId: session.defaultTenantId,
        details: { reason },
      });
    }
  }
  return ended;
}

export interface LapseSweeping {
  /** Starts no more sweeps and stops the one in progress; resolves once it has. */
  stop(): Promise<void>;
}

export function startLapseSweeping(deps: ServiceDeps): LapseSweeping {
  const stopping = new AbortController();
  // A sweep that outlasts the interval is not joined by a second one judging the same candidates.
  let running: Promise<unknown> | null = null;
  const run = () => {
    if (running || stopping.signal.aborted) return;
    running = sweepLapsedSessions(deps, { signal: stopping.signal })
      .catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'sweeping lapsed sessions failed; retrying at the next interval'),
      )
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(run, LAPSE_SWEEP_INTERVAL_SECONDS * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await running;
    },
  };
}
