import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_STATUS } from './error-codes.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const documented = new Map(
  [...doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((match) => [match[1], Number(match[2])]),
);

describe('docs/errors.md', () => {
  it.each(ERROR_CODES)('documents %s with its status', (code) => {
    expect(documented.get(code)).toBe(ERROR_STATUS[code]);
  });

  it('documents no code that does not exist', () => {
    expect([...documented.keys()].sort()).toEqual([...ERROR_CODES].sort());
  });
});
