/**
 * Proof Key for Code Exchange, S256 only (RFC 7636; RFC 9700 §2.1.1; security.md AS-05). `plain`
 * is never accepted: it would let an attacker who sees the authorization request redeem the code.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

// RFC 7636 §4.1: code-verifier = 43*128unreserved.
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
// BASE64URL(SHA-256) is 43 characters; 258 bits encode 256, so the last character carries two zero
// bits and can only be one of 16. Anything else cannot be the output of any verifier.
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/**
 * Whether `verifier` is a well-formed code verifier: 43–128 characters of `[A-Za-z0-9-._~]`
 * (RFC 7636 §4.1).
 *
 * @example
 * isValidCodeVerifier('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk') // true
 */
export function isValidCodeVerifier(verifier: string | undefined): verifier is string {
  return verifier !== undefined && CODE_VERIFIER.test(verifier);
}

/**
 * Whether `challenge` is a well-formed S256 code challenge: the 43-character unpadded base64url
 * encoding of a SHA-256 digest (RFC 7636 §4.2).
 *
 * @example
 * isValidCodeChallenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM') // true
 */
export function isValidCodeChallenge(challenge: string | undefined): challenge is string {
  return challenge !== undefined && CODE_CHALLENGE.test(challenge);
}

/**
 * The S256 challenge of a verifier: `BASE64URL(SHA256(ASCII(verifier)))` (RFC 7636 §4.2).
 *
 * @example
 * s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk') // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The input of {@link verifyPkce}: the verifier from the token request, the stored challenge. */
export interface VerifyPkceInput {
  verifier: string;
  challenge: string;
}

/**
 * Whether `verifier` is well-formed and hashes to `challenge`, compared in constant time
 * (RFC 7636 §4.6). A malformed value on either side is a mismatch, never an exception.
 *
 * @example
 * if (!verifyPkce({ verifier, challenge: code.codeChallenge })) return { error: 'invalid_grant' }
 */
export function verifyPkce({ verifier, challenge }: VerifyPkceInput): boolean {
  if (!isValidCodeVerifier(verifier) || !isValidCodeChallenge(challenge)) return false;
  const expected = Buffer.from(challenge, 'ascii');
  const actual = Buffer.from(s256Challenge(verifier), 'ascii');
  return timingSafeEqual(expected, actual);
}
