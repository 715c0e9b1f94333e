import { describe, expect, it } from 'vitest';
import { membership, policy, session, T0, token, user } from './fixtures.test-helpers.js';
import { decideRefresh } from './refresh.js';
import { sessionDeadlines } from './session-deadlines.js';

describe('sessionDeadlines', () => {
  const lastActive = { createdAt: T0, lastActiveAt: T0 + 100, defaultTenantId: 'acme' };

  it.each([
    ['no limits', policy(), [], { idleExpiresAt: null, absoluteExpiresAt: null }],
    [
      'the environment’s limits, for a user in no tenant',
      policy({ idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600 }),
      [],
      { idleExpiresAt: T0 + 700, absoluteExpiresAt: T0 + 3600 },
    ],
    [
      'the idle timeout of the default tenant, not of another',
      policy({ idleTimeoutSeconds: 600 }),
      [membership('beta', { idleTimeoutSeconds: 20 }), membership('acme', { idleTimeoutSeconds: 60 })],
      { idleExpiresAt: T0 + 160, absoluteExpiresAt: null },
    ],
    [
      'the first tenant’s when the default one is gone',
      policy({ idleTimeoutSeconds: 600 }),
      [membership('beta', { idleTimeoutSeconds: 20 })],
      { idleExpiresAt: T0 + 120, absoluteExpiresAt: null },
    ],
    [
      'the strictest absolute timeout across every tenant',
      policy({ absoluteTimeoutSeconds: 86400 }),
      [membership('acme'), membership('beta', { absoluteTimeoutSeconds: 7200 })],
      { idleExpiresAt: null, absoluteExpiresAt: T0 + 7200 },
    ],
  ] as const)('%s', (_name, environmentPolicy, memberships, expected) => {
    expect(sessionDeadlines(lastActive, environmentPolicy, memberships)).toEqual(expected);
  });

  it('agrees with decideRefresh on both sides of each deadline', () => {
    const environmentPolicy = policy({ idleTimeoutSeconds: 60, absoluteTimeoutSeconds: 1000 });
    const memberships = [membership('acme', { idleTimeoutSeconds: 30 })];
    const live = session({ createdAt: T0, lastActiveAt: T0 + 500, defaultTenantId: 'acme' });
    const { idleExpiresAt, absoluteExpiresAt } = sessionDeadlines(live, environmentPolicy, memberships);
    const decide = (now: number, lastActiveAt = live.lastActiveAt) =>
      decideRefresh({
        token: token({ issuedAt: T0, expiresAt: T0 + 100_000 }),
        successor: null,
        session: { ...live, lastActiveAt },
        holder: { kind: 'browser', inSession: true, mayJoin: false },
        user: user(),
        memberships,
        environmentPolicy,
        tokenSettings: { refreshTokenTtlSeconds: 100_000, rotationGraceSeconds: 10 },
        request: { active: false },
        now,
      });
    expect(idleExpiresAt).toBe(T0 + 530);
    expect(decide(T0 + 529).kind).toBe('rotate');
    expect(decide(T0 + 530)).toMatchObject({ kind: 'reject', error: 'idle_timeout' });
    expect(absoluteExpiresAt).toBe(T0 + 1000);
    expect(decide(T0 + 999, T0 + 990).kind).toBe('rotate');
    expect(decide(T0 + 1000, T0 + 990)).toMatchObject({ kind: 'reject', error: 'relogin_required' });
  });
});
