/**
 * Calls to the example API (examples/api): another origin, a resource server that verifies this
 * tab's access token with `@tessera/node`. Every outcome is an answer to show, failures included.
 */

export interface ApiAnswer<T> {
  /** The HTTP status; 0 when the API could not be reached. */
  status: number;
  body: T | null;
  /** `error` of a refusal: `invalid_token`, `insufficient_scope`… */
  error: string | null;
  /** The refusal's `WWW-Authenticate` header (the API exposes it to the page). */
  wwwAuthenticate: string | null;
}

export interface Project {
  id: string;
  name: string;
  createdAt: string;
  createdBy: string | null;
}

export async function callExampleApi<T>(
  apiUrl: string,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}${path}`, {
      method,
      cache: 'no-store',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    return { status: 0, body: null, error: 'network_error', wwwAuthenticate: null };
  }
  const json = (await response.json().catch(() => null)) as (T & { error?: unknown }) | null;
  return {
    status: response.status,
    body: response.ok ? json : null,
    error: !response.ok && typeof json?.error === 'string' ? json.error : null,
    wwwAuthenticate: response.headers.get('www-authenticate'),
  };
}

/** `GET /tenants/acme/projects` → `403 insufficient_scope`. */
export function describeAnswer(answer: ApiAnswer<unknown>): string {
  if (answer.status === 0) return 'the example API could not be reached';
  return `${answer.status}${answer.error ? ` ${answer.error}` : answer.status < 300 ? ' OK' : ''}`;
}

let lastToken: { apiUrl: string; token: string } | null = null;

/**
 * The access token the projects card used last. When the session ends, the sign-in screen asks the
 * example API once more with it, to show that the API refuses it although it has not expired.
 */
export function rememberToken(apiUrl: string, token: string): void {
  lastToken = { apiUrl, token };
}

/** The remembered token, if any. */
export function rememberedToken(): { apiUrl: string; token: string } | null {
  return lastToken;
}

/** Forgets `token` (and nothing newer). */
export function forgetToken(token: string): void {
  if (lastToken?.token === token) lastToken = null;
}
