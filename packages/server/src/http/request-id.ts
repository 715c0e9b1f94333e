/**
 * Request ids (docs/operations.md, "Request ids"): every log line of a request carries `reqId`,
 * and every response echoes it in `x-request-id`. An incoming `x-request-id` (a proxy's or a
 * caller's, to follow a request across services) is kept only when it is short and made of safe
 * characters: it reaches log lines, and a log must not be forged or flooded through it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Fastify's `genReqId`: the caller's id when it is safe, else a fresh UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
