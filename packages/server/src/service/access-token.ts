import type { AccessTokenClaims, TokenResponse } from '@tessera/protocol';
import type { MembershipView, SessionRecord, UserRecord } from '../engine/records.js';
import type { EnvironmentRecord } from '../storage/records.js';
import { generateJti, signAccessToken } from '../tokens/access-token.js';
import type { ServiceDeps } from './deps.js';

export interface IssueAccessTokenInput {
  environment: EnvironmentRecord;
  /** The client the token is for: one the session is authorized for. */
  clientId: string;
  session: Pick<SessionRecord, 'id' | 'authTime'>;
  user: UserRecord;
  membership: MembershipView;
  memberships: readonly MembershipView[];
  now: number;
}

/** Mints the access token of DESIGN §5 and wraps it in the token response of §3.1. */
export async function issueAccessToken(
  deps: ServiceDeps,
  input: IssueAccessTokenInput,
): Promise<TokenResponse> {
  const { environment, clientId, session, user, membership, memberships, now } = input;
  const ttl = environment.tokenSettings.accessTokenTtlSeconds;
  const tenantIds = memberships.map((m) => m.tenantId);
  const claims: AccessTokenClaims = {
    iss: deps.baseUrl(environment.id),
    aud: clientId,
    sub: user.id,
    sid: session.id,
    tenantId: membership.tenantId,
    tenantIds,
    roles: membership.roles,
    permissions: membership.permissions,
    email: user.email,
    name: user.name,
    auth_time: session.authTime,
    iat: now,
    exp: now + ttl,
    jti: generateJti(),
    client_id: clientId,
  };
  const signer = await deps.keyring.signer(environment.id);
  return {
    accessToken: signAccessToken(signer, claims),
    tokenType: 'Bearer',
    expiresIn: ttl,
    user: { id: user.id, email: user.email, name: user.name },
    tenantId: membership.tenantId,
    tenantIds,
  };
}
