import { describe, expect, it } from 'vitest';
import { parseStrictJson } from './strict-json.js';

describe('parseStrictJson', () => {
  it.each([
    ['{"alg":"ES256","alg":"none"}'],
    ['{"a":{"sub":"x","sub":"y"}}'],
    ['{"alg":"ES256","\\u0061lg":"none"}'],
    ['{"alg":"ES256","\\u0061\\u006C\\u0067":"none"}'],
    ['[{"x":1},{"y":2,"y":3}]'],
  ])('refuses duplicate member names: %s', (text) => {
    expect(parseStrictJson(text)).toEqual({ ok: false, problem: 'duplicate_name' });
  });

  it('allows equal names in sibling objects and equal strings as values', () => {
    expect(parseStrictJson('[{"a":"a"},{"a":"a"}]')).toEqual({ ok: true, value: [{ a: 'a' }, { a: 'a' }] });
    expect(parseStrictJson('{"a":"b","b":"a","c":["a","a"]}')).toMatchObject({ ok: true });
  });

  it('does not take a value, or an escaped quote inside a string, for a name', () => {
    expect(parseStrictJson('{"a":"x\\",\\"a\\":1","b":{"a":1}}')).toMatchObject({ ok: true });
  });

  it('refuses nesting beyond the limit without recursing', () => {
    expect(parseStrictJson(`${'['.repeat(17)}${']'.repeat(17)}`)).toEqual({ ok: false, problem: 'too_deep' });
    expect(parseStrictJson(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toEqual({
      ok: false,
      problem: 'too_deep',
    });
    expect(parseStrictJson(`${'['.repeat(16)}${']'.repeat(16)}`)).toMatchObject({ ok: true });
  });

  it.each([['{"a":1'], ['{"a'], ['\uFEFF{}'], ['{"a":1,}'], ["{'a':1}"], ['']])(
    'refuses bad syntax: %j',
    (text) => {
      expect(parseStrictJson(text)).toEqual({ ok: false, problem: 'syntax' });
    },
  );
});
