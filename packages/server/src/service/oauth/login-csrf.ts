/**
 * Login CSRF (security.md CSRF-03). A browser that reaches the hosted login gets a random
 * **binding** in an HttpOnly, SameSite=Lax cookie; every form the pages render carries a token
 * `HMAC(loginCsrfKey, purpose ‖ binding)`. A POST is accepted only when its token matches the one
 * derived from the cookie it arrived with: a cross-site form has neither the cookie (Lax) nor the
 * token, and an attacker's own binding and token cannot be planted in the victim's browser.
 * Nothing is stored: any node recomputes the token, and two login tabs of one browser share the
 * binding, so neither invalidates the other.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DerivedSecrets } from '../../keys/secret.js';

/** 256 bits, base64url: 43 characters. */
const BINDING_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new browser binding for the cookie. */
export function generateLoginBinding(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a cookie value has the shape of a binding (anything else is treated as absent). */
export function isWellFormedLoginBinding(value: string | undefined): value is string {
  return value !== undefined && BINDING_PATTERN.test(value);
}

/**
 * The CSRF token of one form: `purpose` names what it may do (an interaction's id, or `logout`),
 * so a token taken from one form is worthless for another.
 *
 * @example
 * const csrfToken = loginCsrfToken(deps.secrets, binding, `interaction:${interactionId}`);
 */
export function loginCsrfToken(secrets: DerivedSecrets, binding: string, purpose: string): string {
  return createHmac('sha256', secrets.loginCsrfKey)
    .update(`${purpose}\n${binding}`, 'utf8')
    .digest('base64url');
}

/** Whether `presented` is the token for this binding and purpose, in constant time. */
export function isValidLoginCsrfToken(
  secrets: DerivedSecrets,
  binding: string | undefined,
  purpose: string,
  presented: string | undefined,
): boolean {
  if (!isWellFormedLoginBinding(binding) || presented === undefined) return false;
  const expected = Buffer.from(loginCsrfToken(secrets, binding, purpose), 'utf8');
  const actual = Buffer.from(presented, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
