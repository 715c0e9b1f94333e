/**
 * OIDC UserInfo (OIDC Core §5.3): the standard claims Tessera holds for the user behind an
 * authenticated access token, and the tenant the token acts for.
 */
import type { AccessTokenClaims } from '@tessera/protocol';
import type { ServiceDeps } from '../deps.js';

export interface Userinfo {
  sub: string;
  email: string;
  name?: string;
  sid: string;
  tenantId: string;
  tenantIds: string[];
}

/** A user deleted after the token was signed is an outcome, not a failure: the route refuses it. */
export type UserinfoResult = { kind: 'found'; userinfo: Userinfo } | { kind: 'unknown_user' };

export async function readUserinfo(
  deps: Pick<ServiceDeps, 'storage'>,
  envId: string,
  claims: AccessTokenClaims,
): Promise<UserinfoResult> {
  const user = await deps.storage.getUser(envId, claims.sub);
  if (!user) return { kind: 'unknown_user' };
  return {
    kind: 'found',
    userinfo: {
      sub: user.id,
      email: user.email,
      ...(user.name !== null && { name: user.name }),
      sid: claims.sid,
      tenantId: claims.tenantId,
      tenantIds: claims.tenantIds,
    },
  };
}
