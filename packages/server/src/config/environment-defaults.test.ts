import { describe, expect, it } from 'vitest';
import { defaultSessionPolicy, defaultTokenSettings } from './environment-defaults.js';
import { loadConfig } from './load-config.js';
import { validateSessionPolicy, validateTokenSettings } from './settings-rules.js';

const config = loadConfig(
  { TESSERA_ACCESS_TOKEN_TTL_SECONDS: '600', TESSERA_SIGNING_ALGORITHM: 'EdDSA' },
  { cwd: '/' },
);

describe('defaultTokenSettings', () => {
  it('takes lifetimes and algorithm from the configuration', () => {
    expect(defaultTokenSettings(config, { envId: 'default', baseUrl: 'https://auth.example.com' })).toEqual({
      accessTokenTtlSeconds: 600,
      refreshTokenTtlSeconds: 2_592_000,
      rotationGraceSeconds: 10,
      signingAlgorithm: 'EdDSA',
      cookie: { name: 'tessera_refresh', sameSite: 'lax', secure: true },
    });
  });

  it('names the cookie after the environment, except in the default one', () => {
    const named = (envId: string) =>
      defaultTokenSettings(config, { envId, baseUrl: 'https://a.example' }).cookie.name;
    expect(named('default')).toBe('tessera_refresh');
    expect(named('staging')).toBe('tessera_refresh_staging');
    expect(named('prod-eu')).toBe('tessera_refresh_prod-eu');
  });

  it.each([
    ['http://localhost:4000', false],
    ['http://127.0.0.1:4000/env/dev', false],
    ['http://[::1]:4000', false],
    ['https://localhost:4000', true],
    ['https://auth.example.com', true],
    ['http://auth.example.com', true],
    ['http://localhost.example.com', true],
  ])('for %s sets secure = %s', (baseUrl, secure) => {
    expect(defaultTokenSettings(config, { envId: 'dev', baseUrl }).cookie.secure).toBe(secure);
  });

  it('produces settings that the admin API rules accept', () => {
    for (const baseUrl of ['http://localhost:4000', 'https://auth.example.com/env/staging']) {
      expect(
        validateTokenSettings(defaultTokenSettings(config, { envId: 'staging', baseUrl }), { baseUrl }),
      ).toEqual([]);
    }
  });
});

describe('defaultSessionPolicy', () => {
  it('turns every limit off and evicts the oldest session should a limit be set', () => {
    expect(defaultSessionPolicy()).toEqual({
      idleTimeoutSeconds: null,
      absoluteTimeoutSeconds: null,
      maxConcurrentSessions: null,
      onLimit: 'evict_oldest',
    });
    expect(validateSessionPolicy(defaultSessionPolicy())).toEqual([]);
  });

  it('returns a fresh object each time', () => {
    const policy = defaultSessionPolicy();
    policy.idleTimeoutSeconds = 60;
    expect(defaultSessionPolicy().idleTimeoutSeconds).toBeNull();
  });
});
