/**
 * Secrets of confidential clients: 256 bits from the CSPRNG, shown once, stored as a SHA-256
 * hash. A slow KDF (argon2id) protects low-entropy passwords; a 256-bit random secret cannot be
 * guessed from its hash, so a plain hash suffices and keeps every token request cheap (the same
 * reasoning as for refresh tokens, security.md RT-08).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of the secret, base64url: the form stored in `ClientRecord.secretHash`. */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Whether `presented` is the secret behind `secretHash`, in constant time. */
export function verifyClientSecret(secretHash: string, presented: string): boolean {
  const expected = Buffer.from(secretHash, 'base64url');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
