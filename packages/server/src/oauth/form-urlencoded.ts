/**
 * `application/x-www-form-urlencoded` decoding that keeps what `URLSearchParams` hides: repeated
 * names (RFC 6749 §3.1: "parameters MUST NOT be included more than once") and malformed escapes.
 */

/** The result of {@link parseFormUrlEncoded}. */
export type ParsedForm =
  | { ok: true; params: ReadonlyMap<string, string> }
  | { ok: false; reason: 'malformed' }
  | { ok: false; reason: 'repeated'; name: string };

/**
 * Parses a raw query string or form body (a leading `?` is ignored). Fails on a name given twice
 * and on an escape that is not valid UTF-8, instead of silently picking one value.
 *
 * @example
 * parseFormUrlEncoded('a=1&a=2') // { ok: false, reason: 'repeated', name: 'a' }
 */
export function parseFormUrlEncoded(raw: string): ParsedForm {
  const params = new Map<string, string>();
  const body = raw.startsWith('?') ? raw.slice(1) : raw;
  if (body === '') return { ok: true, params };
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeFormComponent(eq === -1 ? '' : pair.slice(eq + 1));
    if (name === null || value === null) return { ok: false, reason: 'malformed' };
    if (params.has(name)) return { ok: false, reason: 'repeated', name };
    params.set(name, value);
  }
  return { ok: true, params };
}

/** Decodes one form-urlencoded component (`+` is a space), or `null` when it is malformed. */
export function decodeFormComponent(component: string): string | null {
  try {
    return decodeURIComponent(component.replaceAll('+', ' '));
  } catch {
    return null;
  }
}
