/**
 * The hosted login's client side (OAuth 2 code + PKCE, DESIGN §3.2): a transaction per tab — PKCE
 * verifier, `state`, `nonce`, from the CSPRNG, in sessionStorage — and the callback that only
 * that tab may complete, once (SDK-05, CSRF-04), with the issuer checked (AS-14).
 */
import { encodeBase64Url } from './base64url.js';
import type { Platform } from './platform.js';

interface Transaction {
  state: string;
  verifier: string;
  nonce: string;
  redirectUri: string;
  /** Where the app was, to return there after the callback. */
  returnTo: string;
}

/** The parameters of a hosted-login callback, as the page's URL carries them. */
export type Callback =
  | { kind: 'code'; code: string; state: string; iss: string | null }
  | { kind: 'error'; error: string; state: string | null; iss: string | null };

export interface AuthorizeParams {
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  tenantId?: string | undefined;
  loginHint?: string | undefined;
  prompt?: 'login' | 'none' | undefined;
}

function randomValue(platform: Platform, bytes: number): string {
  return encodeBase64Url(platform.randomBytes(new Uint8Array(bytes)));
}

function transactionKey(clientId: string): string {
  return `tessera:${clientId}:oauth-transaction`;
}

/**
 * Starts a transaction in this tab and returns the authorization URL to navigate to. The verifier
 * is 43 characters (32 random bytes), the challenge its S256 hash (RFC 7636).
 */
export async function startTransaction(platform: Platform, params: AuthorizeParams): Promise<string> {
  const storage = platform.sessionStorage;
  if (!storage) throw new Error('The hosted login needs sessionStorage to keep the sign-in transaction.');
  const transaction: Transaction = {
    state: randomValue(platform, 16),
    verifier: randomValue(platform, 32),
    nonce: randomValue(platform, 16),
    redirectUri: params.redirectUri,
    returnTo: platform.location().href,
  };
  storage.setItem(transactionKey(params.clientId), JSON.stringify(transaction));
  const challenge = encodeBase64Url(
    new Uint8Array(await platform.sha256(new TextEncoder().encode(transaction.verifier))),
  );
  const url = new URL(`${params.baseUrl}/oauth/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scope: 'openid email profile',
    state: transaction.state,
    nonce: transaction.nonce,
    ...(params.tenantId !== undefined && { tenant_id: params.tenantId }),
    ...(params.loginHint !== undefined && { login_hint: params.loginHint }),
    ...(params.prompt !== undefined && { prompt: params.prompt }),
  }).toString();
  return url.toString();
}

/** The callback in the current URL, when the page is one (`state` with `code` or `error`). */
export function readCallback(url: URL, redirectUri: string): Callback | null {
  const expected = new URL(redirectUri);
  if (url.origin !== expected.origin || url.pathname !== expected.pathname) return null;
  const params = url.searchParams;
  const state = params.get('state');
  const code = params.get('code');
  const error = params.get('error');
  const iss = params.get('iss');
  if (code !== null && state !== null) return { kind: 'code', code, state, iss };
  if (error !== null) return { kind: 'error', error, state, iss };
  return null;
}

/**
 * Takes this tab's transaction for `state`, deleting it: a replayed callback, another tab's, or one
 * this tab never started finds none. `null` then.
 */
export function takeTransaction(
  platform: Platform,
  clientId: string,
  state: string | null,
): Transaction | null {
  const storage = platform.sessionStorage;
  const raw = storage?.getItem(transactionKey(clientId)) ?? null;
  if (raw === null) return null;
  let transaction: Transaction;
  try {
    transaction = JSON.parse(raw) as Transaction;
  } catch {
    storage?.removeItem(transactionKey(clientId));
    return null;
  }
  if (state === null || transaction.state !== state) return null;
  storage?.removeItem(transactionKey(clientId));
  return transaction;
}

/** The current URL without the callback's parameters (they must not stay in history). */
export function withoutCallbackParams(url: URL): string {
  const clean = new URL(url.href);
  for (const name of ['code', 'state', 'iss', 'error', 'error_description', 'session_state'])
    clean.searchParams.delete(name);
  return clean.href;
}
