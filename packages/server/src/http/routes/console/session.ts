/**
 * `/console/api/session` (DESIGN §3.7): the admin key in, a console session cookie out. The key is
 * checked once and never stored, echoed or logged; the cookie is all the console holds.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TesseraError } from '../../../errors.js';
import { checkConsoleSession } from '../../../service/console/console-session.js';
import { signInToConsole } from '../../../service/console/sign-in.js';
import type { SharedDeps } from '../../../service/deps.js';
import {
  type ConsoleCookie,
  clearConsoleCookie,
  readConsoleCookie,
  setConsoleCookie,
} from '../../console-cookie.js';
import { assertConsoleRequest } from '../../csrf.js';
import { allowOnly } from '../../methods.js';
import { unhandledOutcome } from '../../unhandled-outcome.js';

export const CONSOLE_SESSION_PATH = '/console/api/session';

const SignInBody = Type.Object(
  { adminKey: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
type SignInBody = Static<typeof SignInBody>;

export interface ConsoleSessionRoutesOptions {
  deps: SharedDeps;
  adminKey: string;
  cookie: ConsoleCookie;
  ownOrigin: string;
}

export async function consoleSessionRoutes(
  app: FastifyInstance,
  { deps, adminKey, cookie, ownOrigin }: ConsoleSessionRoutesOptions,
): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    assertConsoleRequest(request, ownOrigin);
  });

  app.post<{ Body: SignInBody }>(
    CONSOLE_SESSION_PATH,
    { schema: { body: SignInBody } },
    async (request, reply) => {
      const outcome = await signInToConsole(request.deps, {
        presentedKey: request.body.adminKey,
        adminKey,
        ip: request.ip,
      });
      switch (outcome.kind) {
        case 'signed_in':
          setConsoleCookie(reply, cookie, outcome.sealed, deps.clock.now());
          return reply.status(204).send();
        case 'refused':
          throw new TesseraError('unauthorized', { message: 'The admin key is not correct.' });
        case 'rate_limited':
          throw new TesseraError('rate_limited', { retryAfterSeconds: outcome.retryAfterSeconds });
        default:
          return unhandledOutcome(outcome);
      }
    },
  );

  app.get(CONSOLE_SESSION_PATH, async (request, reply) => {
    const check = await checkConsoleSession(deps, adminKey, readConsoleCookie(request, cookie));
    if (check.kind === 'invalid') throw new TesseraError('unauthorized');
    if (check.renewed) setConsoleCookie(reply, cookie, check.renewed, deps.clock.now());
    const { expiresAt } = (check.renewed ?? check).session;
    return { expiresAt: new Date(expiresAt * 1000).toISOString() };
  });

  // Signing out forgets the cookie in this browser. The session is sealed, not stored: a copy
  // taken before stays valid until it expires (at most 30 minutes) or the admin key changes.
  app.delete(CONSOLE_SESSION_PATH, async (_request, reply) => {
    clearConsoleCookie(reply, cookie);
    return reply.status(204).send();
  });

  allowOnly(app, { [CONSOLE_SESSION_PATH]: ['GET', 'POST', 'DELETE'] });
}
