/**
 * The refresh decision (DESIGN §2, §4): from the presented token, its session and the policies in
 * force, decide whether to rotate, replay the same successor (grace window), or refuse — and
 * whether refusing ends the session. Pure: `now` is a parameter.
 */
import type { SessionPolicy, TokenSettings } from './policy.js';
import { tenantPolicy, userPolicy } from './policy.js';
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

export function isRefreshRejection(code: string): code is RefreshRejection {
  return (REFRESH_REJECTIONS as readonly string[]).includes(code);
}

export type RefreshDecision =
  /** Supersede the presented token with a new successor expiring at `successorExpiresAt`. */
  | { kind: 'rotate'; membership: MembershipView; successorExpiresAt: number; activity: boolean }
  /** The immediate predecessor inside the grace window: answer with the existing successor. */
  | { kind: 'replay'; membership: MembershipView; successorExpiresAt: number; activity: boolean }
  /** Refuse with `error`; end the session with `end` unless it is `null`. */
  | { kind: 'reject'; error: RefreshRejection; end: EndReason | null };

export interface DecideRefreshInput {
  token: RefreshTokenRecord;
  successor: RefreshTokenRecord | null;
  session: SessionRecord;
  /** Whether the session is authorized for the client asking (ADR 0004). */
  clientAuthorized: boolean;
  user: UserRecord;
  memberships: readonly MembershipView[];
  environmentPolicy: SessionPolicy;
  tokenSettings: Pick<TokenSettings, 'refreshTokenTtlSeconds' | 'rotationGraceSeconds'>;
  request: { clientId: string; tenantId?: string; active: boolean };
  now: number;
}

/**
 * Whether a refusal leaves the presented cookie without a usable session (so it should be
 * cleared): every one except a tenant the user may not act for, where the session lives on.
 */
export function leavesNoSession(rejection: RefreshRejection): boolean {
  return rejection !== 'tenant_forbidden';
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
      return 'session_revoked';
  }
}

export function decideRefresh(input: DecideRefreshInput): RefreshDecision {
  const { token, successor, session, clientAuthorized, user, memberships, environmentPolicy, tokenSettings } =
    input;
  const { request, now } = input;

  if (session.endedAt !== null) {
    return reject(session.endReason ? rejectionForEndReason(session.endReason) : 'session_revoked', null);
  }
  // RT-07: a refresh token works only for the clients its session was authorized for.
  if (!clientAuthorized) return reject('no_session', null);

  let kind: 'rotate' | 'replay' = 'rotate';
  if (token.rotatedAt !== null) {
    // §4.2: only the immediate predecessor of the current token, only inside the window.
    const successorIsCurrent = successor !== null && successor.rotatedAt === null;
    if (!successorIsCurrent || now >= token.rotatedAt + tokenSettings.rotationGraceSeconds) {
      return reject('refresh_token_reused', 'refresh_token_reused');
    }
    kind = 'replay';
  }

  if (user.status !== 'active') return reject('user_disabled', 'user_disabled');

  const policy = userPolicy(
    environmentPolicy,
    memberships.map((m) => m.policy),
  );
  if (isPastAbsoluteEnd(session, policy, now)) return reject('relogin_required', 'relogin_required');
  // After the absolute check: a token's lifetime is capped at the absolute end, and reaching that
  // end is "re-login", not "expired".
  if (kind === 'rotate' && now >= token.expiresAt) return reject('session_expired', 'session_expired');

  const tenant = resolveTenant(memberships, request.tenantId, session.defaultTenantId);
  if (tenant.kind === 'forbidden') return reject('tenant_forbidden', null);

  const idleTimeout = tenantPolicy(environmentPolicy, tenant.membership.policy).idleTimeoutSeconds;
  if (isIdle(session, idleTimeout, now)) return reject('idle_timeout', 'idle_timeout');

  if (kind === 'replay' && successor) {
    return {
      kind,
      membership: tenant.membership,
      successorExpiresAt: successor.expiresAt,
      activity: request.active,
    };
  }
  return {
    kind,
    membership: tenant.membership,
    successorExpiresAt: refreshTokenExpiry(session, policy, tokenSettings.refreshTokenTtlSeconds, now),
    activity: request.active,
  };
}

function reject(error: RefreshRejection, end: EndReason | null): RefreshDecision {
  return { kind: 'reject', error, end };
}
