import { describe, expect, it } from 'vitest';
import { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secret.js';

describe('client secrets', () => {
  it('are 256 random bits, base64url, and differ each time', () => {
    const secret = generateClientSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(generateClientSecret()).not.toBe(secret);
  });

  it('are stored as a hash that verifies only the same secret', () => {
    const secret = generateClientSecret();
    const hash = hashClientSecret(secret);
    expect(hash).not.toContain(secret);
    expect(verifyClientSecret(hash, secret)).toBe(true);
    const tampered = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(verifyClientSecret(hash, tampered)).toBe(false);
    expect(verifyClientSecret(hash, '')).toBe(false);
    expect(verifyClientSecret('not-a-hash', secret)).toBe(false);
  });
});
