/**
 * Refresh (DESIGN §3.1, §4): load → decide (engine) → persist (one atomic step) → issue.
 * Also serves the tenant switch, which is a refresh that records activity and sets the
 * session's default tenant.
 */
import type { TokenResponse } from '@tessera/protocol';
import type { EndReason, MembershipView } from '../engine/records.js';
import { decideRefresh } from '../engine/refresh.js';
import { TesseraError } from '../errors.js';
import type { RefreshContext } from '../storage/port.js';
import { deriveSuccessorToken, hashRefreshToken, isWellFormedRefreshToken } from '../tokens/refresh-token.js';
import { issueAccessToken } from './access-token.js';
import type { ServiceDeps } from './deps.js';
import { logEvent } from './events.js';

export interface RefreshInput {
  envId: string;
  clientId: string;
  /** The cookie's value; `undefined` when there is no cookie. */
  refreshToken: string | undefined;
  tenantId?: string;
  active: boolean;
  /** Tenant switch: make `tenantId` the session's default tenant. */
  setDefaultTenant?: boolean;
}

export interface RefreshResult {
  response: TokenResponse;
  refreshToken: string;
  refreshExpiresAt: number;
  sessionId: string;
  /** When the session's user last proved their password (OpenID Connect `auth_time`). */
  authTime: number;
}

/** A lost rotation race is retried from a fresh read: the winner's successor is then replayed. */
const MAX_ATTEMPTS = 3;

export async function refreshSession(deps: ServiceDeps, input: RefreshInput): Promise<RefreshResult> {
  // RT-04: a garbled or unknown token is just "no session"; it never ends anybody's session.
  if (input.refreshToken === undefined || !isWellFormedRefreshToken(input.refreshToken)) {
    throw new TesseraError('no_session');
  }
  const presentedHash = hashRefreshToken(input.refreshToken);
  const successorToken = deriveSuccessorToken(input.refreshToken, deps.secrets.refreshSuccessorKey);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const context = await deps.storage.loadRefreshContext(presentedHash, input.clientId);
    if (!context || context.environment.id !== input.envId) throw new TesseraError('no_session');
    const now = deps.clock.now();
    const decision = decideRefresh({
      token: context.token,
      successor: context.successor,
      session: context.session,
      clientAuthorized: context.clientAuthorized,
      user: context.user,
      memberships: context.memberships,
      environmentPolicy: context.environment.sessionPolicy,
      tokenSettings: context.environment.tokenSettings,
      request: { clientId: input.clientId, tenantId: input.tenantId, active: input.active },
      now,
    });
    const defaultTenantId = input.setDefaultTenant ? input.tenantId : undefined;

    switch (decision.kind) {
      case 'reject':
        if (decision.end) await endForDecision(deps, context, decision.end, now);
        throw new TesseraError(decision.error);
      case 'replay': {
        // The successor is derived, not stored: it must be the one this token was rotated to.
        if (hashRefreshToken(successorToken) !== context.token.successorHash)
          throw new TesseraError('no_session');
        if (decision.activity || defaultTenantId !== undefined) {
          await deps.storage.touchSession({
            sessionId: context.session.id,
            now,
            activity: decision.activity,
            ...(defaultTenantId !== undefined && { defaultTenantId }),
          });
        }
        return issue(deps, context, {
          clientId: input.clientId,
          membership: decision.membership,
          refreshToken: successorToken,
          refreshExpiresAt: decision.successorExpiresAt,
          now,
        });
      }
      case 'rotate': {
        const won = await deps.storage.rotateRefreshToken({
          sessionId: context.session.id,
          presentedHash,
          successor: {
            hash: hashRefreshToken(successorToken),
            issuedAt: now,
            expiresAt: decision.successorExpiresAt,
          },
          now,
          activity: decision.activity,
          ...(defaultTenantId !== undefined && { defaultTenantId }),
        });
        if (!won) continue;
        return issue(deps, context, {
          clientId: input.clientId,
          membership: decision.membership,
          refreshToken: successorToken,
          refreshExpiresAt: decision.successorExpiresAt,
          now,
        });
      }
    }
  }
  throw new TesseraError('no_session');
}

/** Ends the session a refused refresh decided to end, with its events. */
export async function endForDecision(
  deps: ServiceDeps,
  context: RefreshContext,
  reason: EndReason,
  now: number,
): Promise<void> {
  const ended = await deps.storage.endSession(context.session.id, reason, now);
  if (!ended) return;
  const ids = { envId: context.environment.id, sid: context.session.id };
  if (reason === 'refresh_token_reused') {
    logEvent(deps.logger, { event: 'refresh.reuse_detected', ...ids, userId: context.user.id });
  }
  logEvent(deps.logger, { event: 'session.ended', ...ids, reason });
}

interface IssueInput {
  clientId: string;
  membership: MembershipView;
  refreshToken: string;
  refreshExpiresAt: number;
  now: number;
}

async function issue(
  deps: ServiceDeps,
  context: RefreshContext,
  { clientId, membership, refreshToken, refreshExpiresAt, now }: IssueInput,
): Promise<RefreshResult> {
  const response = await issueAccessToken(deps, {
    environment: context.environment,
    clientId,
    session: context.session,
    user: context.user,
    membership,
    memberships: context.memberships,
    now,
  });
  return {
    response,
    refreshToken,
    refreshExpiresAt,
    sessionId: context.session.id,
    authTime: context.session.authTime,
  };
}
