/**
 * Validation of a `/oauth/token` request (DESIGN §3.2; RFC 6749 §2.3, §4.1.3, §6; RFC 7636 §4.5).
 * Pure: the caller passes the decoded body (form or JSON) and the `Authorization` header; the
 * service then looks the client up, checks the secret and redeems the grant.
 */

import { textInputProblem } from '../text-input.js';
import type { TokenErrorCode } from './errors.js';
import { decodeFormComponent } from './form-urlencoded.js';
import { isValidCodeVerifier } from './pkce.js';

/** How the client identified itself (RFC 6749 §2.3.1). `none` is a public (`spa`) client. */
export type ClientAuthentication =
  | { method: 'none' }
  | { method: 'client_secret_basic' | 'client_secret_post'; secret: string };

/** A structurally valid token request. */
export type TokenRequest =
  | {
      grantType: 'authorization_code';
      code: string;
      redirectUri: string;
      codeVerifier: string;
      clientId: string;
      clientAuth: ClientAuthentication;
    }
  | {
      grantType: 'refresh_token';
      refreshToken: string;
      clientId: string;
      clientAuth: ClientAuthentication;
      /** The raw `scope` parameter; the service checks it cannot widen the grant (AS-12). */
      scope?: string;
    };

/** A token-endpoint error (RFC 6749 §5.2); the status comes from `TOKEN_ERROR_STATUS`. */
export interface TokenRequestError {
  error: Extract<
    TokenErrorCode,
    'invalid_request' | 'unsupported_grant_type' | 'invalid_client' | 'invalid_grant'
  >;
  description: string;
}

/** The outcome of {@link parseTokenRequest}. */
export type TokenRequestResult = TokenRequest | TokenRequestError;

/**
 * Parses a token request. `body` is the decoded form (a repeated name arrives as an array) or a
 * parsed JSON object; anything but one string per parameter is `invalid_request` (ASVS 15.3.5,
 * 15.3.7). Client authentication is `client_secret_basic` or `client_secret_post`, never both.
 *
 * @example
 * const result = parseTokenRequest(body, request.headers.authorization);
 * if ('error' in result) return reply.status(TOKEN_ERROR_STATUS[result.error]).send(...);
 */
export function parseTokenRequest(
  body: Readonly<Record<string, unknown>>,
  authorizationHeader?: string,
): TokenRequestResult {
  const params = normalizeParams(body);
  if ('error' in params) return params;

  const client = authenticateClient(params, authorizationHeader);
  if ('error' in client) return client;

  const grantType = params.get('grant_type');
  switch (grantType) {
    case undefined:
      return failure('invalid_request', 'grant_type is missing.');
    case 'authorization_code': {
      const code = params.get('code');
      const redirectUri = params.get('redirect_uri');
      const codeVerifier = params.get('code_verifier');
      if (code === undefined) return failure('invalid_request', 'code is missing.');
      // Always required: every authorization request is bound to a redirect URI (AS-02).
      if (redirectUri === undefined) return failure('invalid_request', 'redirect_uri is missing.');
      if (codeVerifier === undefined) return failure('invalid_request', 'code_verifier is missing.');
      // RFC 7636 §4.6 / AS-05: a malformed verifier can never match, so the grant is invalid.
      if (!isValidCodeVerifier(codeVerifier)) return failure('invalid_grant', 'code_verifier is malformed.');
      return { grantType, code, redirectUri, codeVerifier, ...client };
    }
    case 'refresh_token': {
      const refreshToken = params.get('refresh_token');
      if (refreshToken === undefined) return failure('invalid_request', 'refresh_token is missing.');
      const scope = params.get('scope');
      return { grantType, refreshToken, ...client, ...(scope === undefined ? {} : { scope }) };
    }
    default:
      // AS-07: password, client_credentials, implicit and the rest are off.
      return failure('unsupported_grant_type', 'The grant type is not supported.');
  }
}

/**
 * The client's credentials from a request body and `Authorization` header, by the token endpoint's
 * rules, for the revocation and introspection endpoints (RFC 7009 §2.1, RFC 7662 §2.1).
 */
export function parseClientCredentials(
  body: Readonly<Record<string, unknown>>,
  authorizationHeader?: string,
): { clientId: string; clientAuth: ClientAuthentication } | TokenRequestError {
  const params = normalizeParams(body);
  if ('error' in params) return params;
  return authenticateClient(params, authorizationHeader);
}

/** One string per parameter, empty ones dropped, or `invalid_request` (ASVS 15.3.5, 15.3.7). */
function normalizeParams(body: Readonly<Record<string, unknown>>): Map<string, string> | TokenRequestError {
  const params = new Map<string, string>();
  for (const [name, raw] of Object.entries(body)) {
    const value = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
    if (Array.isArray(value)) return failure('invalid_request', 'A parameter must have exactly one value.');
    if (typeof value !== 'string') return failure('invalid_request', 'Every parameter must be a string.');
    // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
    if (value !== '') params.set(name, value);
  }
  return params;
}

function authenticateClient(
  params: ReadonlyMap<string, string>,
  authorizationHeader: string | undefined,
): { clientId: string; clientAuth: ClientAuthentication } | TokenRequestError {
  const bodyClientId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  if (authorizationHeader !== undefined && authorizationHeader !== '') {
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
    if (bodySecret !== undefined)
      return failure('invalid_request', 'Use one client authentication method, not two.');
    const basic = parseBasicCredentials(authorizationHeader);
    if (basic === null) return failure('invalid_client', 'Client authentication failed.');
    if (bodyClientId !== undefined && bodyClientId !== basic.clientId)
      return failure('invalid_client', 'Client authentication failed.');
    return { clientId: basic.clientId, clientAuth: { method: 'client_secret_basic', secret: basic.secret } };
  }
  // RFC 6749 §5.2: "no client authentication included" is invalid_client.
  if (bodyClientId === undefined) return failure('invalid_client', 'Client authentication failed.');
  return {
    clientId: bodyClientId,
    clientAuth:
      bodySecret === undefined ? { method: 'none' } : { method: 'client_secret_post', secret: bodySecret },
  };
}

const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/**
 * The client id and secret of an `Authorization: Basic` header. Each is form-urlencoded before
 * base64 (RFC 6749 §2.3.1), so `a%3Ab` is the id `a:b`. `null` when the header is malformed.
 */
export function parseBasicCredentials(header: string): { clientId: string; secret: string } | null {
  const encoded = BASIC.exec(header)?.[1];
  if (encoded === undefined || encoded.length % 4 !== 0) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  const clientId = decodeFormComponent(decoded.slice(0, colon));
  const secret = decodeFormComponent(decoded.slice(colon + 1));
  if (clientId === null || secret === null || clientId === '' || secret === '') return null;
  // The boundary rule (text-input.ts): the client id is looked up in storage.
  if (textInputProblem(clientId) !== null || textInputProblem(secret) !== null) return null;
  return { clientId, secret };
}

function failure(error: TokenRequestError['error'], description: string): TokenRequestError {
  return { error, description };
}
