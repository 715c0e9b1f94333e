/**
 * CSRF defence for requests that rely on the refresh cookie (DESIGN §3.1, CSRF-01): the custom
 * header `X-Tessera-Request: 1` (a cross-site form cannot set it, and a cross-origin fetch that
 * sets it needs a preflight our CORS refuses), the request's `Origin` in the client's
 * `allowedOrigins` when present, and no `Sec-Fetch-Site: cross-site` unless the cookie is
 * deliberately `SameSite=None`.
 *
 * The admin console's cookie (DESIGN §3.7) gets the same header on every request, never a
 * cross-site request, and on every unsafe method an `Origin` equal to the server's own.
 */
import { CSRF_HEADER } from '@tessera/protocol';
import type { FastifyRequest } from 'fastify';
import type { CookieSettings } from '../config/token-settings.js';
import { TesseraError } from '../errors.js';
import type { ClientRecord } from '../storage/records.js';

export function assertCsrfHeader(request: FastifyRequest): void {
  if (request.headers[CSRF_HEADER] !== '1') throw new TesseraError('csrf_rejected');
}

export function assertAllowedOrigin(
  request: FastifyRequest,
  client: ClientRecord,
  cookie: CookieSettings,
): void {
  const origin = request.headers.origin;
  if (origin !== undefined && !client.allowedOrigins.includes(origin))
    throw new TesseraError('csrf_rejected');
  if (request.headers['sec-fetch-site'] === 'cross-site' && cookie.sameSite !== 'none') {
    throw new TesseraError('csrf_rejected');
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** @param ownOrigin The origin of the server's public URL, where the console is served. */
export function assertConsoleRequest(request: FastifyRequest, ownOrigin: string): void {
  assertCsrfHeader(request);
  if (request.headers['sec-fetch-site'] === 'cross-site') throw new TesseraError('csrf_rejected');
  if (!SAFE_METHODS.has(request.method) && request.headers.origin !== ownOrigin) {
    throw new TesseraError('csrf_rejected');
  }
}
