/**
 * The admin API's authentication: `Authorization: Bearer <admin key>` (DESIGN §3.3). Both sides are
 * hashed before a constant-time comparison, so neither the content nor the length of the key leaks
 * through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TesseraError } from '../../../errors.js';

export const ADMIN_REALM = 'tessera-admin';

const BEARER = /^Bearer +(\S+)$/i;

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** An `onRequest` hook answering `401 unauthorized` unless the request carries the admin key. */
export function requireAdminKey(adminKey: string) {
  const expected = sha256(adminKey);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (presented !== undefined && timingSafeEqual(sha256(presented), expected)) return;
    void reply.header('www-authenticate', `Bearer realm="${ADMIN_REALM}"`);
    throw new TesseraError('unauthorized');
  };
}
