import { randomBytes } from 'node:crypto';

/** A 128-bit random identifier, base64url (SES-05: CSPRNG, ≥ 128 bits). */
export function randomId(prefix = ''): string {
  return prefix + randomBytes(16).toString('base64url');
}
