import type { FastifyRequest } from 'fastify';
import type { RequestOrigin } from '../service/events.js';

/** Where a request came from, for the events it causes (docs/events.md). */
export function requestOrigin(request: FastifyRequest): RequestOrigin {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}
