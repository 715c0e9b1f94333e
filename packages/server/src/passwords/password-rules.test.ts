import { describe, expect, it } from 'vitest';
import {
  checkNewPassword,
  isWithinMaxPasswordLength,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from './password-rules.js';

describe('checkNewPassword', () => {
  it.each([
    ['7 characters', 'x'.repeat(MIN_PASSWORD_LENGTH - 1), 'Use at least 8 characters.'],
    ['8 characters', 'x'.repeat(MIN_PASSWORD_LENGTH), null],
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
