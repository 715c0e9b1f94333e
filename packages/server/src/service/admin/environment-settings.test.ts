import { describe, expect, it } from 'vitest';
import type { TokenSettings } from '../../config/token-settings.js';
import { DEFAULT_SESSION_POLICY } from '../../engine/policy.js';
import {
  applySessionPolicyPatch,
  applyTenantPolicyPatch,
  applyTokenSettingsPatch,
} from './environment-settings.js';

const settings: TokenSettings = {
  accessTokenTtlSeconds: 300,
  refreshTokenTtlSeconds: 2_592_000,
  rotationGraceSeconds: 10,
  signingAlgorithm: 'ES256',
  cookie: { name: 'tessera_refresh', sameSite: 'lax', secure: true },
};

describe('applyTokenSettingsPatch', () => {
  it('changes only the given fields, cookie included, and leaves the input alone', () => {
    const patched = applyTokenSettingsPatch(settings, {
      accessTokenTtlSeconds: 120,
      cookie: { sameSite: 'strict' },
    });
    expect(patched).toEqual({
      ...settings,
      accessTokenTtlSeconds: 120,
      cookie: { name: 'tessera_refresh', sameSite: 'strict', secure: true },
    });
    expect(settings.accessTokenTtlSeconds).toBe(300);
    expect(settings.cookie.sameSite).toBe('lax');
  });

  it('is the identity for an empty patch', () => {
    expect(applyTokenSettingsPatch(settings, {})).toEqual(settings);
  });
});

describe('applySessionPolicyPatch', () => {
  it('sets limits, and null turns one off', () => {
    const on = applySessionPolicyPatch(DEFAULT_SESSION_POLICY, {
      idleTimeoutSeconds: 900,
      maxConcurrentSessions: 2,
    });
    expect(on).toEqual({ ...DEFAULT_SESSION_POLICY, idleTimeoutSeconds: 900, maxConcurrentSessions: 2 });
    expect(applySessionPolicyPatch(on, { idleTimeoutSeconds: null })).toEqual({
      ...on,
      idleTimeoutSeconds: null,
    });
  });
});

describe('applyTenantPolicyPatch', () => {
  it('adds overrides, and null removes one so the field inherits again', () => {
    const override = applyTenantPolicyPatch({}, { absoluteTimeoutSeconds: 3600, onLimit: 'reject' });
    expect(override).toEqual({ absoluteTimeoutSeconds: 3600, onLimit: 'reject' });
    const cleared = applyTenantPolicyPatch(override, {
      absoluteTimeoutSeconds: null,
      idleTimeoutSeconds: 600,
    });
    expect(cleared).toEqual({ onLimit: 'reject', idleTimeoutSeconds: 600 });
    expect(Object.hasOwn(cleared, 'absoluteTimeoutSeconds')).toBe(false);
    expect(override).toEqual({ absoluteTimeoutSeconds: 3600, onLimit: 'reject' });
  });

  it('turns a null on creation into no override at all', () => {
    expect(applyTenantPolicyPatch({}, { maxConcurrentSessions: null, onLimit: null })).toEqual({});
  });
});
