/**
 * Signing in to the admin console (DESIGN §3.7): the admin key, proven once, is exchanged for a
 * console session; the key itself is not kept anywhere. Wrong keys count in the login throttle
 * (throttle.ts) under an account name no user can have, so guessing is slowed as for passwords,
 * and an operator who signed in from an address before keeps a budget of their own.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ThrottleKey } from '../../throttle/throttle.js';
import type { ServiceDeps } from '../deps.js';
import { type SealedConsoleSession, startConsoleSession } from './console-session.js';

// Environment ids cannot hold '|', so no `${envId}:${email}` login account can spell this.
const CONSOLE_THROTTLE_ACCOUNT = 'console|admin-key';

export interface ConsoleSignInInput {
  presentedKey: string;
  /** `TESSERA_ADMIN_KEY`. */
  adminKey: string;
  /** The client address, from trusted proxies only. */
  ip: string;
}

export type ConsoleSignInOutcome =
  | { kind: 'signed_in'; sealed: SealedConsoleSession }
  | { kind: 'refused' }
  | { kind: 'rate_limited'; retryAfterSeconds: number };

export async function signInToConsole(
  deps: Pick<ServiceDeps, 'secrets' | 'clock' | 'throttle' | 'logger'>,
  input: ConsoleSignInInput,
): Promise<ConsoleSignInOutcome> {
  const throttleKey: ThrottleKey = { account: CONSOLE_THROTTLE_ACCOUNT, ip: input.ip };
  const verdict = await deps.throttle.check(throttleKey);
  if (!verdict.allowed) {
    deps.logger.warn({ event: 'console.sign_in_failed', reason: 'rate_limited' }, 'console sign-in refused');
    return { kind: 'rate_limited', retryAfterSeconds: verdict.retryAfterSeconds };
  }
  if (!sameKey(input.presentedKey, input.adminKey)) {
    await deps.throttle.recordFailure(throttleKey);
    deps.logger.warn({ event: 'console.sign_in_failed', reason: 'wrong_key' }, 'console sign-in refused');
    return { kind: 'refused' };
  }
  await deps.throttle.recordSuccess(throttleKey);
  const sealed = await startConsoleSession(deps, input.adminKey);
  deps.logger.info(
    { event: 'console.signed_in', consoleSessionId: sealed.session.id },
    'console session started',
  );
  return { kind: 'signed_in', sealed };
}

// Both sides hashed first: neither the content nor the length of the key leaks through timing.
function sameKey(presented: string, expected: string): boolean {
  const hash = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(hash(presented), hash(expected));
}
