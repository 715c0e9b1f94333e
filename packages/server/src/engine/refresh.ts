/**
 * The refresh decision (DESIGN §2, §4): from the presented token, who presents it, its session and
 * the policies in force, decide whether to rotate, replay the same successor (grace window), or
 * refuse — and whether refusing ends the session or leaves the browser its cookie. Pure: `now` is
 * a parameter.
 */
import type { SessionPolicy } from './policy.js';
import { memberPolicies, tenantPolicy } from './policy.js';
import type { EndReason, MembershipView, RefreshTokenRecord, SessionRecord, UserRecord } from './records.js';
import { isIdle, isPastAbsoluteEnd, refreshTokenExpiry } from './session-state.js';
import { resolveTenant } from './tenant.js';

const REFRESH_REJECTIONS = [
  'no_session',
  'session_expired',
  'idle_timeout',
  'relogin_required',
  'session_revoked',
  'refresh_token_reused',
  'tenant_forbidden',
  'user_disabled',
] as const;

export type RefreshRejection = (typeof REFRESH_REJECTIONS)[number];

/** What a refresh that goes ahead does besides answering. */
interface Granted {
  membership: MembershipView;
  successorExpiresAt: number;
  activity: boolean;
  /** The asking browser client joins the session's clients (single sign-on, ADR 0004). */
  joinsSession: boolean;
}

export type RefreshDecision =
  /** Supersede the presented token with a new successor expiring at `successorExpiresAt`. */
  | ({ kind: 'rotate' } & Granted)
  /** The immediate predecessor inside the grace window: answer with the existing successor. */
  | ({ kind: 'replay' } & Granted)
  /**
   * Refuse with `error`; end the session with `end` unless it is `null`. `tokenKept`: the presented
   * token still stands for a live session, so the browser keeps its cookie (a refusal caused by the
   * asking client or the tenant it asked for, never by the token).
   */
  | { kind: 'reject'; error: RefreshRejection; end: EndReason | null; tokenKept: boolean };

/**
 * Who presents the token (RT-07, ADR 0004). `browser`: the refresh cookie, for one of the
 * environment's `spa` clients — `inSession` when the session already serves it, `mayJoin` when the
 * request proves the browser is on that client's registered origin. `client`: a confidential client
 * that proved its secret at the token endpoint.
 */
export type TokenHolder =
  | { kind: 'browser'; inSession: boolean; mayJoin: boolean }
  | { kind: 'client'; clientId: string };

export interface DecideRefreshInput {
  token: RefreshTokenRecord;
  successor: RefreshTokenRecord | null;
  session: SessionRecord;
  holder: TokenHolder;
  user: UserRecord;
  memberships: readonly MembershipView[];
  environmentPolicy: SessionPolicy;
  /** The environment's token lifetimes; the rest of its token settings are not the engine's. */
  tokenSettings: { refreshTokenTtlSeconds: number; rotationGraceSeconds: number };
  request: { tenantId?: string; active: boolean };
  now: number;
}

/** The error a refresh answers with once its session has ended for `reason`. */
export function rejectionForEndReason(reason: EndReason): RefreshRejection {
  switch (reason) {
    case 'refresh_token_reused':
    case 'idle_timeout':
    case 'relogin_required':
    case 'session_expired':
    case 'user_disabled':
      return reason;
    case 'logout':
    case 'evicted':
    case 'revoked':
    case 'user_deleted':
    case 'password_changed':
    case 'replaced':
      return 'session_revoked';
  }
}

export function decideRefresh(input: DecideRefreshInput): RefreshDecision {
  const { token, successor, session, holder, user, memberships, environmentPolicy, tokenSettings } = input;
  const { request, now } = input;

  // RT-07: a token works only for whom it was issued — the cookie for the browser, a confidential
  // client's for that client. Anyone else's is an unknown token (RT-04): it ends nothing, and is
  // checked first so that not even a superseded one can end the session from the wrong door.
  const owner = holder.kind === 'browser' ? null : holder.clientId;
  if (token.clientId !== owner) return reject('no_session', null, false);

  if (session.endedAt !== null) {
    return reject(
      session.endReason ? rejectionForEndReason(session.endReason) : 'session_revoked',
      null,
      false,
    );
  }
  // A client the session does not serve, with no proof of its origin, is refused; the browser's
  // session and cookie are not its to end (DESIGN §3.1).
  const joinsSession = holder.kind === 'browser' && !holder.inSession;
  if (holder.kind === 'browser' && !holder.inSession && !holder.mayJoin)
    return reject('no_session', null, true);

  let kind: 'rotate' | 'replay' = 'rotate';
  if (token.rotatedAt !== null) {
    // §4.2: only the immediate predecessor of the current token, only inside the window.
    const successorIsCurrent = successor !== null && successor.rotatedAt === null;
    if (!successorIsCurrent || now >= token.rotatedAt + tokenSettings.rotationGraceSeconds) {
      return reject('refresh_token_reused', 'refresh_token_reused', false);
    }
    kind = 'replay';
  }

  if (user.status !== 'active') return reject('user_disabled', 'user_disabled', false);

  const policy = memberPolicies(environmentPolicy, memberships).user;
  if (isPastAbsoluteEnd(session, policy, now)) return reject('relogin_required', 'relogin_required', false);
  // After the absolute check: a token's lifetime is capped at the absolute end, and reaching that
  // end is "re-login", not "expired".
  if (kind === 'rotate' && now >= token.expiresAt) return reject('session_expired', 'session_expired', false);

  const tenant = resolveTenant(memberships, request.tenantId, session.defaultTenantId);
  if (tenant.kind === 'forbidden') return reject('tenant_forbidden', null, true);

  const idleTimeout = tenantPolicy(environmentPolicy, tenant.membership.policy).idleTimeoutSeconds;
  if (isIdle(session, idleTimeout, now)) return reject('idle_timeout', 'idle_timeout', false);

  if (kind === 'replay' && successor) {
    return {
      kind,
      membership: tenant.membership,
      successorExpiresAt: successor.expiresAt,
      activity: request.active,
      joinsSession,
    };
  }
  return {
    kind,
    membership: tenant.membership,
    successorExpiresAt: refreshTokenExpiry(session, policy, tokenSettings.refreshTokenTtlSeconds, now),
    activity: request.active,
    joinsSession,
  };
}

function reject(error: RefreshRejection, end: EndReason | null, tokenKept: boolean): RefreshDecision {
  return { kind: 'reject', error, end, tokenKept };
}
