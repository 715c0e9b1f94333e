import { describe, expect, it } from 'vitest';
import { policy } from './fixtures.test-helpers.js';
import { strictest, tenantPolicy, userPolicy } from './policy.js';

describe('policy', () => {
  it('a tenant override replaces the environment value; absent or null inherits', () => {
    const env = policy({ idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600 });
    expect(tenantPolicy(env, { idleTimeoutSeconds: 60 })).toMatchObject({
      idleTimeoutSeconds: 60,
      absoluteTimeoutSeconds: 3600,
    });
    expect(tenantPolicy(env, { idleTimeoutSeconds: null })).toMatchObject({ idleTimeoutSeconds: 600 });
  });

  it.each([
    [[null, null], null],
    [[null, 5], 5],
    [[7, 5, null], 5],
  ] as const)('strictest(%j) = %j', (values, expected) => {
    expect(strictest(values)).toBe(expected);
  });

  it('the user policy is the strictest across tenants; reject wins at the strictest limit', () => {
    const env = policy({ maxConcurrentSessions: 5, absoluteTimeoutSeconds: 86400 });
    expect(
      userPolicy(env, [
        { maxConcurrentSessions: 2, onLimit: 'evict_oldest' },
        { maxConcurrentSessions: 2, onLimit: 'reject', absoluteTimeoutSeconds: 3600 },
        { maxConcurrentSessions: 3, onLimit: 'reject' },
      ]),
    ).toEqual({ absoluteTimeoutSeconds: 3600, maxConcurrentSessions: 2, onLimit: 'reject' });
  });

  it('a user with no tenant gets the environment policy', () => {
    expect(userPolicy(policy({ maxConcurrentSessions: 3 }), [])).toMatchObject({ maxConcurrentSessions: 3 });
  });
});
