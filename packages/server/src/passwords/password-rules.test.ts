import { describe, expect, it } from 'vitest';
import {
  COMMON_PASSWORD_MESSAGE,
  checkNewPassword,
  isCommonPassword,
  isWithinMaxPasswordLength,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from './password-rules.js';

describe('checkNewPassword', () => {
  it.each([
    ['7 characters', 'x'.repeat(MIN_PASSWORD_LENGTH - 1), 'Use at least 8 characters.'],
    ['8 characters', 'xq7mzv0k', null],
    ['64 characters', 'x'.repeat(64), null],
    ['1024 characters', 'x'.repeat(MAX_PASSWORD_LENGTH), null],
    ['1025 characters', 'x'.repeat(MAX_PASSWORD_LENGTH + 1), 'Use at most 1024 characters.'],
    ['1 MB', 'x'.repeat(1_000_000), 'Use at most 1024 characters.'],
    ['4 emoji (8 UTF-16 units, 4 characters)', '🔑🔑🔑🔑', 'Use at least 8 characters.'],
    ['1024 emoji (2048 UTF-16 units)', '🔑'.repeat(MAX_PASSWORD_LENGTH), null],
    ['1025 emoji', '🔑'.repeat(MAX_PASSWORD_LENGTH + 1), 'Use at most 1024 characters.'],
  ])('%s → %j', (_, password, expected) => {
    expect(checkNewPassword(password)).toBe(expected);
  });
});

describe('isWithinMaxPasswordLength', () => {
  it('is true up to the cap and false after it', () => {
    expect(isWithinMaxPasswordLength('x'.repeat(MAX_PASSWORD_LENGTH))).toBe(true);
    expect(isWithinMaxPasswordLength('x'.repeat(MAX_PASSWORD_LENGTH + 1))).toBe(false);
  });
});

describe('AUTH-08: common and breached passwords', () => {
  it.each(['12345678', 'password', 'qwertyuiop', 'iloveyou', 'sunshine', 'football'])(
    '%s is refused, in any letter case',
    (password) => {
      expect(checkNewPassword(password)).toBe(COMMON_PASSWORD_MESSAGE);
      expect(checkNewPassword(password.toUpperCase())).toBe(COMMON_PASSWORD_MESSAGE);
      expect(isCommonPassword(`${password[0]?.toUpperCase()}${password.slice(1)}`)).toBe(true);
    },
  );

  it('a passphrase, or a listed password with more to it, is not common', () => {
    expect(checkNewPassword('correct horse battery staple')).toBeNull();
    expect(checkNewPassword('password is not my password')).toBeNull();
    expect(isCommonPassword('a brand new passphrase')).toBe(false);
  });

  it('the message never repeats the password', () => {
    expect(COMMON_PASSWORD_MESSAGE).not.toMatch(/12345678|qwerty/);
  });
});
