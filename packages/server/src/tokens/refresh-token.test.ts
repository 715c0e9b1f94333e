import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveSecrets } from '../keys/secret.js';
import {
  deriveSuccessorToken,
  generateRefreshToken,
  hashRefreshToken,
  isWellFormedRefreshToken,
} from './refresh-token.js';

const { refreshSuccessorKey } = deriveSecrets(Buffer.alloc(32, 1));
const otherSuccessorKey = deriveSecrets(Buffer.alloc(32, 2)).refreshSuccessorKey;

describe('generateRefreshToken', () => {
  it('is 256 bits from the CSPRNG, as 43 base64url characters that round-trip', () => {
    const token = generateRefreshToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const bytes = Buffer.from(token, 'base64url');
    expect(bytes.length * 8).toBeGreaterThanOrEqual(256);
    expect(bytes.toString('base64url')).toBe(token);
  });

  it('does not repeat in 100 000 samples, and every sample is well formed', () => {
    const seen = new Set<string>();
    let malformed = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const token = generateRefreshToken();
      if (!isWellFormedRefreshToken(token)) malformed += 1;
      seen.add(token);
    }
    expect(seen.size).toBe(100_000);
    expect(malformed).toBe(0);
  });
});

describe('hashRefreshToken', () => {
  it('is SHA-256 of the token, base64url', () => {
    const token = generateRefreshToken();
    const expected = createHash('sha256').update(Buffer.from(token, 'ascii')).digest('base64url');
    expect(hashRefreshToken(token)).toBe(expected);
    expect(hashRefreshToken(token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashRefreshToken('x'.repeat(43))).toBe('zAscLGbzu5_RoIHGJrob72L2-WRBpDvhUmhSN3asJqE');
  });
});

describe('deriveSuccessorToken', () => {
  it('is deterministic: a replay of the predecessor derives the same successor', () => {
    const presented = generateRefreshToken();
    const successor = deriveSuccessorToken(presented, refreshSuccessorKey);
    expect(deriveSuccessorToken(presented, refreshSuccessorKey)).toBe(successor);
    expect(hashRefreshToken(deriveSuccessorToken(presented, refreshSuccessorKey))).toBe(
      hashRefreshToken(successor),
    );
  });

  it('is a well-formed refresh token, distinct from its predecessor and from the stored hash', () => {
    const presented = generateRefreshToken();
    const successor = deriveSuccessorToken(presented, refreshSuccessorKey);
    expect(isWellFormedRefreshToken(successor)).toBe(true);
    expect(successor).not.toBe(presented);
    expect(successor).not.toBe(hashRefreshToken(presented));
  });

  it('depends on the key: another server secret derives an unrelated successor', () => {
    const presented = generateRefreshToken();
    expect(deriveSuccessorToken(presented, otherSuccessorKey)).not.toBe(
      deriveSuccessorToken(presented, refreshSuccessorKey),
    );
  });

  it('differs for different predecessors', () => {
    const a = generateRefreshToken();
    const b = generateRefreshToken();
    expect(deriveSuccessorToken(a, refreshSuccessorKey)).not.toBe(
      deriveSuccessorToken(b, refreshSuccessorKey),
    );
  });
});

describe('isWellFormedRefreshToken', () => {
  const valid = generateRefreshToken().replace(/.$/, 'A');

  it.each([
    ['a 42-character value', valid.slice(1)],
    ['a 44-character value', `${valid}A`],
    ['standard base64 characters', `+/${valid.slice(2)}`],
    ['padding', `${valid.slice(0, 42)}=`],
    ['a non-canonical last character', `${valid.slice(0, 42)}B`],
    ['whitespace', ` ${valid.slice(1)}`],
    ['a trailing newline', `${valid.slice(0, 42)}A\n`],
    ['non-ASCII', `é${valid.slice(1)}`],
    ['the empty string', ''],
    ['a number', 42],
    ['undefined', undefined],
    ['an object', { toString: () => valid }],
  ])('refuses %s', (_, value) => {
    expect(isWellFormedRefreshToken(value)).toBe(false);
  });

  it('accepts a canonical 43-character base64url value', () => {
    expect(isWellFormedRefreshToken(valid)).toBe(true);
  });
});
