import { parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { ARGON2_PARAMETERS, hashPassword, verifyPassword, verifyPasswordAgainstNobody } from './hash.js';
import { MAX_PASSWORD_LENGTH } from './password-rules.js';

describe('hashPassword', () => {
  it('produces an argon2id PHC string with the OWASP parameters', async () => {
    const passwordHash = await hashPassword('correct horse battery staple');
    expect(passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const parsed = parseOptions(passwordHash);
    expect(parsed.memoryCost).toBe(ARGON2_PARAMETERS.memoryCostKiB);
    expect(parsed.timeCost).toBe(ARGON2_PARAMETERS.timeCost);
    expect(parsed.parallelism).toBe(ARGON2_PARAMETERS.parallelism);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('refuses a password over the cap without echoing it', async () => {
    const password = 'p'.repeat(MAX_PASSWORD_LENGTH + 1);
    const error = await hashPassword(password).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(String(error)).not.toContain('ppppp');
  });
});

describe('verifyPassword', () => {
  it('accepts the right password and rejects a wrong one', async () => {
    const passwordHash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(passwordHash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(passwordHash, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword(passwordHash, 'Correct horse battery staple')).toBe(false);
  });

  it.each(['', 'not a hash', '$argon2id$v=19$m=19456,t=2,p=1$garbage', '$2b$10$abcdefghijklmnopqrstuv'])(
    'returns false for the malformed hash %j instead of throwing',
    async (malformed) => {
      expect(await verifyPassword(malformed, 'whatever')).toBe(false);
    },
  );

  it('does not truncate: two passwords sharing a 72-byte prefix do not both verify (AUTH-07)', async () => {
    const prefix = 'a'.repeat(72);
    const passwordHash = await hashPassword(`${prefix}-one`);
    expect(await verifyPassword(passwordHash, `${prefix}-one`)).toBe(true);
    expect(await verifyPassword(passwordHash, `${prefix}-two`)).toBe(false);
    expect(await verifyPassword(passwordHash, prefix)).toBe(false);
  });

  it('accepts 64-character and maximum-length passwords', async () => {
    for (const password of ['x'.repeat(64), '🔑'.repeat(MAX_PASSWORD_LENGTH)]) {
      expect(await verifyPassword(await hashPassword(password), password)).toBe(true);
    }
  });

  it('treats the composed and decomposed forms of a character as the same password', async () => {
    const passwordHash = await hashPassword('caf\u00e9 au lait');
    expect(await verifyPassword(passwordHash, 'cafe\u0301 au lait')).toBe(true);
  });

  it('returns false for an over-long password before hashing it', async () => {
    const passwordHash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(passwordHash, 'x'.repeat(1_000_000))).toBe(false);
  });
});

describe('verifyPasswordAgainstNobody', () => {
  it('always answers false, including for the empty password', async () => {
    expect(await verifyPasswordAgainstNobody('correct horse battery staple')).toBe(false);
    expect(await verifyPasswordAgainstNobody('')).toBe(false);
  });
});
