/**
 * The access token a tab holds, in memory only (SDK-01), with what the state shows about it. Its
 * expiry is measured from `expiresIn` on this browser's clock at receipt, never from comparing the
 * token's `exp` with a local clock that may be wrong (SDK-04).
 */
import type { PublicUser, TokenResponse } from '@tessera/protocol';
import { decodeBase64UrlText } from './base64url.js';

export interface TokenSet {
  accessToken: string;
  /** Seconds the server said the token is valid for. */
  expiresIn: number;
  /** This browser's clock when the token arrived (epoch ms); `expiresAt = receivedAt + expiresIn`. */
  receivedAt: number;
  /** The token's `iat` (server time, seconds): orders tokens, so a newer one is never replaced. */
  issuedAt: number;
  sessionId: string;
  user: PublicUser;
  tenantId: string;
  tenantIds: string[];
}

interface AccessTokenPayload {
  sub: string;
  sid: string;
  iat: number;
  email: string;
  name: string | null;
  tenantId: string;
  tenantIds: string[];
}

/** The payload of a JWT, without verifying it (the token came straight from our server over TLS). */
export function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  const text = decodeBase64UrlText(payload);
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function accessTokenPayload(token: string): AccessTokenPayload | null {
  const payload = decodeJwtPayload(token);
  if (
    payload === null ||
    typeof payload.sub !== 'string' ||
    typeof payload.sid !== 'string' ||
    typeof payload.iat !== 'number' ||
    typeof payload.tenantId !== 'string' ||
    !Array.isArray(payload.tenantIds)
  )
    return null;
  return payload as unknown as AccessTokenPayload;
}

/** From the session API's token response; `null` if the access token is not one of ours. */
export function tokenSetFromResponse(response: TokenResponse, receivedAt: number): TokenSet | null {
  const payload = accessTokenPayload(response.accessToken);
  if (payload === null) return null;
  return {
    accessToken: response.accessToken,
    expiresIn: response.expiresIn,
    receivedAt,
    issuedAt: payload.iat,
    sessionId: payload.sid,
    user: response.user,
    tenantId: response.tenantId,
    tenantIds: response.tenantIds,
  };
}

/** From an `/oauth/token` response: the user and tenants come from the access token's claims. */
export function tokenSetFromOAuth(
  accessToken: string,
  expiresIn: number,
  receivedAt: number,
): TokenSet | null {
  const payload = accessTokenPayload(accessToken);
  if (payload === null) return null;
  return {
    accessToken,
    expiresIn,
    receivedAt,
    issuedAt: payload.iat,
    sessionId: payload.sid,
    user: { id: payload.sub, email: payload.email, name: payload.name ?? null },
    tenantId: payload.tenantId,
    tenantIds: payload.tenantIds,
  };
}

export function expiresAt(token: TokenSet): number {
  return token.receivedAt + token.expiresIn * 1000;
}

/** Where a token stands in time: its `iat` (whole seconds), then when a tab of this browser got it. */
export type TokenOrder = readonly [issuedAt: number, receivedAt: number];

export function orderOf(token: TokenSet | null): TokenOrder {
  return token === null
    ? [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]
    : [token.issuedAt, token.receivedAt];
}

/** Whether `token` came after `order` (another tab's refresh in the same second included). */
export function isNewerThan(token: TokenSet | null, order: TokenOrder): boolean {
  if (token === null) return false;
  return token.issuedAt > order[0] || (token.issuedAt === order[0] && token.receivedAt > order[1]);
}

/** Whether `incoming` may replace `current`: never an older token over a newer one. */
export function isNotOlder(incoming: TokenSet, current: TokenSet | null): boolean {
  return current === null || !isNewerThan(current, orderOf(incoming));
}
