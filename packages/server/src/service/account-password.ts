/**
 * Changing one's own password on the account page (docs/account.md). The current password
 * re-authenticates through the login's own check, so it is throttled like a sign-in (AUTH-06); the
 * new one follows the rules of every new password (passwords/password-rules.ts); and every other
 * session of the user ends (`password_changed`, SES-13) — after the new hash is stored, so one
 * opened with the old password in between ends too. This browser's session stays.
 */
import { hashPassword } from '../passwords/hash.js';
import { checkNewPassword } from '../passwords/password-rules.js';
import type { ServiceDeps } from './deps.js';
import { recordEvent } from './events.js';
import { authenticateWithPassword } from './login.js';
import type { SessionOwner } from './self-service.js';

export interface ChangeOwnPasswordInput {
  currentPassword: string;
  newPassword: string;
  /** The new password typed again. */
  confirmation: string;
  ip: string;
  userAgent?: string | null | undefined;
  /** The browser's device cookie: a known device keeps its own throttle budget. */
  deviceToken?: string | undefined;
}

export type ChangeOwnPasswordOutcome =
  | { kind: 'changed'; endedSessions: number }
  /** The new password breaks a rule; `message` is fit to show and never repeats it. */
  | { kind: 'weak_password'; message: string }
  | { kind: 'confirmation_mismatch' }
  | { kind: 'wrong_password' }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  /** The user was deleted meanwhile, or the email now belongs to no one: nothing changed. */
  | { kind: 'unknown_user' };

/**
 * Checks the new password first (no cost, no attempt counted), then the current one, then stores
 * the new hash and ends the other sessions. Nothing changes unless it returns `changed`.
 */
export async function changeOwnPassword(
  deps: ServiceDeps,
  owner: SessionOwner,
  input: ChangeOwnPasswordInput,
): Promise<ChangeOwnPasswordOutcome> {
  const { envId, userId, id: sessionId } = owner.session;
  const problem = checkNewPassword(input.newPassword);
  if (problem !== null) return { kind: 'weak_password', message: problem };
  if (input.confirmation !== input.newPassword) return { kind: 'confirmation_mismatch' };

  const user = await deps.storage.getUser(envId, userId);
  if (!user) return { kind: 'unknown_user' };
  const checked = await authenticateWithPassword(deps, {
    envId,
    email: user.email,
    password: input.currentPassword,
    ip: input.ip,
    userAgent: input.userAgent,
    deviceToken: input.deviceToken,
  });
  if (checked.kind === 'refused')
    return checked.error === 'rate_limited'
      ? { kind: 'rate_limited', retryAfterSeconds: checked.retryAfterSeconds }
      : { kind: 'wrong_password' };
  if (checked.user.id !== userId) return { kind: 'unknown_user' };

  const passwordHash = await hashPassword(input.newPassword);
  if (!(await deps.storage.updateUser(envId, userId, { passwordHash }))) return { kind: 'unknown_user' };
  const ended = await deps.storage.endUserSessions({
    envId,
    userId,
    reason: 'password_changed',
    now: deps.clock.now(),
    exceptSessionId: sessionId,
  });
  for (const sid of ended)
    await recordEvent(deps, {
      type: 'session.ended',
      envId,
      userId,
      sid,
      ip: input.ip,
      userAgent: input.userAgent,
      details: { reason: 'password_changed' },
    });
  return { kind: 'changed', endedSessions: ended.length };
}
