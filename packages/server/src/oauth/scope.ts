/**
 * The scopes Tessera knows. A scope list is space-delimited (RFC 6749 §3.3); order carries no
 * meaning, so duplicates are dropped.
 */

/** Every scope value the server grants (OpenID Connect Core §5.4, §11). */
export const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

export type Scope = (typeof SUPPORTED_SCOPES)[number];

/** More entries than this is refused before looking at them (security.md §2.3: 1000 scopes). */
export const MAX_SCOPE_ENTRIES = 20;

/** The result of {@link parseScope}. */
export type ParseScopeResult = { ok: true; scopes: Scope[] } | { ok: false; reason: 'too_many' | 'unknown' };

/**
 * Splits a `scope` parameter into known scopes, in first-seen order without duplicates. An absent
 * or empty parameter is an empty list (RFC 6749 §3.1: empty means omitted).
 *
 * @example
 * parseScope('openid email') // { ok: true, scopes: ['openid', 'email'] }
 */
export function parseScope(raw: string | undefined): ParseScopeResult {
  const entries = (raw ?? '').split(' ').filter((entry) => entry !== '');
  if (entries.length > MAX_SCOPE_ENTRIES) return { ok: false, reason: 'too_many' };
  const scopes: Scope[] = [];
  for (const entry of entries) {
    if (!isScope(entry)) return { ok: false, reason: 'unknown' };
    if (!scopes.includes(entry)) scopes.push(entry);
  }
  return { ok: true, scopes };
}

function isScope(value: string): value is Scope {
  return (SUPPORTED_SCOPES as readonly string[]).includes(value);
}
