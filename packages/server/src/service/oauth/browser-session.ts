/**
 * The browser's session behind `/oauth/authorize` (single sign-on, ADR 0004): the refresh cookie's
 * session, judged by the very rules of a refresh (one engine decides every door) without rotating
 * the cookie. A cookie that a refresh would refuse is no session here either, and one that a
 * refresh would end (a reused token, a lapsed session) is ended here too.
 */
import type { MembershipView } from '../../engine/records.js';
import { decideRefresh, type RefreshDecision } from '../../engine/refresh.js';
import type { RefreshContext } from '../../storage/port.js';
import { hashRefreshToken, isWellFormedRefreshToken } from '../../tokens/refresh-token.js';
import type { ServiceDeps } from '../deps.js';
import { endForDecision } from '../refresh.js';

export type BrowserSession =
  | { kind: 'live'; context: RefreshContext; membership: MembershipView }
  /** There is a live session, but its user is not a member of the tenant asked for. */
  | { kind: 'tenant_forbidden'; context: RefreshContext }
  | { kind: 'none' };

export interface FindBrowserSessionInput {
  envId: string;
  /** The client asking; a session may be extended to it (that is single sign-on). */
  clientId: string;
  refreshToken: string | undefined;
  tenantId?: string | undefined;
}

export async function findBrowserSession(
  deps: ServiceDeps,
  input: FindBrowserSessionInput,
): Promise<BrowserSession> {
  const judged = await judgeRefreshToken(deps, input);
  if (judged === null) return { kind: 'none' };
  const { context, decision, now } = judged;
  if (decision.kind !== 'reject') return { kind: 'live', context, membership: decision.membership };
  if (decision.error === 'tenant_forbidden') return { kind: 'tenant_forbidden', context };
  if (decision.end) await endForDecision(deps, context, decision.end, now);
  return { kind: 'none' };
}

/**
 * What a refresh of this token would decide right now, without acting on it; `null` for a
 * malformed or unknown token or one of another environment.
 */
export async function judgeRefreshToken(
  deps: ServiceDeps,
  input: FindBrowserSessionInput,
): Promise<{ context: RefreshContext; decision: RefreshDecision; now: number } | null> {
  if (input.refreshToken === undefined || !isWellFormedRefreshToken(input.refreshToken)) return null;
  const context = await deps.storage.loadRefreshContext(hashRefreshToken(input.refreshToken), input.clientId);
  if (!context || context.environment.id !== input.envId) return null;
  const now = deps.clock.now();
  const decision = decideRefresh({
    token: context.token,
    successor: context.successor,
    session: context.session,
    clientAuthorized: true,
    user: context.user,
    memberships: context.memberships,
    environmentPolicy: context.environment.sessionPolicy,
    tokenSettings: context.environment.tokenSettings,
    request: {
      clientId: input.clientId,
      active: false,
      ...(input.tenantId !== undefined && { tenantId: input.tenantId }),
    },
    now,
  });
  return { context, decision, now };
}
