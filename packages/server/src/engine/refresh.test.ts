import { describe, expect, it } from 'vitest';
import { membership, policy, session, T0, token, user } from './fixtures.test-helpers.js';
import type { DecideRefreshInput } from './refresh.js';
import { decideRefresh, rejectionForEndReason } from './refresh.js';

const settings = { refreshTokenTtlSeconds: 30 * 86400, rotationGraceSeconds: 10 };

function input(overrides: Partial<DecideRefreshInput> = {}): DecideRefreshInput {
  return {
    token: token(),
    successor: null,
    session: session(),
    holder: { kind: 'browser', inSession: true, mayJoin: false },
    user: user(),
    memberships: [membership('acme'), membership('globex')],
    environmentPolicy: policy(),
    tokenSettings: settings,
    request: { active: false },
    now: T0 + 60,
    ...overrides,
  };
}

const rotated = token({ rotatedAt: T0 + 100, successorHash: 'h2' });
const successor = token({ hash: 'h2', issuedAt: T0 + 100 });

describe('decideRefresh', () => {
  it('rotates a current token and keeps the session default tenant', () => {
    const decision = decideRefresh(input());
    expect(decision).toMatchObject({ kind: 'rotate', membership: { tenantId: 'acme' }, activity: false });
  });

  it.each([
    ['RT-03a: replay 9 s after rotation gets the same successor', T0 + 109, 'replay'],
    ['RT-03b: replay at exactly the grace window is reuse', T0 + 110, 'reject'],
  ] as const)('%s', (_name, now, kind) => {
    expect(decideRefresh(input({ token: rotated, successor, now })).kind).toBe(kind);
  });

  it('RT-03c: a grandparent is reuse even inside the grace window, and ends the session', () => {
    const rotatedSuccessor = { ...successor, rotatedAt: T0 + 101, successorHash: 'h3' };
    expect(decideRefresh(input({ token: rotated, successor: rotatedSuccessor, now: T0 + 102 }))).toEqual({
      kind: 'reject',
      error: 'refresh_token_reused',
      end: 'refresh_token_reused',
      tokenKept: false,
    });
  });

  it('RT-02: a superseded token after the window ends the session', () => {
    expect(decideRefresh(input({ token: rotated, successor, now: T0 + 500 }))).toEqual({
      kind: 'reject',
      error: 'refresh_token_reused',
      end: 'refresh_token_reused',
      tokenKept: false,
    });
  });

  it('grace 0 turns replay off', () => {
    const decision = decideRefresh(
      input({
        token: rotated,
        successor,
        now: T0 + 100,
        tokenSettings: { ...settings, rotationGraceSeconds: 0 },
      }),
    );
    expect(decision.kind).toBe('reject');
  });

  it.each([
    ['one second before expiry', T0 + 999, 'rotate'],
    ['at expiry', T0 + 1000, 'reject'],
  ] as const)('refresh-token lifetime: %s', (_name, now, kind) => {
    const decision = decideRefresh(input({ token: token({ expiresAt: T0 + 1000 }), now }));
    expect(decision.kind).toBe(kind);
    if (decision.kind === 'reject')
      expect(decision).toMatchObject({ error: 'session_expired', end: 'session_expired' });
  });

  it.each([
    ['SES-07: idle 299 s is alive', T0 + 299, 'rotate'],
    ['SES-07: idle 300 s ends the session', T0 + 300, 'reject'],
  ] as const)('%s', (_name, now, kind) => {
    const decision = decideRefresh(input({ environmentPolicy: policy({ idleTimeoutSeconds: 300 }), now }));
    expect(decision.kind).toBe(kind);
    if (decision.kind === 'reject')
      expect(decision).toMatchObject({ error: 'idle_timeout', end: 'idle_timeout' });
  });

  it('SES-08: a background refresh does not move the idle clock, an active one is reported', () => {
    expect(decideRefresh(input({ request: { active: true } }))).toMatchObject({
      activity: true,
    });
    const lastActive = session({ lastActiveAt: T0, lastRefreshAt: T0 + 290 });
    const decision = decideRefresh(
      input({ session: lastActive, environmentPolicy: policy({ idleTimeoutSeconds: 300 }), now: T0 + 300 }),
    );
    expect(decision).toMatchObject({ kind: 'reject', error: 'idle_timeout' });
  });

  it('idle is judged with the policy of the tenant the refresh asks for', () => {
    const memberships = [
      membership('acme', { idleTimeoutSeconds: 60 }),
      membership('globex', { idleTimeoutSeconds: 600 }),
    ];
    const base = input({ memberships, now: T0 + 120 });
    expect(decideRefresh({ ...base, request: { tenantId: 'acme', active: false } })).toMatchObject({
      kind: 'reject',
      error: 'idle_timeout',
    });
    expect(decideRefresh({ ...base, request: { tenantId: 'globex', active: false } })).toMatchObject({
      kind: 'rotate',
      membership: { tenantId: 'globex' },
    });
  });

  it.each([
    ['SES-09: one second before the strictest absolute end', T0 + 3599, 'rotate'],
    ['SES-09: at the strictest absolute end', T0 + 3600, 'reject'],
  ] as const)('%s', (_name, now, kind) => {
    // The user's other tenant is stricter than the one asked for: the strictest applies.
    const memberships = [
      membership('acme', { absoluteTimeoutSeconds: 86400 }),
      membership('globex', { absoluteTimeoutSeconds: 3600 }),
    ];
    const decision = decideRefresh(input({ memberships, now, request: { tenantId: 'acme', active: true } }));
    expect(decision.kind).toBe(kind);
    if (decision.kind === 'reject')
      expect(decision).toMatchObject({ error: 'relogin_required', end: 'relogin_required' });
  });

  it('SES-09: at the absolute end a token capped to it is relogin_required, not session_expired', () => {
    const capped = token({ expiresAt: T0 + 3600 });
    const decision = decideRefresh(
      input({ token: capped, environmentPolicy: policy({ absoluteTimeoutSeconds: 3600 }), now: T0 + 3600 }),
    );
    expect(decision).toMatchObject({ kind: 'reject', error: 'relogin_required' });
  });

  it('SES-09: the successor never outlives the absolute end', () => {
    const decision = decideRefresh(
      input({ environmentPolicy: policy({ absoluteTimeoutSeconds: 3600 }), now: T0 + 3000 }),
    );
    expect(decision).toMatchObject({ kind: 'rotate', successorExpiresAt: T0 + 3600 });
    const unlimited = decideRefresh(input({ now: T0 + 3000 }));
    expect(unlimited).toMatchObject({ successorExpiresAt: T0 + 3000 + settings.refreshTokenTtlSeconds });
  });

  it('TEN-02: a tenant the user is not a member of is forbidden without ending the session', () => {
    expect(decideRefresh(input({ request: { tenantId: 'initech', active: false } }))).toEqual({
      kind: 'reject',
      error: 'tenant_forbidden',
      end: null,
      tokenKept: true,
    });
  });

  it('falls back to the oldest membership when the default tenant was removed, and forbids a user with none', () => {
    expect(decideRefresh(input({ memberships: [membership('globex')] }))).toMatchObject({
      membership: { tenantId: 'globex' },
    });
    expect(decideRefresh(input({ memberships: [] }))).toMatchObject({
      kind: 'reject',
      error: 'tenant_forbidden',
    });
  });

  it('RT-07: a client the session does not serve, without proof of its origin, is refused; the session and the cookie stay', () => {
    expect(decideRefresh(input({ holder: { kind: 'browser', inSession: false, mayJoin: false } }))).toEqual({
      kind: 'reject',
      error: 'no_session',
      end: null,
      tokenKept: true,
    });
  });

  it('ADR 0004: a spa from its registered origin joins the session; one already in it does not join again', () => {
    expect(
      decideRefresh(input({ holder: { kind: 'browser', inSession: false, mayJoin: true } })),
    ).toMatchObject({
      kind: 'rotate',
      joinsSession: true,
    });
    expect(decideRefresh(input())).toMatchObject({ kind: 'rotate', joinsSession: false });
  });

  it('RT-07: a confidential client’s token presented as the cookie is an unknown token: it ends nothing, not even when superseded', () => {
    const theirs = token({ clientId: 'server-app', rotatedAt: T0, successorHash: 'h2' });
    expect(decideRefresh(input({ token: theirs, now: T0 + 3600 }))).toEqual({
      kind: 'reject',
      error: 'no_session',
      end: null,
      tokenKept: false,
    });
  });

  it('RT-07: a confidential client refreshes only its own tokens; never the cookie’s or another client’s', () => {
    const ours = token({ clientId: 'server-app' });
    expect(
      decideRefresh(input({ token: ours, holder: { kind: 'client', clientId: 'server-app' } })).kind,
    ).toBe('rotate');
    for (const [presented, clientId] of [
      [ours, 'reports'],
      [token(), 'server-app'],
    ] as const) {
      expect(decideRefresh(input({ token: presented, holder: { kind: 'client', clientId } }))).toMatchObject({
        kind: 'reject',
        error: 'no_session',
        end: null,
      });
    }
  });

  it('RT-10: a disabled user is refused and the session ends', () => {
    expect(decideRefresh(input({ user: user({ status: 'disabled' }) }))).toEqual({
      kind: 'reject',
      error: 'user_disabled',
      end: 'user_disabled',
      tokenKept: false,
    });
  });

  it.each([
    ['logout', 'session_revoked'],
    ['evicted', 'session_revoked'],
    ['revoked', 'session_revoked'],
    ['user_deleted', 'session_revoked'],
    ['password_changed', 'session_revoked'],
    ['replaced', 'session_revoked'],
    ['user_disabled', 'user_disabled'],
    ['refresh_token_reused', 'refresh_token_reused'],
    ['idle_timeout', 'idle_timeout'],
    ['relogin_required', 'relogin_required'],
    ['session_expired', 'session_expired'],
  ] as const)('an ended session (%s) answers %s and ends nothing again', (reason, error) => {
    const ended = session({ endedAt: T0 + 1, endReason: reason });
    expect(decideRefresh(input({ session: ended }))).toEqual({
      kind: 'reject',
      error,
      end: null,
      tokenKept: false,
    });
    expect(rejectionForEndReason(reason)).toBe(error);
  });
});
