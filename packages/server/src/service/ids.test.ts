import { describe, expect, it } from 'vitest';
import { randomId } from './ids.js';

describe('randomId', () => {
  it('is 22 base64url characters after its prefix, and never begins with "-" (a command line would read an option)', () => {
    // About 1 id in 64 would begin with "-" if nothing prevented it: 20,000 draws miss that
    // with a probability below 1e-130.
    const ids = Array.from({ length: 20_000 }, () => randomId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(randomId('cs_')).toMatch(/^cs_[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
