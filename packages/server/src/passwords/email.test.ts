import { describe, expect, it } from 'vitest';
import { isPlausibleEmail, normalizeEmail } from './email.js';

describe('normalizeEmail', () => {
  it.each([
    ['lower-cases', 'Ada.Lovelace@Example.COM', 'ada.lovelace@example.com'],
    ['trims', '  ada@example.com\t\n', 'ada@example.com'],
    ['maps fullwidth forms, including ＠', 'ＡＤＡ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'ada@example.com'],
    ['trims an ideographic space', '\u3000ada@example.com\u3000', 'ada@example.com'],
    ['composes NFD to the NFC form', 'rene\u0301@example.com', 'ren\u00e9@example.com'],
    ['keeps an NFC form as it is', 'ren\u00e9@example.com', 'ren\u00e9@example.com'],
    ['lower-cases after composing', 'RENE\u0301@EXAMPLE.COM', 'ren\u00e9@example.com'],
  ])('%s', (_, input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it('gives NFD and NFC spellings of one address the same key', () => {
    expect(normalizeEmail('Jose\u0301@example.com')).toBe(normalizeEmail('jos\u00e9@example.com'));
  });
});

describe('isPlausibleEmail', () => {
  it.each([
    ['a plain address', 'ada@example.com', true],
    ['a fullwidth ＠', 'ada＠example.com', true],
    ['surrounding spaces (trimmed)', ' ada@example.com ', true],
    ['no @', 'ada.example.com', false],
    ['two @', 'ada@home@example.com', false],
    ['an empty local part', '@example.com', false],
    ['an empty domain', 'ada@', false],
    ['an inner space', 'ada lovelace@example.com', false],
    ['a tab', 'ada\t@example.com', false],
    ['a control character', 'ada\u0000@example.com', false],
    ['a zero-width joiner', 'ada\u200d@example.com', false],
    ['254 characters', `${'a'.repeat(242)}@example.com`, true],
    ['255 characters', `${'a'.repeat(243)}@example.com`, false],
    ['a huge input', `${'a'.repeat(1_000_000)}@example.com`, false],
  ])('%s → %s', (_, input, expected) => {
    expect(isPlausibleEmail(input)).toBe(expected);
  });
});
