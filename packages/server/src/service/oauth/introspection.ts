/**
 * Token introspection (RFC 7662) for resource servers that want a live answer: a token is
 * `active` only while its session is — an access token whose session ended is inactive at once,
 * before it expires. Every inactive case answers `{active: false}` and nothing else (§2.2).
 */
import type { EnvironmentRecord } from '../../storage/records.js';
import { isWellFormedRefreshToken } from '../../tokens/refresh-token.js';
import { authenticateAccessToken } from '../bearer.js';
import { judgeRefreshToken } from '../browser-session.js';
import type { ServiceDeps } from '../deps.js';

export type IntrospectionResponse = { active: false } | ({ active: true } & Record<string, unknown>);

export async function introspectToken(
  deps: ServiceDeps,
  input: { environment: EnvironmentRecord; token: string },
): Promise<IntrospectionResponse> {
  const { environment, token } = input;
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
  try {
    const { claims } = await authenticateAccessToken(deps, environment.id, token);
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
  } catch {
    return { active: false };
  }
}
