/**
 * The admin console's session cookie (DESIGN §3.7): HttpOnly, `SameSite=Strict`, `Path=/`, and
 * `Secure` with the `__Host-` prefix whenever the server's public URL is https. Its value is the
 * sealed session (`service/console/console-session.ts`); nothing here can read it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SealedConsoleSession } from '../service/console/console-session.js';
import { readSingleCookie, serializeHostCookie } from './cookies.js';

const CONSOLE_COOKIE = 'tessera_console';

/** Where the console cookie goes: its name, and whether it is `Secure`. */
export interface ConsoleCookie {
  name: string;
  secure: boolean;
}

export function consoleCookie(publicUrl: string): ConsoleCookie {
  const secure = publicUrl.startsWith('https://');
  return { name: secure ? `__Host-${CONSOLE_COOKIE}` : CONSOLE_COOKIE, secure };
}

/** The sealed session the browser sent; `undefined` when absent or sent twice (names no session). */
export function readConsoleCookie(request: FastifyRequest, cookie: ConsoleCookie): string | undefined {
  try {
    return readSingleCookie(request.headers.cookie, cookie.name, 'The console cookie was sent twice.');
  } catch {
    return undefined;
  }
}

export function setConsoleCookie(
  reply: FastifyReply,
  cookie: ConsoleCookie,
  sealed: SealedConsoleSession,
  now: number,
): void {
  void reply.header(
    'set-cookie',
    serializeHostCookie(cookie.name, sealed.value, {
      maxAgeSeconds: sealed.session.expiresAt - now,
      sameSite: 'strict',
      secure: cookie.secure,
    }),
  );
}

export function clearConsoleCookie(reply: FastifyReply, cookie: ConsoleCookie): void {
  void reply.header(
    'set-cookie',
    serializeHostCookie(cookie.name, '', { maxAgeSeconds: 0, sameSite: 'strict', secure: cookie.secure }),
  );
}
