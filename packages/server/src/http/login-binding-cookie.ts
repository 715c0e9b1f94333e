/**
 * The hosted login's browser binding (service/oauth/login-csrf.ts) travels in its own cookie:
 * HttpOnly, SameSite=Lax (a cross-site form post arrives without it), `__Host-` whenever Secure,
 * and short-lived. It carries no authority by itself: it only ties a form's CSRF token to a browser.
 */
import type { CookieSettings } from '../config/token-settings.js';
import { INTERACTION_TTL_SECONDS } from '../service/oauth/interactions.js';
import { generateLoginBinding, isWellFormedLoginBinding } from '../service/oauth/login-csrf.js';
import { readSingleCookie, serializeHostCookie } from './cookies.js';

const NAME = 'tessera_login';

function cookieName(secure: boolean): string {
  return secure ? `__Host-${NAME}` : NAME;
}

/** The binding the browser sent, when it is well formed. */
export function readLoginBinding(
  header: string | undefined,
  cookie: Pick<CookieSettings, 'secure'>,
): string | undefined {
  const value = readSingleCookie(
    header,
    cookieName(cookie.secure),
    'The sign-in cookie was sent more than once.',
  );
  return isWellFormedLoginBinding(value) ? value : undefined;
}

/** The browser's binding, or a new one, and the `Set-Cookie` that keeps it for another interaction. */
export function ensureLoginBinding(
  header: string | undefined,
  cookie: Pick<CookieSettings, 'secure'>,
): { binding: string; setCookie: string } {
  const binding = readLoginBinding(header, cookie) ?? generateLoginBinding();
  const setCookie = serializeHostCookie(cookieName(cookie.secure), binding, {
    maxAgeSeconds: INTERACTION_TTL_SECONDS,
    sameSite: 'lax',
    secure: cookie.secure,
  });
  return { binding, setCookie };
}
