/**
 * The issuer's JWKS through jose's `createRemoteJWKSet` (cache, cooldown on an unknown `kid`, one
 * fetch at a time), with a fetch in front that jose lacks (security.md MW-02, F-06):
 *
 * - a failed fetch is not retried for {@link RETRY_AFTER_FAILURE_MS}: while the JWKS is down or slow,
 *   requests that need it fail fast with `jwks_unavailable` instead of each waiting for a timeout,
 *   and cached keys keep verifying until `cacheMaxAge`;
 * - the body is capped and must be a JWKS before jose sees it, so a malformed answer never replaces
 *   the good cache (jose keeps its cache on any error).
 */
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';

/** A JWKS answer larger than this is not a key set (a few keys are a few KB). */
const MAX_JWKS_BYTES = 256 * 1024;
export const RETRY_AFTER_FAILURE_MS = 5000;

/** The JWKS could not be fetched or was not a key set; mapped to `jwks_unavailable`. */
export class JwksUnavailableError extends Error {
  override readonly name = 'JwksUnavailableError';
}

export interface JwksOptions {
  uri: URL;
  fetch: typeof fetch;
  cacheMaxAgeSeconds: number;
  cooldownSeconds: number;
  timeoutSeconds: number;
}

export function createJwks(options: JwksOptions): JWTVerifyGetKey {
  let retryAt = 0;
  const guardedFetch = async (url: string, init: RequestInit): Promise<Response> => {
    if (Date.now() < retryAt)
      throw new JwksUnavailableError('The JWKS failed a moment ago; not retrying yet.');
    try {
      const response = await options.fetch(url, init);
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => {});
        throw new JwksUnavailableError(`The JWKS answered ${response.status}.`);
      }
      const text = await readCapped(response, MAX_JWKS_BYTES);
      if (!isKeySet(JSON.parse(text))) throw new JwksUnavailableError('The JWKS is not a key set.');
      return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
    } catch (error) {
      retryAt = Date.now() + RETRY_AFTER_FAILURE_MS;
      if (error instanceof JwksUnavailableError) throw error;
      throw new JwksUnavailableError('The JWKS could not be fetched.', { cause: error });
    }
  };
  return createRemoteJWKSet(options.uri, {
    cacheMaxAge: options.cacheMaxAgeSeconds * 1000,
    cooldownDuration: options.cooldownSeconds * 1000,
    timeoutDuration: options.timeoutSeconds * 1000,
    [customFetch]: guardedFetch,
  });
}

function isKeySet(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const keys = (value as { keys?: unknown }).keys;
  return (
    Array.isArray(keys) && keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))
  );
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new JwksUnavailableError('The JWKS is too large.');
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new JwksUnavailableError('The JWKS is too large.');
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}
