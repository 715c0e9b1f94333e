/**
 * The browser's session: the refresh cookie's session, judged by the very rules of a refresh (one
 * engine decides every door) without rotating the cookie. Single sign-on at `/oauth/authorize`
 * (ADR 0004) extends it to another client; a new login replaces it (SES-06). A cookie that a
 * refresh would refuse is no session here either, and one that a refresh would end (a reused
 * token, a lapsed session) is ended by single sign-on too.
 */
import type { MembershipView } from '../engine/records.js';
import type { RefreshDecision, TokenHolder } from '../engine/refresh.js';
import type { RefreshContext } from '../storage/records.js';
import type { ServiceDeps } from './deps.js';
import { endForDecision } from './refresh.js';
import { decideRefreshOf } from './refresh-decision.js';
import { lookUpRefreshToken } from './refresh-token-lookup.js';

export type BrowserSession =
  | { kind: 'live'; context: RefreshContext; membership: MembershipView }
  /** There is a live session, but its user is not a member of the tenant asked for. */
  | { kind: 'tenant_forbidden'; context: RefreshContext }
  | { kind: 'none' };

export interface FindBrowserSessionInput {
  envId: string;
  refreshToken: string | undefined;
  tenantId?: string | undefined;
}

/** The browser's live session for single sign-on, ending one that a refresh would end. */
export async function findBrowserSession(
  deps: ServiceDeps,
  input: FindBrowserSessionInput,
): Promise<BrowserSession> {
  const judged = await judgeRefreshToken(deps, { ...input, presentedAs: 'browser' });
  if (judged === null) return { kind: 'none' };
  const { context, decision, now } = judged;
  if (decision.kind !== 'reject') return { kind: 'live', context, membership: decision.membership };
  if (decision.error === 'tenant_forbidden') return { kind: 'tenant_forbidden', context };
  if (decision.end) await endForDecision(deps, context, decision.end, now);
  return { kind: 'none' };
}

/**
 * The id of the live session a login in this browser replaces (SES-06), or `undefined`: the cookie
 * is absent, garbled, unknown, of another environment, not the browser's own token, or its session
 * is over. Judged, not acted on: the new session's creation ends it, atomically.
 */
export async function browserSessionToReplace(
  deps: ServiceDeps,
  input: { envId: string; refreshToken: string | undefined },
): Promise<string | undefined> {
  const judged = await judgeRefreshToken(deps, { ...input, presentedAs: 'browser' });
  if (judged === null) return undefined;
  const { decision, context } = judged;
  return decision.kind !== 'reject' || decision.tokenKept ? context.session.id : undefined;
}

export interface JudgeRefreshTokenInput extends FindBrowserSessionInput {
  /**
   * `browser`: as the refresh cookie, for a client the session serves (a confidential client's
   * token is then an unknown one); `owner`: as whoever it was issued to.
   */
  presentedAs: 'browser' | 'owner';
}

/**
 * What a refresh of this token would decide right now, without acting on it; `null` for a token the
 * lookup does not find (malformed, unknown, of another environment, or not the browser's own when
 * presented as the cookie).
 */
export async function judgeRefreshToken(
  deps: ServiceDeps,
  input: JudgeRefreshTokenInput,
): Promise<{ context: RefreshContext; decision: RefreshDecision; now: number } | null> {
  const found = await lookUpRefreshToken(deps, {
    envId: input.envId,
    refreshToken: input.refreshToken,
    presenter: input.presentedAs === 'browser' ? { kind: 'browser' } : { kind: 'anyone' },
  });
  if (found.kind === 'not_found') return null;
  const { context } = found;
  const owner = context.token.clientId;
  const holder: TokenHolder =
    owner !== null
      ? { kind: 'client', clientId: owner }
      : { kind: 'browser', inSession: true, mayJoin: false };
  const now = deps.clock.now();
  const decision = decideRefreshOf(context, {
    holder,
    request: { active: false, ...(input.tenantId !== undefined && { tenantId: input.tenantId }) },
    now,
  });
  return { context, decision, now };
}
