/**
 * Refresh (DESIGN §3.1, §4): load → decide (engine) → persist (one atomic step) → issue.
 * Also serves the tenant switch, which is a refresh that records activity and sets the
 * session's default tenant, and the token endpoint's `refresh_token` grant. Refusals are values
 * that say whether the browser keeps its cookie.
 */
import type { TokenResponse } from '@tessera/protocol';
import type { EndReason, MembershipView } from '../engine/records.js';
import type { RefreshRejection, TokenHolder } from '../engine/refresh.js';
import type { ClientRecord, RefreshContext } from '../storage/records.js';
import { deriveSuccessorToken, hashRefreshToken } from '../tokens/refresh-token.js';
import { issueAccessToken } from './access-token.js';
import { isBrowserClient, isFromClientOrigin } from './browser-clients.js';
import type { ServiceDeps } from './deps.js';
import { type EventSubject, recordEvent } from './events.js';
import { decideRefreshOf } from './refresh-decision.js';
import {
  lookUpRefreshToken,
  type RefreshTokenLookup,
  type RefreshTokenPresenter,
} from './refresh-token-lookup.js';

/**
 * Who presents the refresh token: the browser's cookie for a `spa` client (with the request's
 * `Origin`, which may let the client join the session), or a confidential client that proved its
 * secret at the token endpoint.
 */
export type RefreshPresenter =
  | { kind: 'browser'; client: ClientRecord; origin: string | undefined }
  | { kind: 'client'; client: ClientRecord };

export interface RefreshInput {
  envId: string;
  presenter: RefreshPresenter;
  /** The cookie's value (or the grant's `refresh_token`); `undefined` when there is none. */
  refreshToken: string | undefined;
  tenantId?: string;
  active: boolean;
  /** Tenant switch: make `tenantId` the session's default tenant. */
  setDefaultTenant?: boolean;
  /**
   * The caller's own lookup of this token for this presenter, so that a caller that needed the
   * context first (the token endpoint, for the scopes) does not read it twice; used for the first
   * attempt only.
   */
  lookedUp?: RefreshTokenLookup;
  /**
   * Where the request came from, for the events of a refusal or a tenant switch. A browser's IP is
   * also stored as the session's last IP by the rotation; a confidential client's is its server's,
   * not the place the user is at, and is not.
   */
  ip?: string | undefined;
  userAgent?: string | null | undefined;
}

export interface RefreshResult {
  response: TokenResponse;
  refreshToken: string;
  refreshExpiresAt: number;
  sessionId: string;
  /** When the session's user last proved their password (OpenID Connect `auth_time`). */
  authTime: number;
}

export type RefreshOutcome =
  | ({ kind: 'refreshed' } & RefreshResult)
  /**
   * `keepsCookie`: the presented token still stands for a live session, so the browser keeps it —
   * a refusal caused by the asking client or tenant never signs the browser out (DESIGN §3.1).
   */
  | { kind: 'refused'; error: RefreshRejection | 'unauthorized_client'; keepsCookie: boolean };

/** A lost rotation race is retried from a fresh read: the winner's successor is then replayed. */
const MAX_ATTEMPTS = 3;

type Refused = Extract<RefreshOutcome, { kind: 'refused' }>;

const refused = (error: RefreshRejection | 'unauthorized_client', keepsCookie: boolean): Refused => ({
  kind: 'refused',
  error,
  keepsCookie,
});

/**
 * A refresh, with the events of what it did other than rotating: a refusal of a token that names a
 * session (a request without one is a signed-out page, not an event), a tenant switch, a client
 * joining. A successful refresh records none (the hot path).
 */
export async function refreshSession(deps: ServiceDeps, input: RefreshInput): Promise<RefreshOutcome> {
  const outcome = await refresh(deps, input);
  deps.activity.count(input.envId, outcome.kind === 'refreshed' ? 'refresh' : `refusal:${outcome.error}`);
  deps.metrics?.refreshed(outcome.kind === 'refreshed' ? 'ok' : outcome.error);
  if (outcome.kind === 'refused' && outcome.context !== undefined) {
    await recordEvent(deps, {
      type: 'session.refresh_refused',
      ...eventSubject(outcome.context, input),
      details: { code: outcome.error },
    });
  }
  if (
    outcome.kind === 'refreshed' &&
    outcome.switchedFrom !== undefined &&
    outcome.switchedFrom !== input.tenantId
  ) {
    await recordEvent(deps, {
      type: 'session.tenant_switched',
      ...eventSubject(outcome.context, input),
      tenantId: input.tenantId,
      details: { from: outcome.switchedFrom, to: input.tenantId ?? '' },
    });
  }
  const { context: _context, ...answer } = outcome;
  if (answer.kind === 'refreshed') {
    const { switchedFrom: _switchedFrom, ...refreshed } = answer;
    return refreshed;
  }
  return answer;
}

function eventSubject(context: RefreshContext, input: RefreshInput): EventSubject {
  return {
    envId: context.environment.id,
    userId: context.user.id,
    sid: context.session.id,
    tenantId: context.session.defaultTenantId,
    clientId: input.presenter.client.clientId,
    ip: input.ip,
    userAgent: input.userAgent,
  };
}

/** What `refresh` knows besides the answer: the session, and the tenant a switch left. */
type RefreshAttempt =
  | ({ kind: 'refreshed' } & RefreshResult & { context: RefreshContext; switchedFrom?: string | null })
  | (Refused & { context?: RefreshContext });

async function refresh(deps: ServiceDeps, input: RefreshInput): Promise<RefreshAttempt> {
  const { presenter } = input;
  // DESIGN §3.1: the session API serves spa clients only; a confidential client uses its secret.
  if (presenter.kind === 'browser' && !isBrowserClient(presenter.client))
    return refused('unauthorized_client', true);
  // RT-04: a garbled or unknown token is just "no session"; it never ends anybody's session.
  const { refreshToken } = input;
  if (refreshToken === undefined) return refused('no_session', false);
  const clientId = presenter.client.clientId;
  const lookupPresenter: RefreshTokenPresenter =
    presenter.kind === 'browser' ? { kind: 'browser', clientId } : { kind: 'client', clientId };

  let context: RefreshContext | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const found =
      attempt === 0 && input.lookedUp
        ? input.lookedUp
        : await lookUpRefreshToken(deps, { envId: input.envId, refreshToken, presenter: lookupPresenter });
    if (found.kind === 'not_found') return refused('no_session', false);
    context = found.context;
    const presentedHash = context.token.hash;
    const successorToken = deriveSuccessorToken(refreshToken, deps.secrets.refreshSuccessorKey);
    const now = deps.clock.now();
    const holder: TokenHolder =
      presenter.kind === 'browser'
        ? {
            kind: 'browser',
            inSession: context.clientAuthorized,
            mayJoin: isFromClientOrigin(presenter.client, presenter.origin),
          }
        : { kind: 'client', clientId };
    const decision = decideRefreshOf(context, {
      holder,
      request: { tenantId: input.tenantId, active: input.active },
      now,
    });
    const defaultTenantId = input.setDefaultTenant ? input.tenantId : undefined;

    switch (decision.kind) {
      case 'reject':
        if (decision.end) await endForDecision(deps, context, decision.end, now, input);
        return { ...refused(decision.error, decision.tokenKept), context };
      case 'replay': {
        // The successor is derived, not stored: it must be the one this token was rotated to.
        if (hashRefreshToken(successorToken) !== context.token.successorHash)
          return { ...refused('no_session', false), context };
        if (decision.activity || defaultTenantId !== undefined) {
          await deps.storage.touchSession({
            sessionId: context.session.id,
            now,
            activity: decision.activity,
            ...(defaultTenantId !== undefined && { defaultTenantId }),
          });
        }
        if (decision.joinsSession) await joinSession(deps, context, clientId, now);
        return issue(deps, context, {
          clientId,
          membership: decision.membership,
          refreshToken: successorToken,
          refreshExpiresAt: decision.successorExpiresAt,
          now,
          switchesTenant: defaultTenantId !== undefined,
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
          ...(presenter.kind === 'browser' && input.ip !== undefined && { ip: input.ip }),
        });
        if (!won) continue;
        if (decision.joinsSession) await joinSession(deps, context, clientId, now);
        return issue(deps, context, {
          clientId,
          membership: decision.membership,
          refreshToken: successorToken,
          refreshExpiresAt: decision.successorExpiresAt,
          now,
          switchesTenant: defaultTenantId !== undefined,
        });
      }
    }
  }
  // Every attempt lost a race to another rotation: the token may well be good, so it is kept.
  return { ...refused('no_session', true), ...(context !== undefined && { context }) };
}

/**
 * A spa of the environment, asked for from its own registered origin, joins the browser's session
 * (single sign-on without a password, ADR 0004). No scopes: a spa holds no refresh token of its own.
 */
async function joinSession(deps: ServiceDeps, context: RefreshContext, clientId: string, now: number) {
  await deps.storage.addSessionClient({ sessionId: context.session.id, clientId, now, scopes: [] });
  await recordEvent(deps, {
    type: 'session.client_joined',
    envId: context.environment.id,
    userId: context.user.id,
    sid: context.session.id,
    tenantId: context.session.defaultTenantId,
    clientId,
  });
}

/** Ends the session a refused refresh decided to end, with its events. */
export async function endForDecision(
  deps: ServiceDeps,
  context: RefreshContext,
  reason: EndReason,
  now: number,
  request?: Pick<RefreshInput, 'ip' | 'userAgent'>,
): Promise<void> {
  const ended = await deps.storage.endSession(context.session.id, reason, now);
  if (!ended) return;
  const subject = {
    envId: context.environment.id,
    userId: context.user.id,
    sid: context.session.id,
    tenantId: context.session.defaultTenantId,
    ...(request !== undefined && { ip: request.ip, userAgent: request.userAgent }),
  };
  if (reason === 'refresh_token_reused')
    await recordEvent(deps, { type: 'session.refresh_reused', ...subject });
  await recordEvent(deps, { type: 'session.ended', ...subject, details: { reason } });
}

interface IssueInput {
  clientId: string;
  membership: MembershipView;
  refreshToken: string;
  refreshExpiresAt: number;
  now: number;
  /** A tenant switch: the answer says which tenant was the default before it. */
  switchesTenant: boolean;
}

async function issue(
  deps: ServiceDeps,
  context: RefreshContext,
  { clientId, membership, refreshToken, refreshExpiresAt, now, switchesTenant }: IssueInput,
): Promise<RefreshAttempt> {
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
    kind: 'refreshed',
    response,
    refreshToken,
    refreshExpiresAt,
    sessionId: context.session.id,
    authTime: context.session.authTime,
    context,
    ...(switchesTenant && { switchedFrom: context.session.defaultTenantId }),
  };
}
