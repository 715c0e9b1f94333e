import { describe, expect, it } from 'vitest';
import { parseScope } from './scope.js';

describe('parseScope', () => {
  it.each([
    [undefined, { ok: true, scopes: [] }],
    ['', { ok: true, scopes: [] }],
    ['openid', { ok: true, scopes: ['openid'] }],
    ['email openid email', { ok: true, scopes: ['email', 'openid'] }],
    [' openid  profile ', { ok: true, scopes: ['openid', 'profile'] }],
    ['openid offline_access', { ok: true, scopes: ['openid', 'offline_access'] }],
    ['openid admin', { ok: false, reason: 'unknown' }],
    ['Openid', { ok: false, reason: 'unknown' }],
    ['openid\temail', { ok: false, reason: 'unknown' }],
    ['__proto__', { ok: false, reason: 'unknown' }],
    [Array(20).fill('email').join(' '), { ok: true, scopes: ['email'] }],
    [Array(21).fill('email').join(' '), { ok: false, reason: 'too_many' }],
    [Array(1000).fill('x').join(' '), { ok: false, reason: 'too_many' }],
  ])('AS-12: %j', (raw, expected) => {
    expect(parseScope(raw)).toEqual(expected);
  });
});
