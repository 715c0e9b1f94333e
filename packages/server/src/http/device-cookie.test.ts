import { describe, expect, it } from 'vitest';
import { deviceThrottleId } from '../service/known-device.js';
import { deviceCookieName, ensureDeviceCookie, readDeviceToken } from './device-cookie.js';

const environment = (id: string, secure: boolean) => ({
  id,
  tokenSettings: {
    accessTokenTtlSeconds: 300,
    refreshTokenTtlSeconds: 2_592_000,
    rotationGraceSeconds: 10,
    signingAlgorithm: 'ES256' as const,
    cookie: { name: 'tessera_refresh', sameSite: 'strict' as const, secure },
  },
});

describe('the device cookie', () => {
  it('is named per environment, with __Host- whenever Secure', () => {
    expect(deviceCookieName(environment('default', false))).toBe('tessera_device');
    expect(deviceCookieName(environment('staging', false))).toBe('tessera_device_staging');
    expect(deviceCookieName(environment('default', true))).toBe('__Host-tessera_device');
  });

  it('keeps a well-formed token and its environment’s attributes; makes a new one otherwise', () => {
    const env = environment('staging', true);
    const token = 'x'.repeat(43);
    const kept = ensureDeviceCookie(`__Host-tessera_device_staging=${token}`, env);
    expect(kept.token).toBe(token);
    expect(kept.setCookie).toBe(
      `__Host-tessera_device_staging=${token}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Strict; Secure`,
    );
    // Another environment's cookie is not this one's.
    expect(ensureDeviceCookie(`__Host-tessera_device=${token}`, env).token).not.toBe(token);
    expect(readDeviceToken('__Host-tessera_device_staging=short', env)).toBeUndefined();
  });

  it('stores a hash: the throttle id never contains the token', () => {
    const token = ensureDeviceCookie(undefined, environment('default', false)).token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(deviceThrottleId(token)).not.toContain(token);
    expect(deviceThrottleId(token)).toBe(deviceThrottleId(token));
  });
});
