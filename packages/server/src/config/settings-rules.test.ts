import { describe, expect, it } from 'vitest';
import type { SessionPolicy } from '../engine/policy.js';
import { validateSessionPolicy, validateTokenSettings } from './settings-rules.js';
import type { CookieSettings, TokenSettings } from './token-settings.js';

const HTTPS = { baseUrl: 'https://auth.example.com' };
const LOCAL = { baseUrl: 'http://localhost:4000' };

const valid: TokenSettings = {
  accessTokenTtlSeconds: 300,
  refreshTokenTtlSeconds: 2_592_000,
  rotationGraceSeconds: 10,
  signingAlgorithm: 'ES256',
  cookie: { name: 'tessera_refresh', sameSite: 'lax', secure: true },
};

type Change = Omit<Partial<TokenSettings>, 'cookie'> & { cookie?: Partial<CookieSettings> };

function withChange(change: Change): TokenSettings {
  return { ...valid, ...change, cookie: { ...valid.cookie, ...change.cookie } };
}

describe('validateTokenSettings', () => {
  it('accepts the defaults', () => {
    expect(validateTokenSettings(valid, HTTPS)).toEqual([]);
  });

  it.each<[string, Change, string]>([
    [
      'an access TTL of 9',
      { accessTokenTtlSeconds: 9 },
      'accessTokenTtlSeconds must be an integer from 10 to 86400',
    ],
    [
      'an access TTL of 86401',
      { accessTokenTtlSeconds: 86_401 },
      'accessTokenTtlSeconds must be an integer from 10 to 86400',
    ],
    ['a fractional access TTL', { accessTokenTtlSeconds: 300.5 }, 'accessTokenTtlSeconds must be an integer'],
    [
      'a refresh TTL of 0',
      { refreshTokenTtlSeconds: 0 },
      'refreshTokenTtlSeconds must be a positive integer',
    ],
    [
      'a refresh TTL equal to the access TTL',
      { refreshTokenTtlSeconds: 300 },
      'refreshTokenTtlSeconds must be greater than accessTokenTtlSeconds',
    ],
    ['a grace of -1', { rotationGraceSeconds: -1 }, 'rotationGraceSeconds must be an integer from 0 to 60'],
    ['a grace of 61', { rotationGraceSeconds: 61 }, 'rotationGraceSeconds must be an integer from 0 to 60'],
    [
      'HS256',
      { signingAlgorithm: 'HS256' as TokenSettings['signingAlgorithm'] },
      'signingAlgorithm must be one of',
    ],
    [
      'an unknown SameSite',
      { cookie: { sameSite: 'relaxed' as 'lax' } },
      'cookie.sameSite must be one of lax, strict, none',
    ],
    [
      'SameSite=None without Secure on localhost',
      { cookie: { sameSite: 'none', secure: false } },
      'cookie.sameSite "none" requires cookie.secure',
    ],
    ['an insecure cookie on https', { cookie: { secure: false } }, 'cookie.secure may be false only when'],
    ['an empty cookie name', { cookie: { name: '' } }, 'cookie.name must be'],
    ['a cookie name with a space', { cookie: { name: 'tessera refresh' } }, 'cookie.name must be'],
    ['a cookie name with a semicolon', { cookie: { name: 'a;b' } }, 'cookie.name must be'],
    ['a cookie name with the __Host- prefix', { cookie: { name: '__Host-tessera' } }, 'cookie.name must be'],
    [
      'a cookie name with the __secure- prefix',
      { cookie: { name: '__secure-tessera' } },
      'cookie.name must be',
    ],
  ])('reports %s', (_, change, expected) => {
    const problems = validateTokenSettings(
      withChange(change),
      change.cookie?.sameSite === 'none' ? LOCAL : HTTPS,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('allows an insecure cookie only on plain-http localhost', () => {
    const insecure = withChange({ cookie: { secure: false } });
    for (const baseUrl of ['http://localhost:4000', 'http://127.0.0.1:4000/env/dev', 'http://[::1]:4000']) {
      expect(validateTokenSettings(insecure, { baseUrl })).toEqual([]);
    }
    for (const baseUrl of ['https://localhost:4000', 'http://auth.example.com', 'not a url']) {
      expect(validateTokenSettings(insecure, { baseUrl })).toHaveLength(1);
    }
  });

  it('allows SameSite=None with Secure, and Strict either way', () => {
    expect(validateTokenSettings(withChange({ cookie: { sameSite: 'none' } }), HTTPS)).toEqual([]);
    expect(
      validateTokenSettings(withChange({ cookie: { sameSite: 'strict', secure: false } }), LOCAL),
    ).toEqual([]);
  });

  it('reports every problem at once', () => {
    const problems = validateTokenSettings(
      withChange({
        accessTokenTtlSeconds: 9,
        rotationGraceSeconds: 90,
        cookie: { sameSite: 'none', secure: false },
      }),
      HTTPS,
    );
    expect(problems).toHaveLength(4);
  });
});

describe('validateSessionPolicy', () => {
  it.each<[string, Partial<SessionPolicy>]>([
    ['an empty patch', {}],
    [
      'every limit off',
      { idleTimeoutSeconds: null, absoluteTimeoutSeconds: null, maxConcurrentSessions: null },
    ],
    [
      'every limit on',
      {
        idleTimeoutSeconds: 1800,
        absoluteTimeoutSeconds: 43_200,
        maxConcurrentSessions: 3,
        onLimit: 'reject',
      },
    ],
    [
      'an absolute timeout shorter than the idle timeout',
      { idleTimeoutSeconds: 3600, absoluteTimeoutSeconds: 600 },
    ],
    ['limits of 1', { idleTimeoutSeconds: 1, absoluteTimeoutSeconds: 1, maxConcurrentSessions: 1 }],
  ])('accepts %s', (_, policy) => {
    expect(validateSessionPolicy(policy)).toEqual([]);
  });

  it.each<[string, Partial<SessionPolicy>, string]>([
    [
      'an idle timeout of 0',
      { idleTimeoutSeconds: 0 },
      'idleTimeoutSeconds must be a positive integer or null',
    ],
    [
      'a negative absolute timeout',
      { absoluteTimeoutSeconds: -5 },
      'absoluteTimeoutSeconds must be a positive integer or null',
    ],
    [
      'a fractional session limit',
      { maxConcurrentSessions: 1.5 },
      'maxConcurrentSessions must be a positive integer or null',
    ],
    [
      'a string',
      { idleTimeoutSeconds: '60' as unknown as number },
      'idleTimeoutSeconds must be a positive integer or null',
    ],
    ['an unknown onLimit', { onLimit: 'deny' as 'reject' }, 'onLimit must be one of evict_oldest, reject'],
  ])('reports %s', (_, policy, expected) => {
    expect(validateSessionPolicy(policy)).toEqual([expected]);
  });
});
