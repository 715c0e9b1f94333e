import { describe, expect, it } from 'vitest';
import { parseFormUrlEncoded } from './form-urlencoded.js';

function entries(raw: string) {
  const result = parseFormUrlEncoded(raw);
  return result.ok ? Object.fromEntries(result.params) : result;
}

describe('parseFormUrlEncoded', () => {
  it.each([
    ['', {}],
    ['?', {}],
    ['?a=1&b=2', { a: '1', b: '2' }],
    ['a=1&&b=2&', { a: '1', b: '2' }],
    ['a', { a: '' }],
    ['a=', { a: '' }],
    ['a=x=y', { a: 'x=y' }],
    ['a=1+2%2B3', { a: '1 2+3' }],
    ['%61=%C3%A9', { a: 'é' }],
    ['a=%0D%0A', { a: '\r\n' }],
    ['a=%252E', { a: '%2E' }],
  ])('%j', (raw, expected) => {
    expect(entries(raw)).toEqual(expected);
  });

  it.each([
    ['a=1&a=2', 'a'],
    ['a=1&a=1', 'a'],
    ['a&a', 'a'],
    ['a=1&%61=2', 'a'],
  ])('AS-08: %j repeats %s', (raw, name) => {
    expect(parseFormUrlEncoded(raw)).toEqual({ ok: false, reason: 'repeated', name });
  });

  it.each(['a=%', 'a=%2', 'a=%zz', 'a=%C3', '%FF=1', 'a=%ED%A0%80'])('%j is malformed', (raw) => {
    expect(parseFormUrlEncoded(raw)).toEqual({ ok: false, reason: 'malformed' });
  });
});
