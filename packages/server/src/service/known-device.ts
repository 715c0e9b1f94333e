/**
 * The device cookie of the login throttle (throttle/throttle.ts, issue #9): a random value a
 * browser keeps, so that a browser which logged in to an account before keeps its own budget of
 * attempts while someone else guesses that account's password. It grants nothing by itself: it
 * only tells the throttle which budget an attempt counts in. Neither the cookie nor its id is ever
 * logged; the throttle stores only the id, a hash.
 */
import { createHash, randomBytes } from 'node:crypto';

/** 256 bits, base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function generateDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a cookie value has the shape of a device token (anything else is treated as absent). */
export function isWellFormedDeviceToken(value: string | undefined): value is string {
  return value !== undefined && TOKEN_PATTERN.test(value);
}

/** The id the throttle keeps for a device token: a one-way hash, never the token. */
export function deviceThrottleId(token: string): string {
  return createHash('sha256').update(`tessera-device\n${token}`, 'utf8').digest('base64url');
}
