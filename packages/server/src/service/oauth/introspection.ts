/**
 * Token introspection (RFC 7662) for resource servers that want a live answer: a token is
 * `active` only while its session is — an access token whose session ended is inactive at once,
 * before it expires. Every inactive case answers `{active: false}` and nothing else (§2.2).
 */
import { type TokenRefusal, tokenRefusal } from '../../oauth/errors.js';
import type { ClientRecord, EnvironmentRecord } from '../../storage/records.js';
import { isWellFormedRefreshToken } from '../../tokens/refresh-token.js';
import { authenticateAccessToken, type BearerAuthentication } from '../bearer.js';
import { judgeRefreshToken } from '../browser-session.js';
import type { ServiceDeps } from '../deps.js';

export type IntrospectionResponse = { active: false } | ({ active: true } & Record<string, unknown>);

export type IntrospectionResult = { ok: true; response: IntrospectionResponse } | TokenRefusal;

export async function introspectToken(
  deps: ServiceDeps,
  input: { environment: EnvironmentRecord; client: ClientRecord; token: string },
): Promise<IntrospectionResult> {
  // RFC 7662 §2.1: the caller must be authorized; a public SPA cannot prove who it is.
  if (input.client.type !== 'confidential')
    return tokenRefusal('invalid_client', 'Introspection needs a confidential client.');
  return { ok: true, response: await introspect(deps, input) };
}

async function introspect(
  deps: ServiceDeps,
  { environment, token }: { environment: EnvironmentRecord; token: string },
): Promise<IntrospectionResponse> {
  const iss = deps.baseUrl(environment.id);
  if (isWellFormedRefreshToken(token)) {
    const judged = await judgeRefreshToken(deps, {
      envId: environment.id,
      refreshToken: token,
      presentedAs: 'owner',
    });
    // Only the current token of a family is live; a superseded one, even in its grace window, is not.
    if (judged === null || judged.decision.kind !== 'rotate') return { active: false };
    const { context } = judged;
    return {
      active: true,
      iss,
      sub: context.user.id,
      client_id: context.token.clientId ?? context.session.clientId,
      exp: context.token.expiresAt,
      iat: context.token.issuedAt,
      sid: context.session.id,
    };
  }
  // A store that cannot answer makes the token inactive here (fail closed), as it always has.
  const authenticated = await authenticateAccessToken(deps, environment.id, token).catch(
    (): BearerAuthentication => ({ kind: 'unauthorized' }),
  );
  if (authenticated.kind === 'unauthorized') return { active: false };
  const { claims } = authenticated.identity;
  return {
    active: true,
    token_type: 'Bearer',
    iss,
    sub: claims.sub,
    aud: claims.aud,
    client_id: claims.client_id,
    exp: claims.exp,
    iat: claims.iat,
    jti: claims.jti,
    sid: claims.sid,
    tenantId: claims.tenantId,
    tenantIds: claims.tenantIds,
    roles: claims.roles,
    permissions: claims.permissions,
    ...(claims.email !== undefined && { email: claims.email }),
  };
}
