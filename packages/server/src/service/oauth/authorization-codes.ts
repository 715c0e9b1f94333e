/**
 * Authorization codes (RFC 6749 §4.1.2; ADR 0004): 256 bits from the CSPRNG, stored as SHA-256,
 * valid 60 s, bound to the client, redirect URI, PKCE challenge, nonce, tenant and the browser
 * session they were issued from. Issuing one authorizes the client for that session (SSO).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import type { ServiceDeps } from '../deps.js';

/** How long a code may wait for its redemption (AS-04: at most 60 s). */
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;

const CODE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashAuthorizationCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('base64url');
}

/** Whether a presented code has the shape of one we issue (anything else is just invalid). */
export function isWellFormedAuthorizationCode(code: string): boolean {
  return CODE_PATTERN.test(code);
}

export interface IssueAuthorizationCodeInput {
  envId: string;
  request: AuthorizeRequest;
  sessionId: string;
  userId: string;
  tenantId: string;
  authTime: number;
}

/** Stores a new code for a validated request and a live session; returns the code. */
export async function issueAuthorizationCode(
  deps: ServiceDeps,
  input: IssueAuthorizationCodeInput,
): Promise<string> {
  const { request } = input;
  const code = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await deps.storage.addSessionClient({
    sessionId: input.sessionId,
    clientId: request.clientId,
    now,
    scopes: request.scopes,
  });
  await deps.storage.insertAuthorizationCode({
    codeHash: hashAuthorizationCode(code),
    envId: input.envId,
    clientId: request.clientId,
    sessionId: input.sessionId,
    userId: input.userId,
    tenantId: input.tenantId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    scopes: request.scopes,
    nonce: request.nonce ?? null,
    authTime: input.authTime,
    issuedAt: now,
    expiresAt: now + AUTHORIZATION_CODE_TTL_SECONDS,
  });
  return code;
}
