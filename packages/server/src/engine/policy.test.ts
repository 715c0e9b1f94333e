import { describe, expect, it } from 'vitest';
import { membership, policy } from './fixtures.test-helpers.js';
import {
  lapsePolicies,
  memberPolicies,
  type SessionPolicy,
  shortestTimeouts,
  strictest,
  type TenantPolicyOverride,
  tenantPolicy,
  userPolicy,
} from './policy.js';

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

  const env = policy({ idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600, maxConcurrentSessions: 5 });
  const withTenants = (...overrides: TenantPolicyOverride[]) =>
    overrides.map((o, i) => membership(`t${i}`, o));

  it.each<[string, TenantPolicyOverride[], Partial<SessionPolicy>[], ReturnType<typeof userPolicy>]>([
    [
      'no tenant: no tenant policy, the environment governs the user',
      [],
      [],
      {
        absoluteTimeoutSeconds: 3600,
        maxConcurrentSessions: 5,
        onLimit: 'evict_oldest',
      },
    ],
    [
      'a tenant that overrides nothing inherits every limit',
      [{}],
      [env],
      {
        absoluteTimeoutSeconds: 3600,
        maxConcurrentSessions: 5,
        onLimit: 'evict_oldest',
      },
    ],
    [
      'a stricter tenant limit (below the environment) governs the user',
      [{ absoluteTimeoutSeconds: 3599, maxConcurrentSessions: 4 }],
      [{ absoluteTimeoutSeconds: 3599, maxConcurrentSessions: 4 }],
      {
        absoluteTimeoutSeconds: 3599,
        maxConcurrentSessions: 4,
        onLimit: 'evict_oldest',
      },
    ],
    [
      'a looser tenant limit (above the environment) governs too: a tenant override replaces, not tightens',
      [{ absoluteTimeoutSeconds: 3601, maxConcurrentSessions: 6 }],
      [{ absoluteTimeoutSeconds: 3601, maxConcurrentSessions: 6 }],
      {
        absoluteTimeoutSeconds: 3601,
        maxConcurrentSessions: 6,
        onLimit: 'evict_oldest',
      },
    ],
    [
      'across tenants, the smaller of two limits one second apart wins',
      [{ absoluteTimeoutSeconds: 100 }, { absoluteTimeoutSeconds: 99 }],
      [{ absoluteTimeoutSeconds: 100 }, { absoluteTimeoutSeconds: 99 }],
      {
        absoluteTimeoutSeconds: 99,
        maxConcurrentSessions: 5,
        onLimit: 'evict_oldest',
      },
    ],
    [
      'reject at a limit one above the strictest does not count',
      [{ maxConcurrentSessions: 2 }, { maxConcurrentSessions: 3, onLimit: 'reject' }],
      [
        { maxConcurrentSessions: 2, onLimit: 'evict_oldest' },
        { maxConcurrentSessions: 3, onLimit: 'reject' },
      ],
      {
        absoluteTimeoutSeconds: 3600,
        maxConcurrentSessions: 2,
        onLimit: 'evict_oldest',
      },
    ],
    [
      'reject at the strictest limit wins over evict_oldest',
      [{ maxConcurrentSessions: 2 }, { maxConcurrentSessions: 2, onLimit: 'reject' }],
      [{ onLimit: 'evict_oldest' }, { onLimit: 'reject' }],
      {
        absoluteTimeoutSeconds: 3600,
        maxConcurrentSessions: 2,
        onLimit: 'reject',
      },
    ],
  ])('memberPolicies: %s', (_name, overrides, tenants, user) => {
    const combined = memberPolicies(env, withTenants(...overrides));
    expect(combined.user).toEqual(user);
    expect(combined.tenants).toHaveLength(tenants.length);
    combined.tenants.forEach((tenant, i) => {
      expect(tenant).toMatchObject(tenants[i] ?? {});
      // Each tenant's own policy is its overrides over the environment's, one at a time.
      expect(tenant).toEqual(tenantPolicy(env, overrides[i] ?? {}));
    });
  });

  it('lapsePolicies: the member policies with the refresh-token lifetime of the environment', () => {
    const memberships = withTenants({ idleTimeoutSeconds: 60 });
    expect(
      lapsePolicies({ sessionPolicy: env, tokenSettings: { refreshTokenTtlSeconds: 86_400 } }, memberships),
    ).toEqual({ ...memberPolicies(env, memberships), refreshTokenTtlSeconds: 86_400 });
  });

  it.each<[string, Partial<SessionPolicy>, TenantPolicyOverride[], [number | null, number | null]]>([
    ['off everywhere', {}, [{}], [null, null]],
    ['the environment only', { idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600 }, [], [600, 3600]],
    ['a tenant inheriting does not change it', { idleTimeoutSeconds: 600 }, [{}], [600, null]],
    [
      'a tenant one second shorter than the environment',
      { idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600 },
      [{ idleTimeoutSeconds: 599, absoluteTimeoutSeconds: 3599 }],
      [599, 3599],
    ],
    [
      'a tenant one second longer than the environment: the environment (users with no tenant) stays shortest',
      { idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600 },
      [{ idleTimeoutSeconds: 601, absoluteTimeoutSeconds: 3601 }],
      [600, 3600],
    ],
    [
      'a tenant turning on a limit the environment leaves off',
      {},
      [{ idleTimeoutSeconds: 60 }, { absoluteTimeoutSeconds: 120 }],
      [60, 120],
    ],
    [
      'a null override inherits, it does not turn a limit off',
      { idleTimeoutSeconds: 600 },
      [{ idleTimeoutSeconds: null }],
      [600, null],
    ],
  ])('shortestTimeouts: %s', (_name, environment, tenants, [idle, absolute]) => {
    expect(shortestTimeouts(policy(environment), tenants)).toEqual({
      idleTimeoutSeconds: idle,
      absoluteTimeoutSeconds: absolute,
    });
  });
});
