/**
 * The `/oauth/token` grants (DESIGN §3.2; ADR 0004). `authorization_code`: single use (a second use
 * ends the session the code came from, AS-03), within 60 s, bound to client, redirect URI and PKCE
 * verifier — a presentation that fails the binding consumes nothing. `refresh_token` (confidential
 * clients): the session API's refresh, with its rotation, grace and theft rules, for the client
 * the token was issued to only (RT-07), answered in OAuth form. Each grant returns its tokens or
 * the refusal the route answers (RFC 6749 §5.2); none throws for a bad grant.
 */
import type { OAuthTokenResponse } from '@tessera/protocol';
import { memberPolicies } from '../../engine/policy.js';
import type { MembershipView, SessionRecord, UserRecord } from '../../engine/records.js';
import { refreshTokenExpiry } from '../../engine/session-state.js';
import { resolveTenant } from '../../engine/tenant.js';
import { type TokenRefusal, tokenRefusal } from '../../oauth/errors.js';
import { isValidCodeVerifier, s256Challenge, verifyPkce } from '../../oauth/pkce.js';
import { parseScope, type Scope } from '../../oauth/scope.js';
import type { ClientRecord, EnvironmentRecord } from '../../storage/records.js';
import { signIdToken } from '../../tokens/id-token.js';
import {
  generateRefreshToken,
  hashRefreshToken,
  isWellFormedRefreshToken,
} from '../../tokens/refresh-token.js';
import { issueAccessToken } from '../access-token.js';
import type { ServiceDeps } from '../deps.js';
import { type RequestOrigin, recordEvent } from '../events.js';
import { refreshSession } from '../refresh.js';
import { lookUpRefreshToken, type RefreshTokenLookup } from '../refresh-token-lookup.js';
import { hashAuthorizationCode, isWellFormedAuthorizationCode } from './authorization-codes.js';

const INVALID_CODE = 'The authorization code is invalid, expired or already used.';
const SESSION_ENDED = 'The session behind the authorization code has ended.';
const INVALID_REFRESH_TOKEN = 'The refresh token is invalid or expired.';

export type TokenGrantResult = { ok: true; tokens: OAuthTokenResponse } | TokenRefusal;

export interface CodeGrantInput {
  environment: EnvironmentRecord;
  /** The authenticated client. */
  client: ClientRecord;
  code: string;
  redirectUri: string;
  codeVerifier: string;
  /** Where the request came from, for the events it causes. */
  origin?: RequestOrigin;
}

export async function exchangeAuthorizationCode(
  deps: ServiceDeps,
  input: CodeGrantInput,
): Promise<TokenGrantResult> {
  const { environment, client } = input;
  if (!isWellFormedAuthorizationCode(input.code) || !isValidCodeVerifier(input.codeVerifier))
    return tokenRefusal('invalid_grant', INVALID_CODE);
  const now = deps.clock.now();
  // The client, redirect URI and verifier are checked by the redemption itself: a presentation
  // that fails them is not a use of the code, so whoever saw a code can neither redeem it nor
  // spoil it for the client it was issued to (docs/contract-notes.md, "A failed PKCE check").
  const binding = {
    clientId: client.clientId,
    redirectUri: input.redirectUri,
    codeChallenge: s256Challenge(input.codeVerifier),
  };
  const redeemed = await deps.storage.redeemAuthorizationCode(
    hashAuthorizationCode(input.code),
    now,
    binding,
  );
  if (!redeemed || redeemed.code.envId !== environment.id) return tokenRefusal('invalid_grant', INVALID_CODE);
  const { code, firstUse } = redeemed;
  const bound =
    code.clientId === binding.clientId &&
    code.redirectUri === binding.redirectUri &&
    verifyPkce({ verifier: input.codeVerifier, challenge: code.codeChallenge });
  if (!bound) return tokenRefusal('invalid_grant', INVALID_CODE);
  if (!firstUse) {
    // AS-03: a second use by the code's own client and verifier means the code leaked with its
    // verifier; what the first use bought dies with the session.
    if (await deps.storage.endSession(code.sessionId, 'revoked', now)) {
      const subject = {
        envId: environment.id,
        userId: code.userId,
        sid: code.sessionId,
        tenantId: code.tenantId,
        clientId: client.clientId,
        ...input.origin,
      };
      await recordEvent(deps, { type: 'oauth.code_reused', ...subject });
      await recordEvent(deps, { type: 'session.ended', ...subject, details: { reason: 'revoked' } });
    }
    return tokenRefusal('invalid_grant', INVALID_CODE);
  }
  if (now >= code.expiresAt) return tokenRefusal('invalid_grant', INVALID_CODE);

  const [session, user, memberships] = await Promise.all([
    deps.storage.getSession(code.sessionId),
    deps.storage.getUser(environment.id, code.userId),
    deps.storage.listUserMemberships(environment.id, code.userId),
  ]);
  const tenant = resolveTenant(memberships, code.tenantId, null);
  // Live when the code was redeemed: a concurrent second use ends the session just after this
  // redemption won, and that must not turn the winner's answer into a second refusal (AS-03:
  // exactly one 200). The tokens it gets are dead at once anyway: the session has ended.
  const liveAtRedemption = session !== null && (session.endedAt === null || session.endedAt >= now);
  if (!liveAtRedemption || !user || user.status !== 'active' || tenant.kind !== 'resolved')
    return tokenRefusal('invalid_grant', SESSION_ENDED);

  const scopes = code.scopes as Scope[];
  let refreshToken: string | undefined;
  if (client.type === 'confidential') {
    const added = await addConfidentialRefreshToken(deps, { environment, client, session, memberships, now });
    if (added === null) return tokenRefusal('invalid_grant', SESSION_ENDED);
    refreshToken = added;
  }
  const tokens = await tokenResponse(deps, {
    environment,
    clientId: client.clientId,
    session,
    user,
    membership: tenant.membership,
    memberships,
    scopes,
    nonce: code.nonce,
    refreshToken,
    now,
  });
  return { ok: true, tokens };
}

/**
 * A confidential client's refresh-token family in the browser session, bound to it (ADR 0004,
 * RT-07); `null` when the session ended in the meantime.
 */
async function addConfidentialRefreshToken(
  deps: ServiceDeps,
  input: {
    environment: EnvironmentRecord;
    client: ClientRecord;
    session: SessionRecord;
    memberships: MembershipView[];
    now: number;
  },
): Promise<string | null> {
  const { environment, client, session, memberships, now } = input;
  const policy = memberPolicies(environment.sessionPolicy, memberships).user;
  const token = generateRefreshToken();
  const added = await deps.storage.addRefreshToken(
    session.id,
    {
      hash: hashRefreshToken(token),
      issuedAt: now,
      expiresAt: refreshTokenExpiry(session, policy, environment.tokenSettings.refreshTokenTtlSeconds, now),
    },
    client.clientId,
  );
  return added ? token : null;
}

export interface RefreshGrantInput {
  environment: EnvironmentRecord;
  client: ClientRecord;
  refreshToken: string;
  /** The raw `scope` parameter: it may narrow, never widen, what was granted (AS-12). */
  scope?: string | undefined;
  /** Where the request came from, for the events it causes. */
  origin?: RequestOrigin;
}

export async function refreshTokenGrant(
  deps: ServiceDeps,
  input: RefreshGrantInput,
): Promise<TokenGrantResult> {
  const { environment, client } = input;
  // A spa's refresh token lives in the cookie; the session API refreshes it.
  if (client.type !== 'confidential')
    return tokenRefusal('unauthorized_client', 'This client refreshes through the session API.');
  // A parameter that cannot be a refresh token is refused as one before any `scope` is judged; the
  // lookup would only call it not found.
  if (!isWellFormedRefreshToken(input.refreshToken))
    return tokenRefusal('invalid_grant', INVALID_REFRESH_TOKEN);

  // One read serves both the scopes and the refresh: the scopes are narrowed before the token
  // rotates, so a refused narrowing spends nothing.
  const lookedUp = await lookUpRefreshToken(deps, {
    envId: environment.id,
    refreshToken: input.refreshToken,
    presenter: { kind: 'client', clientId: client.clientId },
  });
  const granted = await grantedScopes(deps, lookedUp, client.clientId);
  const scopes = narrowedScopes(granted, input.scope);
  if (scopes === null) return tokenRefusal('invalid_scope', 'A refresh cannot widen the scopes granted.');

  const refreshed = await refreshSession(deps, {
    envId: environment.id,
    presenter: { kind: 'client', client },
    refreshToken: input.refreshToken,
    active: false,
    lookedUp,
    ...input.origin,
  });
  // RT-07: another client's token, the browser's cookie, or a dead one: all alike invalid_grant.
  if (refreshed.kind === 'refused') return tokenRefusal('invalid_grant', INVALID_REFRESH_TOKEN);
  const { response } = refreshed;
  const idToken = scopes.includes('openid')
    ? await signIdTokenFor(deps, {
        environment,
        clientId: client.clientId,
        sessionId: refreshed.sessionId,
        authTime: refreshed.authTime,
        user: { id: response.user.id, email: response.user.email, name: response.user.name },
        scopes,
        nonce: null,
        now: deps.clock.now(),
      })
    : undefined;
  return {
    ok: true,
    tokens: {
      access_token: response.accessToken,
      token_type: 'Bearer',
      expires_in: response.expiresIn,
      scope: scopes.join(' '),
      ...(idToken !== undefined && { id_token: idToken }),
      refresh_token: refreshed.refreshToken,
    },
  };
}

/** The scopes the client was granted in the token's session; none when the token is not found. */
async function grantedScopes(
  deps: ServiceDeps,
  lookedUp: RefreshTokenLookup,
  clientId: string,
): Promise<Scope[]> {
  if (lookedUp.kind === 'not_found') return [];
  return ((await deps.storage.getSessionClientScopes(lookedUp.context.session.id, clientId)) ??
    []) as Scope[];
}

/** The scopes a refresh asks for; `null` when it asks for one that was not granted (AS-12). */
function narrowedScopes(granted: Scope[], requested: string | undefined): Scope[] | null {
  if (requested === undefined) return granted;
  const parsed = parseScope(requested);
  if (!parsed.ok || parsed.scopes.some((scope) => !granted.includes(scope))) return null;
  return parsed.scopes;
}

interface TokenResponseInput {
  environment: EnvironmentRecord;
  clientId: string;
  session: SessionRecord;
  user: UserRecord;
  membership: MembershipView;
  memberships: MembershipView[];
  scopes: Scope[];
  nonce: string | null;
  refreshToken: string | undefined;
  now: number;
}

async function tokenResponse(deps: ServiceDeps, input: TokenResponseInput): Promise<OAuthTokenResponse> {
  const { environment, clientId, session, user, scopes, now } = input;
  const access = await issueAccessToken(deps, {
    environment,
    clientId,
    session,
    user,
    membership: input.membership,
    memberships: input.memberships,
    now,
  });
  const idToken = scopes.includes('openid')
    ? await signIdTokenFor(deps, {
        environment,
        clientId,
        sessionId: session.id,
        authTime: session.authTime,
        user,
        scopes,
        nonce: input.nonce,
        now,
      })
    : undefined;
  return {
    access_token: access.accessToken,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    scope: scopes.join(' '),
    ...(idToken !== undefined && { id_token: idToken }),
    ...(input.refreshToken !== undefined && { refresh_token: input.refreshToken }),
  };
}

interface IdTokenInput {
  environment: EnvironmentRecord;
  clientId: string;
  sessionId: string;
  authTime: number;
  user: Pick<UserRecord, 'id' | 'email' | 'name'>;
  scopes: readonly Scope[];
  nonce: string | null;
  now: number;
}

/** OpenID Connect Core §2: core claims, `nonce`, `sid`, `auth_time`; email and name by scope. */
async function signIdTokenFor(deps: ServiceDeps, input: IdTokenInput): Promise<string> {
  const { environment, user, scopes, now } = input;
  return signIdToken(await deps.keyring.signer(environment.id), {
    iss: deps.baseUrl(environment.id),
    sub: user.id,
    aud: input.clientId,
    exp: now + environment.tokenSettings.accessTokenTtlSeconds,
    iat: now,
    auth_time: input.authTime,
    ...(input.nonce !== null && { nonce: input.nonce }),
    sid: input.sessionId,
    ...(scopes.includes('email') && { email: user.email }),
    ...(scopes.includes('profile') && user.name !== null && { name: user.name }),
  });
}
