import { describe, expect, it } from 'vitest';
import { policy, session, T0 } from './fixtures.test-helpers.js';
import type { UserPolicy } from './policy.js';
import { decideSessionLimit } from './session-limit.js';

const TTL = 30 * 86400;
const limit2: UserPolicy = {
  absoluteTimeoutSeconds: null,
  maxConcurrentSessions: 2,
  onLimit: 'evict_oldest',
};

describe('decideSessionLimit', () => {
  const older = session({ id: 'a', createdAt: T0, lastActiveAt: T0 + 50 });
  const newer = session({ id: 'b', createdAt: T0 + 10, lastActiveAt: T0 + 20 });

  it('creates under the limit and ends nothing', () => {
    expect(
      decideSessionLimit({
        liveSessions: [older],
        userPolicy: limit2,
        tenantPolicies: [policy()],
        refreshTokenTtlSeconds: TTL,
        now: T0 + 60,
      }),
    ).toEqual({
      kind: 'create',
      end: [],
    });
  });

  it('SES-12b: at the limit, evicts the least recently active session (not the oldest created)', () => {
    expect(
      decideSessionLimit({
        liveSessions: [older, newer],
        userPolicy: limit2,
        tenantPolicies: [policy()],
        refreshTokenTtlSeconds: TTL,
        now: T0 + 60,
      }),
    ).toEqual({ kind: 'create', end: [{ sessionId: 'b', reason: 'evicted' }] });
  });

  it('SES-12b: within one second, the activity order decides, not the session id', () => {
    const sameSecond = (id: string, activityOrder: number) =>
      session({ id, createdAt: T0, lastActiveAt: T0, activityOrder });
    expect(
      decideSessionLimit({
        liveSessions: [sameSecond('a', 3), sameSecond('z', 1), sameSecond('m', 2)],
        userPolicy: limit2,
        tenantPolicies: [policy()],
        refreshTokenTtlSeconds: TTL,
        now: T0,
      }),
    ).toEqual({
      kind: 'create',
      end: [
        { sessionId: 'z', reason: 'evicted' },
        { sessionId: 'm', reason: 'evicted' },
      ],
    });
  });

  it('SES-12a: at the limit with reject, refuses', () => {
    const reject = { ...limit2, onLimit: 'reject' as const };
    expect(
      decideSessionLimit({
        liveSessions: [older, newer],
        userPolicy: reject,
        tenantPolicies: [policy()],
        refreshTokenTtlSeconds: TTL,
        now: T0 + 60,
      }),
    ).toEqual({ kind: 'reject' });
  });

  it('evicts enough to get back under a lowered limit', () => {
    const third = session({ id: 'c', lastActiveAt: T0 + 30 });
    const outcome = decideSessionLimit({
      liveSessions: [older, newer, third],
      userPolicy: { ...limit2, maxConcurrentSessions: 1 },
      tenantPolicies: [policy()],
      refreshTokenTtlSeconds: TTL,
      now: T0 + 60,
    });
    expect(outcome).toEqual({
      kind: 'create',
      end: [
        { sessionId: 'b', reason: 'evicted' },
        { sessionId: 'c', reason: 'evicted' },
        { sessionId: 'a', reason: 'evicted' },
      ],
    });
  });

  it('lapsed sessions are ended with their reason and do not count', () => {
    const absolute = { ...limit2, absoluteTimeoutSeconds: 100 };
    const lapsed = session({ id: 'old', createdAt: T0 - 100, lastActiveAt: T0 });
    const outcome = decideSessionLimit({
      liveSessions: [lapsed, newer],
      userPolicy: absolute,
      tenantPolicies: [policy()],
      refreshTokenTtlSeconds: TTL,
      now: T0 + 60,
    });
    expect(outcome).toEqual({ kind: 'create', end: [{ sessionId: 'old', reason: 'relogin_required' }] });
  });

  it.each([
    [
      'idle under every tenant policy: lapsed',
      [policy({ idleTimeoutSeconds: 30 }), policy({ idleTimeoutSeconds: 40 })],
      'idle_timeout',
    ],
    [
      'idle under one tenant, alive under another: counts',
      [policy({ idleTimeoutSeconds: 30 }), policy({ idleTimeoutSeconds: null })],
      null,
    ],
  ] as const)('%s', (_name, tenantPolicies, reason) => {
    const idle = session({ id: 'idle', lastActiveAt: T0 });
    const outcome = decideSessionLimit({
      liveSessions: [idle],
      userPolicy: limit2,
      tenantPolicies,
      refreshTokenTtlSeconds: TTL,
      now: T0 + 50,
    });
    expect(outcome).toEqual({ kind: 'create', end: reason ? [{ sessionId: 'idle', reason }] : [] });
  });

  it.each([
    ['one second before its refresh token expires: counts', TTL - 1, []],
    [
      'when its refresh token has expired: lapsed (session_expired)',
      TTL,
      [{ sessionId: 'quiet', reason: 'session_expired' }],
    ],
  ] as const)('a session unused for the refresh-token lifetime, %s', (_name, elapsed, end) => {
    const quiet = session({ id: 'quiet', createdAt: T0, lastActiveAt: T0, lastRefreshAt: T0 });
    const outcome = decideSessionLimit({
      liveSessions: [quiet],
      userPolicy: limit2,
      tenantPolicies: [policy()],
      refreshTokenTtlSeconds: TTL,
      now: T0 + elapsed,
    });
    expect(outcome).toEqual({ kind: 'create', end });
  });
});
