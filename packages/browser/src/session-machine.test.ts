/**
 * The browser SDK's state machine, alone: each state × each event that changes something, with an
 * explicit `now` and `random`, both sides of every boundary, and every refusal path (only the
 * server's word that the session is gone ends it; no failure to reach the server ever does).
 * The same behaviours against a real server and several tabs: auth-client.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { TesseraAuthError } from './errors.js';
import {
  authStateOf,
  type Session,
  type SessionConfig,
  type SessionEvent,
  STARTING,
  transition,
} from './session-machine.js';
import { refusal } from './session-refresh.js';
import type { TokenSet } from './token-set.js';

const NOW = 1_700_000_000_000;
const KEEP_ALIVE: SessionConfig = { keepSessionAlive: true, perTenant: false };
const EXPIRE: SessionConfig = { keepSessionAlive: false, perTenant: false };
const PER_TENANT: SessionConfig = { keepSessionAlive: true, perTenant: true };

/** A 10 s token received at `receivedAt`, issued at `issuedAt` (server seconds). */
function token(issuedAt = 1000, receivedAt = NOW): TokenSet {
  return {
    accessToken: `eyJ.${issuedAt}.${receivedAt}`,
    expiresIn: 10,
    receivedAt,
    issuedAt,
    sessionId: 'sid-1',
    user: { id: 'user-ada', email: 'ada@example.com', name: 'Ada' },
    tenantId: 'acme',
    tenantIds: ['acme', 'globex'],
  };
}

const held = token();
/** Refresh due at 8 s of the 10 s token (random 0.5: 80 %). */
const signedIn: Session = { status: 'signedIn', token: held, dueAt: NOW + 8000, failures: 0 };
const signedOut: Session = { status: 'signedOut', reason: 'no_session' };

function step(session: Session, event: SessionEvent, config = KEEP_ALIVE, now = NOW, random = 0.5) {
  return transition(session, event, { now, random }, config);
}

const types = (effects: { type: string }[]) => effects.map((effect) => effect.type);

const refused = (code: string, transient: boolean, retryAfterMs = 0): SessionEvent => ({
  type: 'refreshRefused',
  code,
  transient,
  retryAfterMs,
});

describe('a token arrives', () => {
  it('from a refresh: signed in, refresh timer at 75–85 % of expiresIn (by jitter), shared with the other tabs', () => {
    const next = step(
      STARTING,
      { type: 'tokenReceived', token: held, from: 'refresh' },
      KEEP_ALIVE,
      NOW,
      0.5,
    );
    expect(next.session).toEqual({ status: 'signedIn', token: held, dueAt: NOW + 8000, failures: 0 });
    expect(next.effects).toEqual([
      { type: 'trackActivity' },
      { type: 'publish' },
      { type: 'setTimer', at: NOW + 8000 },
      { type: 'shareToken', token: held },
    ]);
    expect(
      step(STARTING, { type: 'tokenReceived', token: held, from: 'refresh' }, KEEP_ALIVE, NOW, 0).session,
    ).toMatchObject({ dueAt: NOW + 7500 });
    expect(
      step(STARTING, { type: 'tokenReceived', token: held, from: 'refresh' }, KEEP_ALIVE, NOW, 1).session,
    ).toMatchObject({ dueAt: NOW + 8500 });
  });

  it('the refresh is scheduled from receipt and expiresIn, not from the time of the transition', () => {
    const late = step(
      STARTING,
      { type: 'tokenReceived', token: held, from: 'refresh' },
      KEEP_ALIVE,
      NOW + 3000,
    );
    expect(late.session).toMatchObject({ dueAt: NOW + 8000 });
  });

  it('without keepSessionAlive the timer is the expiry', () => {
    const next = step(STARTING, { type: 'tokenReceived', token: held, from: 'refresh' }, EXPIRE);
    expect(next.session).toMatchObject({ dueAt: NOW + 10_000 });
    expect(next.effects).toContainEqual({ type: 'setTimer', at: NOW + 10_000 });
  });

  it('enableSessionPerTenant: the tab remembers the tenant of its token', () => {
    const next = step(STARTING, { type: 'tokenReceived', token: held, from: 'refresh' }, PER_TENANT);
    expect(next.effects[0]).toEqual({ type: 'rememberTenant', tenantId: 'acme' });
    expect(
      types(step(STARTING, { type: 'tokenReceived', token: held, from: 'refresh' }).effects),
    ).not.toContain('rememberTenant');
  });

  it('a newer token replaces the held one and resets the failures', () => {
    const failing: Session = { ...signedIn, failures: 3 };
    const newer = token(1001, NOW + 5000);
    expect(step(failing, { type: 'tokenReceived', token: newer, from: 'refresh' }).session).toMatchObject({
      token: newer,
      failures: 0,
    });
  });

  it('never an older token over a newer one: a refresh or another tab’s older token changes nothing', () => {
    const older = token(999, NOW + 5000);
    for (const event of [
      { type: 'tokenReceived', token: older, from: 'refresh' },
      { type: 'tokenShared', token: older },
    ] as const) {
      const next = step(signedIn, event);
      expect(next.session).toBe(signedIn);
      expect(next.effects).toEqual([]);
    }
  });

  it('a token of the same second received later is newer (another tab’s refresh in the same second)', () => {
    const sameSecond = token(1000, NOW + 1);
    expect(step(signedIn, { type: 'tokenShared', token: sameSecond }).session).toMatchObject({
      token: sameSecond,
    });
    const earlier = token(1000, NOW - 1);
    expect(step(signedIn, { type: 'tokenShared', token: earlier }).session).toBe(signedIn);
  });

  it('a login replaces whatever the tab held, even a newer token, and tells the other tabs to join', () => {
    const fresh = token(999, NOW + 100);
    const next = step(signedIn, { type: 'tokenReceived', token: fresh, from: 'login' });
    expect(next.session).toMatchObject({ status: 'signedIn', token: fresh });
    expect(next.effects.slice(-2)).toEqual([
      { type: 'shareToken', token: fresh },
      { type: 'tellOtherTabs', signal: { type: 'login' } },
    ]);
  });

  it('a hosted-login callback: signed in and the other tabs join; an older token is not taken, they still join', () => {
    const next = step(signedOut, { type: 'tokenReceived', token: held, from: 'callback' });
    expect(next.session).toMatchObject({ status: 'signedIn', token: held });
    expect(next.effects).toContainEqual({ type: 'tellOtherTabs', signal: { type: 'login' } });
    const older = step(signedIn, { type: 'tokenReceived', token: token(999), from: 'callback' });
    expect(older.session).toBe(signedIn);
    expect(older.effects).toEqual([{ type: 'tellOtherTabs', signal: { type: 'login' } }]);
  });

  it('another tab’s token: taken (also by a signed-out tab), never shared back', () => {
    for (const session of [STARTING, signedOut, signedIn]) {
      const newer = token(1001);
      const next = step(session, { type: 'tokenShared', token: newer });
      expect(next.session).toMatchObject({ status: 'signedIn', token: newer });
      expect(types(next.effects)).toEqual(['trackActivity', 'publish', 'setTimer']);
    }
  });
});

describe('a refresh refused', () => {
  const ending = [
    ['no_session'],
    ['session_expired'],
    ['idle_timeout'],
    ['session_revoked'],
    ['refresh_token_reused'],
    ['relogin_required'],
    ['user_disabled'],
    ['unauthorized_client'],
  ] as const;

  it.each(ending)(
    '%s from the server ends the session, clears the timer and tells the other tabs',
    (code) => {
      const next = step(signedIn, refused(code, false));
      expect(next.session).toEqual({ status: 'signedOut', reason: code });
      expect(next.effects).toEqual([
        { type: 'dropQueuedRefreshes' },
        { type: 'clearTimer' },
        { type: 'publish' },
        { type: 'tellOtherTabs', signal: { type: 'ended', reason: code } },
      ]);
    },
  );

  it('a tab that held no session (a load racing a login elsewhere) signs no other tab out', () => {
    for (const session of [STARTING, signedOut]) {
      const next = step(session, refused('no_session', false));
      expect(next.session).toMatchObject({ status: 'signedOut', reason: 'no_session' });
      expect(types(next.effects)).not.toContain('tellOtherTabs');
    }
  });

  const transient = [
    ['network_error (no answer)', 'network_error', 0],
    ['503 service_unavailable', 'service_unavailable', 5000],
    ['500 internal_error', 'internal_error', 0],
    ['429 rate_limited', 'rate_limited', 30_000],
  ] as const;

  it.each(transient)(
    '%s keeps the session in every state, and holds every tab back',
    (_, code, retryAfterMs) => {
      for (const session of [STARTING, signedOut, signedIn, { ...signedIn, failures: 4 }]) {
        const next = step(session, refused(code, true, retryAfterMs));
        expect(next.session).toBe(session);
        expect(next.effects).toEqual([
          { type: 'noteOutage', failedAt: NOW, retryAt: NOW + Math.max(retryAfterMs, 1000) },
        ]);
      }
    },
  );

  it('holds every tab back for the server’s Retry-After, or at least a second', () => {
    expect(step(signedIn, refused('service_unavailable', true, 999)).effects).toEqual([
      { type: 'noteOutage', failedAt: NOW, retryAt: NOW + 1000 },
    ]);
    expect(step(signedIn, refused('service_unavailable', true, 1001)).effects).toEqual([
      { type: 'noteOutage', failedAt: NOW, retryAt: NOW + 1001 },
    ]);
  });

  it('tenant_forbidden: the user lost a tenant, not the session — nothing changes', () => {
    for (const session of [STARTING, signedIn]) {
      const next = step(session, refused('tenant_forbidden', false));
      expect(next.session).toBe(session);
      expect(next.effects).toEqual([]);
    }
  });
});

describe('a background refresh failed', () => {
  const failed = (transient: boolean, retryAt = 0): SessionEvent => ({
    type: 'backgroundRefreshFailed',
    transient,
    retryAt,
  });

  it('transient: keeps the session and retries with a backoff doubling from 1 s to 30 s, jittered', () => {
    let session: Session = signedIn;
    const waits: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const next = step(session, failed(true), KEEP_ALIVE, NOW, 0);
      expect(next.session).toMatchObject({ status: 'signedIn', token: held, failures: attempt + 1 });
      const dueAt = (next.session as { dueAt: number }).dueAt;
      expect(next.effects).toEqual([{ type: 'setTimer', at: dueAt }]);
      waits.push(dueAt - NOW);
      session = next.session;
    }
    // Equal jitter with random 0: half of 1, 2, 4, 8, 16, 30, 30 s.
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
    expect(step(signedIn, failed(true), KEEP_ALIVE, NOW, 1).session).toMatchObject({ dueAt: NOW + 1000 });
  });

  it('never before the Retry-After another tab noted, and no later than the backoff when it has passed', () => {
    expect(step(signedIn, failed(true, NOW + 5000), KEEP_ALIVE, NOW, 0).session).toMatchObject({
      dueAt: NOW + 5000,
    });
    expect(step(signedIn, failed(true, NOW + 499), KEEP_ALIVE, NOW, 0).session).toMatchObject({
      dueAt: NOW + 500,
    });
    expect(step(signedIn, failed(true, NOW - 60_000), KEEP_ALIVE, NOW, 0).session).toMatchObject({
      dueAt: NOW + 500,
    });
  });

  it('not transient, or no session any more: nothing to retry', () => {
    for (const [session, event] of [
      [signedIn, failed(false)],
      [signedOut, failed(true)],
      [STARTING, failed(true)],
    ] as const) {
      const next = step(session, event);
      expect(next.session).toBe(session);
      expect(next.effects).toEqual([]);
    }
  });
});

describe('the timer and waking up', () => {
  it('keepSessionAlive: the timer starts a background refresh; the session stays as it is', () => {
    const next = step(signedIn, { type: 'timerFired' });
    expect(next.session).toBe(signedIn);
    expect(next.effects).toEqual([{ type: 'refreshInBackground' }]);
  });

  it('without keepSessionAlive: the timer is the expiry — signed out (token_expired), no other tab told', () => {
    const next = step(signedIn, { type: 'timerFired' }, EXPIRE);
    expect(next.session).toEqual({ status: 'signedOut', reason: 'token_expired' });
    expect(types(next.effects)).toEqual(['dropQueuedRefreshes', 'clearTimer', 'publish']);
  });

  it('a timer without a session does nothing', () => {
    for (const session of [STARTING, signedOut])
      expect(step(session, { type: 'timerFired' })).toEqual({ session, effects: [] });
  });

  it('a visible tab waking refreshes once the refresh is due, not a millisecond before', () => {
    const due = signedIn.status === 'signedIn' ? signedIn.dueAt : 0;
    expect(step(signedIn, { type: 'woke', visible: true }, KEEP_ALIVE, due - 1).effects).toEqual([]);
    expect(step(signedIn, { type: 'woke', visible: true }, KEEP_ALIVE, due).effects).toEqual([
      { type: 'refreshInBackground' },
    ]);
  });

  it('a hidden tab, a tab without a session, or without keepSessionAlive: waking does nothing', () => {
    const late = NOW + 3_600_000;
    for (const [session, visible, config] of [
      [signedIn, false, KEEP_ALIVE],
      [signedOut, true, KEEP_ALIVE],
      [STARTING, true, KEEP_ALIVE],
      [signedIn, true, EXPIRE],
    ] as const) {
      const next = step(session, { type: 'woke', visible }, config, late);
      expect(next.session).toBe(session);
      expect(next.effects).toEqual([]);
    }
  });
});

describe('signing out', () => {
  it('this tab’s logout: forgets the tenant, ends here, tells every tab', () => {
    for (const session of [signedIn, STARTING, signedOut]) {
      const next = step(session, { type: 'loggedOut' });
      expect(next.session).toEqual({ status: 'signedOut', reason: 'logout' });
      expect(next.effects).toEqual([
        { type: 'forgetTenant' },
        { type: 'dropQueuedRefreshes' },
        { type: 'clearTimer' },
        { type: 'publish' },
        { type: 'tellOtherTabs', signal: { type: 'logout' } },
      ]);
    }
  });

  it('another tab’s logout: signed out here too, whatever the state, without telling anyone back', () => {
    for (const session of [signedIn, STARTING, signedOut]) {
      const next = step(session, { type: 'otherTabLoggedOut' });
      expect(next.session).toEqual({ status: 'signedOut', reason: 'logout' });
      expect(types(next.effects)).toEqual(['dropQueuedRefreshes', 'clearTimer', 'publish']);
    }
  });

  it('another tab heard the session ended: a tab holding it ends it with that reason', () => {
    const next = step(signedIn, { type: 'otherTabSessionEnded', reason: 'idle_timeout' });
    expect(next.session).toEqual({ status: 'signedOut', reason: 'idle_timeout' });
    expect(types(next.effects)).toEqual(['dropQueuedRefreshes', 'clearTimer', 'publish']);
  });

  it('another tab heard the session ended: a tab still starting or signed out keeps its own reason', () => {
    for (const session of [STARTING, signedOut])
      expect(step(session, { type: 'otherTabSessionEnded', reason: 'idle_timeout' })).toEqual({
        session,
        effects: [],
      });
  });

  it('no session found by this tab (on load, a refused callback): signed out with that reason', () => {
    for (const reason of ['no_session', 'invalid_callback', 'login_required', 'network_error']) {
      expect(step(STARTING, { type: 'noSession', reason })).toEqual({
        session: { status: 'signedOut', reason },
        effects: [{ type: 'dropQueuedRefreshes' }, { type: 'clearTimer' }, { type: 'publish' }],
      });
    }
  });

  it('ending again for the same reason tells the subscribers nothing new, but still drops queued refreshes', () => {
    const next = step(signedOut, { type: 'noSession', reason: 'no_session' });
    expect(next.session).toBe(signedOut);
    expect(next.effects).toEqual([{ type: 'dropQueuedRefreshes' }, { type: 'clearTimer' }]);
    expect(types(step(signedOut, { type: 'otherTabLoggedOut' }).effects)).toContain('publish');
  });
});

describe('another tab signed in', () => {
  it('a tab without a session joins it; a signed-in tab has nothing to do', () => {
    for (const session of [STARTING, signedOut])
      expect(step(session, { type: 'otherTabLoggedIn' })).toEqual({
        session,
        effects: [{ type: 'joinSession' }],
      });
    expect(step(signedIn, { type: 'otherTabLoggedIn' })).toEqual({ session: signedIn, effects: [] });
  });
});

describe('the public state', () => {
  it('starting is loading; signed out carries the reason; signed in shows the token’s user, tenants and expiry', () => {
    expect(authStateOf(STARTING)).toEqual({
      status: 'loading',
      user: null,
      tenantId: null,
      tenantIds: [],
      expiresAt: null,
      endReason: null,
    });
    expect(authStateOf({ status: 'signedOut', reason: 'idle_timeout' })).toMatchObject({
      status: 'unauthenticated',
      user: null,
      endReason: 'idle_timeout',
    });
    expect(authStateOf(signedIn)).toEqual({
      status: 'authenticated',
      user: held.user,
      tenantId: 'acme',
      tenantIds: ['acme', 'globex'],
      expiresAt: NOW + 10_000,
      endReason: null,
    });
  });

  it('a retry changes no public state: the session changes, nothing is published', () => {
    const next = step(signedIn, { type: 'backgroundRefreshFailed', transient: true, retryAt: 0 });
    expect(authStateOf(next.session)).toEqual(authStateOf(signedIn));
    expect(types(next.effects)).not.toContain('publish');
  });
});

describe('from a failed call to the event', () => {
  it.each([
    ['no answer (fetch rejected)', new TypeError('Failed to fetch'), 'network_error', true, 0],
    [
      'network_error',
      new TesseraAuthError('network_error', 'The server could not be reached.'),
      'network_error',
      true,
      0,
    ],
    [
      '503 with Retry-After',
      new TesseraAuthError('service_unavailable', 'Down.', { status: 503, retryAfterSeconds: 5 }),
      'service_unavailable',
      true,
      5000,
    ],
    [
      '429',
      new TesseraAuthError('rate_limited', 'Slow down.', { status: 429, retryAfterSeconds: 30 }),
      'rate_limited',
      true,
      30_000,
    ],
    ['401', new TesseraAuthError('idle_timeout', 'Idle.', { status: 401 }), 'idle_timeout', false, 0],
    ['403', new TesseraAuthError('tenant_forbidden', 'No.', { status: 403 }), 'tenant_forbidden', false, 0],
  ])('%s', (_, error, code, transient, retryAfterMs) => {
    expect(refusal(error)).toEqual({ type: 'refreshRefused', code, transient, retryAfterMs });
  });
});
