/** The hosted login's OAuth 2 / OpenID Connect wire types (DESIGN §3.2). */

/** A successful `/oauth/token` response (RFC 6749 §5.1; OpenID Connect Core §3.1.3.3). */
export interface OAuthTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds until the access token expires. */
  expires_in: number;
  /** The scopes granted, space-separated. */
  scope: string;
  /** When `openid` was granted. */
  id_token?: string;
  /** `confidential` clients only; a `spa` keeps its refresh token in the cookie. */
  refresh_token?: string;
}

/** An `/oauth/token`, `/oauth/revoke` or `/oauth/introspect` error (RFC 6749 §5.2). */
export interface OAuthErrorResponse {
  error: string;
  error_description?: string;
}
