/** The JOSE header of every Tessera access token (DESIGN §5). */
export interface AccessTokenHeader {
  alg: SigningAlgorithm;
  kid: string;
  typ: 'at+jwt';
}

export type SigningAlgorithm = 'ES256' | 'EdDSA' | 'RS256';

export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ['ES256', 'EdDSA', 'RS256'];

/** The claims of every Tessera access token (DESIGN §5, RFC 9068 §2.2). */
export interface AccessTokenClaims {
  iss: string;
  /** The client the token was issued to. */
  aud: string;
  /** The user id. */
  sub: string;
  /** The session id: every tab of one browser shares it. */
  sid: string;
  /** The tenant this token acts for (the tab's tenant). */
  tenantId: string;
  /** Every tenant the user belongs to. */
  tenantIds: string[];
  /** The user's role keys in `tenantId`. */
  roles: string[];
  /** The permission keys those roles grant in `tenantId`. */
  permissions: string[];
  email: string;
  name: string | null;
  /** When the user last authenticated with a credential (epoch seconds). */
  auth_time: number;
  iat: number;
  exp: number;
  jti: string;
  client_id: string;
}
