import { isLoopbackHostname } from './loopback.js';
import type { ParseResult } from './parse-result.js';

/**
 * Parses `TESSERA_PUBLIC_URL`, the default environment's base URL and token issuer, into its
 * normalized form without a trailing slash (`https://auth.example.com/`, `https://auth.example.com`
 * → `https://auth.example.com`), so the `iss` claim is byte-for-byte stable. https is required
 * except on localhost: the refresh cookie and every token travel to this URL.
 */
export function parsePublicUrl(text: string): ParseResult<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, problem: 'must be an http(s) URL' };
  if (url.username !== '' || url.password !== '')
    return { ok: false, problem: 'must not contain credentials' };
  if (text.includes('?') || text.includes('#'))
    return { ok: false, problem: 'must not have a query or fragment' };
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    return { ok: false, problem: 'must use https unless the host is localhost, 127.0.0.1 or ::1' };
  }
  return { ok: true, value: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}
