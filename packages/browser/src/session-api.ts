/**
 * The calls the SDK makes to the server: the browser session API (DESIGN §3.1) and the OAuth token
 * endpoint. Every failure becomes a {@link TesseraAuthError}; {@link isTransient} tells a failure
 * worth retrying (network, 429, 5xx) from an answer that ends the session (401, 403).
 */
import { CSRF_HEADER, type TokenResponse } from '@tessera/protocol';
import { TesseraAuthError } from './errors.js';
import type { Platform } from './platform.js';

export interface OAuthTokens {
  access_token: string;
  expires_in: number;
  id_token?: string;
}

export interface SessionApi {
  login(body: { email: string; password: string; tenantId?: string }): Promise<TokenResponse>;
  refresh(body: { tenantId?: string; active: boolean }): Promise<TokenResponse>;
  switchTenant(tenantId: string): Promise<TokenResponse>;
  logout(): Promise<void>;
  exchangeCode(body: { code: string; redirectUri: string; codeVerifier: string }): Promise<OAuthTokens>;
}

/** A request that has not answered by then is a network error: the cross-tab lock must not hang. */
const REQUEST_TIMEOUT_MS = 15_000;

export function createSessionApi(platform: Platform, baseUrl: string, clientId: string): SessionApi {
  /** `fetch` that fails as `network_error` on no answer or after {@link REQUEST_TIMEOUT_MS}. */
  async function send(url: string, init: RequestInit): Promise<Response> {
    const abort = new AbortController();
    const timer = platform.clock.setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    try {
      return await platform.fetch(url, { ...init, signal: abort.signal });
    } catch {
      throw new TesseraAuthError('network_error', 'The server could not be reached.');
    } finally {
      platform.clock.clearTimeout(timer);
    }
  }

  async function call<T>(method: string, path: string, body: Record<string, unknown>): Promise<T> {
    const response = await send(`${baseUrl}${path}`, {
      method,
      credentials: 'include',
      cache: 'no-store',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1' },
      body: JSON.stringify({ clientId, ...body }),
    });
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (!response.ok) throw errorFrom(response, payload);
    return payload as T;
  }

  return {
    login: (body) => call('POST', '/auth/v1/login', body),
    refresh: (body) => call('POST', '/auth/v1/refresh', body),
    switchTenant: (tenantId) => call('PUT', '/auth/v1/tenant', { tenantId }),
    logout: () => call('POST', '/auth/v1/logout', {}),
    async exchangeCode({ code, redirectUri, codeVerifier }) {
      const response = await send(`${baseUrl}/oauth/token`, {
        method: 'POST',
        cache: 'no-store',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
          client_id: clientId,
        }).toString(),
      });
      const payload = (await response.json().catch(() => null)) as Record<string, unknown> | null;
      if (!response.ok) {
        const error = typeof payload?.error === 'string' ? payload.error : 'invalid_grant';
        throw new TesseraAuthError(error, 'The sign-in could not be completed.', { status: response.status });
      }
      return payload as unknown as OAuthTokens;
    },
  };
}

function errorFrom(response: Response, payload: Record<string, unknown> | null): TesseraAuthError {
  const code = typeof payload?.error === 'string' ? payload.error : `http_${response.status}`;
  const message = typeof payload?.message === 'string' ? payload.message : response.statusText;
  const retryAfter = Number(response.headers.get('retry-after'));
  return new TesseraAuthError(code, message, {
    status: response.status,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 && { retryAfterSeconds: retryAfter }),
  });
}

/** A failure worth retrying with the session kept: no answer, 429 or 5xx. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof TesseraAuthError)) return true;
  if (error.code === 'network_error') return true;
  return error.status === 429 || (error.status !== undefined && error.status >= 500);
}
