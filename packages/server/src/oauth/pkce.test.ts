import { describe, expect, it } from 'vitest';
import { isValidCodeChallenge, isValidCodeVerifier, s256Challenge, verifyPkce } from './pkce.js';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('s256Challenge', () => {
  it('matches the RFC 7636 Appendix B vector', () => {
    expect(s256Challenge(VERIFIER)).toBe(CHALLENGE);
  });
});

describe('isValidCodeVerifier', () => {
  it.each([
    ['the RFC 7636 vector', VERIFIER, true],
    ['42 characters', 'a'.repeat(42), false],
    ['43 characters', 'a'.repeat(43), true],
    ['128 characters', 'a'.repeat(128), true],
    ['129 characters', 'a'.repeat(129), false],
    ['every unreserved character', `${'Az09'.repeat(10)}-._~`, true],
    ['empty', '', false],
    ['undefined', undefined, false],
    ['a plus', `${'a'.repeat(42)}+`, false],
    ['a slash', `${'a'.repeat(42)}/`, false],
    ['padding', `${'a'.repeat(42)}=`, false],
    ['a space', `${'a'.repeat(42)} `, false],
    ['a percent escape', `${'a'.repeat(40)}%41`, false],
    ['a non-ASCII letter', `${'a'.repeat(42)}é`, false],
    ['a trailing newline', `${'a'.repeat(43)}\n`, false],
    ['a NUL', `${'a'.repeat(43)}\u0000`, false],
  ] as const)('AS-05: %s', (_case, verifier, valid) => {
    expect(isValidCodeVerifier(verifier)).toBe(valid);
  });
});

describe('isValidCodeChallenge', () => {
  it.each([
    ['the RFC 7636 vector', CHALLENGE, true],
    ['the S256 of a 128-character verifier', s256Challenge('~'.repeat(128)), true],
    ['42 characters', CHALLENGE.slice(0, 42), false],
    ['44 characters', `${CHALLENGE}A`, false],
    ['padded', `${CHALLENGE}=`, false],
    ['standard base64 alphabet', CHALLENGE.replace('-', '+'), false],
    ['a dot', CHALLENGE.replace('-', '.'), false],
    ['a last character no digest can end with', `${CHALLENGE.slice(0, 42)}N`, false],
    ['empty', '', false],
    ['undefined', undefined, false],
  ] as const)('AS-05: %s', (_case, challenge, valid) => {
    expect(isValidCodeChallenge(challenge)).toBe(valid);
  });
});

describe('verifyPkce', () => {
  it('AS-05: accepts the verifier behind the challenge', () => {
    expect(verifyPkce({ verifier: VERIFIER, challenge: CHALLENGE })).toBe(true);
  });

  it.each([
    ['a different verifier', `${VERIFIER.slice(0, -1)}l`, CHALLENGE],
    ['plain: the challenge equals the verifier', VERIFIER, VERIFIER],
    ['a verifier that is too short', 'a'.repeat(42), s256Challenge('a'.repeat(42))],
    ['a verifier that is too long', 'a'.repeat(129), s256Challenge('a'.repeat(129))],
    ['a verifier with illegal characters', `${'a'.repeat(42)}+`, s256Challenge(`${'a'.repeat(42)}+`)],
    ['a malformed challenge', VERIFIER, `${CHALLENGE}=`],
    ['an empty challenge', VERIFIER, ''],
  ])('AS-05: refuses %s', (_case, verifier, challenge) => {
    expect(verifyPkce({ verifier, challenge })).toBe(false);
  });
});
