/**
 * The console's one HTTP client. Every call rides on the console session cookie (HttpOnly: this
 * code never sees it) and sends `X-Tessera-Request: 1`, the admin API's CSRF header; the browser
 * adds the same-origin `Origin` on unsafe methods. Errors arrive in the admin API's shape
 * `{error, message, field?}` (docs/errors.md) and leave here as an `ApiError`. A 401 from any call
 * means the console session is gone: `onUnauthorized` sends the app back to sign-in.
 */

export const ADMIN_BASE = '/admin/v1';
export const SESSION_PATH = '/console/api/session';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** invalid_request: a JSON Pointer into the body (`/redirectUris/0`) or a parameter name. */
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/** One page of an admin list and the cursor of the next (from the `Link` header), if any. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const GENERIC_MESSAGES: Record<number, string> = {
  400: 'The request was refused.',
  401: 'Your console session has ended. Sign in again.',
  403: 'This action is not allowed.',
  404: 'Not found.',
  409: 'It already exists.',
  413: 'The request is too large.',
  429: 'Too many requests. Try again shortly.',
  503: 'The server is unavailable. Try again shortly.',
};

/**
 * The `ApiError` for a response that is not OK. The body is read as the admin API's error shape
 * when it is one; any other body (an HTML proxy page, nothing) gets a generic message by status,
 * so no stray markup or server text reaches the page.
 */
export function toApiError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(status, body.error, body.message, body.field ?? null);
  const message = GENERIC_MESSAGES[status] ?? `The server answered ${status}.`;
  return new ApiError(status, `http_${status}`, message);
}

function isErrorBody(body: unknown): body is { error: string; message: string; field?: string } {
  if (typeof body !== 'object' || body === null) return false;
  const { error, message, field } = body as Record<string, unknown>;
  return (
    typeof error === 'string' &&
    typeof message === 'string' &&
    (field === undefined || typeof field === 'string')
  );
}

/**
 * The links of an RFC 8288 `Link` header by relation: `<a>; rel="next", <b>; rel=prev` →
 * `{next: 'a', prev: 'b'}`. URLs may hold commas and semicolons; a link with several relations
 * (`rel="next last"`) is filed under each.
 */
export function parseLinkHeader(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  const link = /<([^>]*)>((?:\s*;\s*[^;,]*)*)/g;
  for (const match of header.matchAll(link)) {
    const url = match[1] ?? '';
    const rel = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2] ?? '');
    const relations = (rel?.[1] ?? rel?.[2] ?? '').trim().toLowerCase().split(/\s+/);
    for (const relation of relations) if (relation && !(relation in links)) links[relation] = url;
  }
  return links;
}

/** The `cursor` of the `Link` header's next page, or null on the last page. */
export function nextCursorOf(header: string | null): string | null {
  const next = parseLinkHeader(header).next;
  if (next === undefined) return null;
  return new URL(next, 'http://console.invalid').searchParams.get('cursor');
}

/** `?a=1&b=2` from the defined, non-empty values. */
export function queryString(query: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A path segment from an id: ids are checked by the API, never trusted to be URL-safe here. */
export const seg = (value: string): string => encodeURIComponent(value);

let unauthorizedHandler: () => void = () => {};

/** Called on every 401, once per call: the app returns to sign-in. */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** The sign-in call itself: its 401 is a wrong key, not an ended session. */
  quietUnauthorized?: boolean;
}

async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'x-tessera-request': '1', accept: 'application/json' };
  const init: RequestInit = {
    method: options.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
  };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection.');
  }
  if (response.ok) return response;
  const body: unknown = await response.json().catch(() => null);
  const failure = toApiError(response.status, body);
  if (response.status === 401 && !options.quietUnauthorized) unauthorizedHandler();
  throw failure;
}

async function json<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A call to the admin API under `/admin/v1`. */
export async function admin<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return json<T>(await send(`${ADMIN_BASE}${path}`, options));
}

/** One page of an admin list, with the next page's cursor from its `Link` header. */
export async function adminPage<T>(path: string, signal?: AbortSignal): Promise<Page<T>> {
  const response = await send(`${ADMIN_BASE}${path}`, signal ? { signal } : {});
  return { items: await json<T[]>(response), nextCursor: nextCursorOf(response.headers.get('link')) };
}

/** Exchanges the admin key for a console session cookie; the key is not kept anywhere. */
export async function signIn(adminKey: string): Promise<void> {
  await send(SESSION_PATH, { method: 'POST', body: { adminKey }, quietUnauthorized: true });
}

/** When the console session ends, or null when there is none. */
export async function currentSession(): Promise<{ expiresAt: string } | null> {
  try {
    return await json<{ expiresAt: string }>(await send(SESSION_PATH, { quietUnauthorized: true }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function signOut(): Promise<void> {
  await send(SESSION_PATH, { method: 'DELETE', quietUnauthorized: true });
}

/** The error's message when it is about `pointer` (or a child of it), for display beside that field. */
export function fieldError(error: unknown, pointer: string): string | null {
  if (!(error instanceof ApiError) || error.field === null) return null;
  const field = error.field.startsWith('/') || !pointer.startsWith('/') ? error.field : `/${error.field}`;
  return field === pointer || field.startsWith(`${pointer}/`) ? error.message : null;
}

/** The error's message unless a form field shows it already. */
export function formError(error: unknown, pointers: readonly string[]): string | null {
  if (error === null || error === undefined) return null;
  if (pointers.some((pointer) => fieldError(error, pointer) !== null)) return null;
  return messageOf(error);
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Try again.';
}
