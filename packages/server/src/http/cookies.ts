/**
 * The refresh cookie (DESIGN §2): `__Host-` prefix whenever Secure (so Path=/ and no Domain,
 * and a sibling subdomain cannot plant one), HttpOnly, SameSite as configured.
 *
 * Parsing is ours rather than a general cookie parser's because of one rule those don't have:
 * the same name twice (cookie tossing from a sibling domain, security.md §2.2) is refused, never
 * resolved by "first wins".
 */
import type { CookieSettings } from '../config/token-settings.js';
import { TesseraError } from '../errors.js';

export function refreshCookieName(cookie: CookieSettings): string {
  return cookie.secure ? `__Host-${cookie.name}` : cookie.name;
}

/** The refresh cookie's value, `undefined` when absent; 400 when the name appears twice. */
export function readRefreshCookie(header: string | undefined, cookie: CookieSettings): string | undefined {
  return readSingleCookie(header, refreshCookieName(cookie), 'The refresh cookie was sent more than once.');
}

/**
 * The refresh cookie where a login only looks for a session to replace (SES-06): sent twice, it
 * names no one session, so it is ignored rather than refused — a login never fails over a cookie.
 */
export function readRefreshCookieToReplace(
  header: string | undefined,
  cookie: CookieSettings,
): string | undefined {
  try {
    return readRefreshCookie(header, cookie);
  } catch {
    return undefined;
  }
}

/** A cookie's value, `undefined` when absent; 400 with `duplicateMessage` when the name appears twice. */
export function readSingleCookie(
  header: string | undefined,
  name: string,
  duplicateMessage: string,
): string | undefined {
  if (!header) return undefined;
  let value: string | undefined;
  let seen = 0;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    seen++;
    value = part.slice(eq + 1).trim();
  }
  if (seen > 1) throw new TesseraError('invalid_request', { message: duplicateMessage });
  return value;
}

export function serializeRefreshCookie(cookie: CookieSettings, value: string, maxAgeSeconds: number): string {
  return serializeHostCookie(refreshCookieName(cookie), value, {
    maxAgeSeconds,
    sameSite: cookie.sameSite,
    secure: cookie.secure,
  });
}

/**
 * A `Set-Cookie` for `name` (already `__Host-`-prefixed when Secure): `Path=/`, no `Domain`,
 * `HttpOnly`, always. The one place cookie attributes are written.
 */
export function serializeHostCookie(
  name: string,
  value: string,
  options: { maxAgeSeconds: number; sameSite: CookieSettings['sameSite']; secure: boolean },
): string {
  const { sameSite } = options;
  const attributes = [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    `SameSite=${sameSite === 'none' ? 'None' : sameSite === 'strict' ? 'Strict' : 'Lax'}`,
  ];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** CK-05: clears with the same name and path. */
export function serializeClearedRefreshCookie(cookie: CookieSettings): string {
  return serializeRefreshCookie(cookie, '', 0);
}
