import { describe, expect, it } from 'vitest';
import { MAX_TEXT_BYTES, textInputProblem } from './text-input.js';

describe('the boundary rule for text', () => {
  it.each([
    ['plain text', 'ada@example.com', {}, null],
    ['non-ASCII letters and emoji', 'Zoë 😀 東京', {}, null],
    ['a paired surrogate at the end', 'x\ud83d\ude00', {}, null],
    ['NUL', 'ada@example.com\u0000', {}, 'control_character'],
    ['NUL even where line breaks are allowed', 'a\u0000b', { allowLineBreaks: true }, 'control_character'],
    ['ESC', 'a\u001bb', {}, 'control_character'],
    ['a line feed in a URL or header', 'a\nb', {}, 'control_character'],
    ['a line feed, tab and CR in a body', 'a\nb\tc\r', { allowLineBreaks: true }, null],
    ['a lone high surrogate', 'a\ud800', {}, 'unpaired_surrogate'],
    ['a lone low surrogate', '\udc00a', {}, 'unpaired_surrogate'],
    ['swapped surrogates', '\ude00\ud83d', {}, 'unpaired_surrogate'],
    ['exactly the limit in ASCII', 'a'.repeat(MAX_TEXT_BYTES), {}, null],
    ['one byte over in ASCII', 'a'.repeat(MAX_TEXT_BYTES + 1), {}, 'too_long'],
    ['exactly the limit in two-byte letters', 'é'.repeat(MAX_TEXT_BYTES / 2), {}, null],
    ['over the limit in two-byte letters', 'é'.repeat(MAX_TEXT_BYTES / 2 + 1), {}, 'too_long'],
    ['a 10 KB email', `${'a'.repeat(10_000)}@example.com`, {}, 'too_long'],
  ] as const)('%s', (_name, value, options, expected) => {
    expect(textInputProblem(value, options)).toBe(expected);
  });
});
