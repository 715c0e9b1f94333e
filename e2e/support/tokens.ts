/** What a JWT says, decoded in Node without verifying it: the tests read the tokens they were given. */

/** The payload of a JWT. */
export function claimsOf(token: string | null): Record<string, unknown> {
  if (token === null) throw new Error('there is no access token');
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** The `kid` of a JWT's header: the key that signed it. */
export function kidOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
}
