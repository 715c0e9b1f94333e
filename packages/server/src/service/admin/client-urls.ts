/**
 * The rules for a client's registered origins and URIs. Browsers send `Origin` in one canonical
 * form and OAuth compares redirect URIs exactly (RFC 9700 §4.1.3), so registrations are exact
 * strings: no wildcards, no patterns. Plain http is allowed only on loopback hosts, for
 * development (RFC 8252 §8.3).
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface ClientUrls {
  redirectUris?: readonly string[];
  allowedOrigins?: readonly string[];
  postLogoutRedirectUris?: readonly string[];
}

/** Every problem of the given lists, naming the field and index; empty when all are valid. */
export function clientUrlProblems(urls: ClientUrls): string[] {
  return [
    ...listProblems('allowedOrigins', urls.allowedOrigins, originProblem),
    ...listProblems('redirectUris', urls.redirectUris, redirectUriProblem),
    ...listProblems('postLogoutRedirectUris', urls.postLogoutRedirectUris, redirectUriProblem),
  ];
}

/** Why `value` is not an exact origin (`scheme://host[:port]`), or `null`. */
export function originProblem(value: string): string | null {
  const url = parse(value);
  if (!url || url.origin === 'null') return 'must be an origin (scheme://host[:port]).';
  if (value.includes('*')) return 'must not contain a wildcard.';
  if (url.origin !== value)
    return 'must be an exact origin: lower-case, no path, no trailing slash, no default port.';
  return transportProblem(url);
}

/** Why `value` is not a registrable redirect URI, or `null`. */
export function redirectUriProblem(value: string): string | null {
  const url = parse(value);
  if (!url) return 'must be an absolute URL.';
  if (value.includes('#')) return 'must not contain a fragment.';
  if (value.includes('*')) return 'must not contain a wildcard.';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials.';
  return transportProblem(url);
}

function transportProblem(url: URL): string | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'must use https (http only on localhost, 127.0.0.1 or [::1]).';
}

function listProblems(
  field: string,
  values: readonly string[] | undefined,
  check: (value: string) => string | null,
) {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [index, value] of (values ?? []).entries()) {
    const problem = check(value);
    if (problem) problems.push(`${field}[${index}] ${problem}`);
    if (seen.has(value)) problems.push(`${field}[${index}] is a duplicate.`);
    seen.add(value);
  }
  return problems;
}

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
