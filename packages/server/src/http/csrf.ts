/**
 * CSRF defence for requests that rely on the refresh cookie (DESIGN §3.1, CSRF-01): the custom
 * header `X-Tessera-Request: 1` (a cross-site form cannot set it, and a cross-origin fetch that
 * sets it needs a preflight our CORS refuses), the request's `Origin` in the client's
 * `allowedOrigins` when present, and no `Sec-Fetch-Site: cross-site` unless the cookie is
 * deliberately `SameSite=None`.
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
