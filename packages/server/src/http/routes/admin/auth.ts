/**
 * The admin API's authentication (DESIGN §3.3, §3.7): `Authorization: Bearer <admin key>`, or the
 * admin console's session cookie. The key's two sides are hashed before a constant-time comparison,
 * so neither the content nor the length of the key leaks through timing. A request that relies on
 * the cookie must also pass the console's CSRF checks (`assertConsoleRequest`): a cookie is sent by
 * the browser on its own, a bearer key never is.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TesseraError } from '../../../errors.js';
import { ADMIN_KEY_ACTOR } from '../../../service/admin/actor.js';
import { checkConsoleSession } from '../../../service/console/console-session.js';
import type { ServiceDeps } from '../../../service/deps.js';
import { type ConsoleCookie, readConsoleCookie, setConsoleCookie } from '../../console-cookie.js';
import { assertConsoleRequest } from '../../csrf.js';

export const ADMIN_REALM = 'tessera-admin';

const BEARER = /^Bearer +(\S+)$/i;

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export interface RequireAdminOptions {
  deps: Pick<ServiceDeps, 'secrets' | 'clock'>;
  adminKey: string;
  consoleCookie: ConsoleCookie;
  /** The origin of the server's public URL: the console's, the only one its writes may come from. */
  ownOrigin: string;
}

/**
 * An `onRequest` hook answering `401 unauthorized` unless the request carries the admin key or a
 * live console session (then `403 csrf_rejected` unless it passes the console's CSRF checks). An
 * `Authorization` header always decides alone: a wrong key is not rescued by a cookie.
 */
export function requireAdmin(options: RequireAdminOptions) {
  const expected = sha256(options.adminKey);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const presented = BEARER.exec(authorization)?.[1];
      if (presented !== undefined && timingSafeEqual(sha256(presented), expected)) {
        request.adminActor = ADMIN_KEY_ACTOR;
        return;
      }
      throw challenge(reply);
    }
    const sealed = readConsoleCookie(request, options.consoleCookie);
    if (sealed === undefined) throw challenge(reply);
    const check = await checkConsoleSession(options.deps, options.adminKey, sealed);
    if (check.kind === 'invalid') throw challenge(reply);
    assertConsoleRequest(request, options.ownOrigin);
    if (check.renewed) {
      setConsoleCookie(reply, options.consoleCookie, check.renewed, options.deps.clock.now());
    }
    request.adminActor = { kind: 'console', consoleSessionId: check.session.id };
  };
}

function challenge(reply: FastifyReply): TesseraError {
  void reply.header('www-authenticate', `Bearer realm="${ADMIN_REALM}"`);
  return new TesseraError('unauthorized');
}
