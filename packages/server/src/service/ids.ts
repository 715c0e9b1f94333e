import { randomBytes } from 'node:crypto';

/**
 * A 128-bit random identifier, base64url (SES-05: CSPRNG, ≥ 128 bits). Never one that begins with
 * `-`: a command line would read it as an option (`tessera sessions end -Air…`). Drawing again
 * keeps the ids uniform over the rest (about 127.98 bits).
 */
export function randomId(prefix = ''): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return prefix + id;
  }
}
