/** Signing in to the admin console in-process, as the console's page does (DESIGN §3.7). */
import { parseSetCookie, type TestServer } from '@tessera/testing/harness';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

export const CONSOLE_ORIGIN = 'http://localhost:8080';
export const CONSOLE_ENV = { TESSERA_PUBLIC_URL: CONSOLE_ORIGIN };

/** What the console's own fetches carry: the CSRF header, and the page's origin on writes. */
export const CONSOLE_HEADERS = { 'x-tessera-request': '1', origin: CONSOLE_ORIGIN };

export function postSession(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  return server.app.inject({
    method: 'POST',
    url: '/console/api/session',
    headers: { 'content-type': 'application/json', ...CONSOLE_HEADERS, ...headers },
    payload: JSON.stringify(body),
  });
}

/** Signs in with the server's admin key; returns the `name=value` to send as `Cookie`. */
export async function signIn(server: TestServer): Promise<string> {
  const response = await postSession(server, { adminKey: server.adminKey });
  expect(response.statusCode, response.body).toBe(204);
  const cookie = parseSetCookie(response);
  expect(cookie).not.toBeNull();
  return `${cookie!.name}=${cookie!.value}`;
}

/** An admin API request the way the console sends it: the cookie, the CSRF header, the origin. */
export function consoleRequest(
  server: TestServer,
  cookie: string,
  request: { method: HTTPMethods; url: string; body?: unknown; headers?: Record<string, string> },
): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method: request.method,
    url: request.url,
    headers: {
      cookie,
      ...CONSOLE_HEADERS,
      ...(request.body !== undefined && { 'content-type': 'application/json' }),
      ...request.headers,
    },
    ...(request.body !== undefined && { payload: JSON.stringify(request.body) }),
  });
}

/** The console cookie a response sets, as `name=value`; `null` when it sets none. */
export function setCookiePair(response: LightMyRequestResponse): string | null {
  const cookie = parseSetCookie(response);
  return cookie ? `${cookie.name}=${cookie.value}` : null;
}
