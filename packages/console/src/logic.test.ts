import { describe, expect, it } from 'vitest';
import { niceCeiling, refusalCodes, ticks } from './chart-scale';
import { environmentFormValues, environmentPatch } from './environment-form';
import { describeEvent, mergeEvents } from './events-format';
import { keyRole } from './pages/Keys';
import { effectiveTenantPolicy, effectiveUserPolicy } from './policy';
import type { Environment, SessionPolicy, TesseraEvent } from './types';

describe('chart scale', () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [11, 20],
    [120, 200],
    [500, 500],
    [501, 1000],
  ])('niceCeiling(%d) = %d', (value, top) => {
    expect(niceCeiling(value)).toBe(top);
  });
  it('ticks are whole numbers from 0 to the top', () => {
    expect(ticks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(ticks(10)).toEqual([0, 5, 10]);
  });
  it('lists refusal codes, most frequent first, zeros left out', () => {
    const minutes: { refusals: Record<string, number> }[] = [
      { refusals: { idle_timeout: 1, session_revoked: 0 } },
      { refusals: { refresh_token_reused: 2, idle_timeout: 2 } },
      { refusals: { no_session: 2 } },
    ];
    expect(refusalCodes(minutes)).toEqual(['idle_timeout', 'no_session', 'refresh_token_reused']);
  });
});

const policy: SessionPolicy = {
  idleTimeoutSeconds: 1800,
  absoluteTimeoutSeconds: null,
  maxConcurrentSessions: 5,
  onLimit: 'evict_oldest',
};

describe('effective policy (as the engine computes it)', () => {
  it('a tenant overrides what it sets and inherits the rest', () => {
    expect(effectiveTenantPolicy(policy, { idleTimeoutSeconds: 20 })).toEqual({
      ...policy,
      idleTimeoutSeconds: 20,
    });
    expect(effectiveTenantPolicy(policy, {})).toEqual(policy);
  });
  it('across tenants: the strictest absolute timeout and limit; reject wins at the limit', () => {
    expect(
      effectiveUserPolicy(policy, [
        { absoluteTimeoutSeconds: 3600 },
        { absoluteTimeoutSeconds: 600, maxConcurrentSessions: 2, onLimit: 'reject' },
        { maxConcurrentSessions: 2 },
      ]),
    ).toEqual({ absoluteTimeoutSeconds: 600, maxConcurrentSessions: 2, onLimit: 'reject' });
  });
  it('with no tenant, the environment’s policy', () => {
    expect(effectiveUserPolicy(policy, [])).toEqual({
      absoluteTimeoutSeconds: null,
      maxConcurrentSessions: 5,
      onLimit: 'evict_oldest',
    });
  });
});

const environment: Environment = {
  id: 'default',
  name: 'Default',
  baseUrl: 'http://localhost:4000',
  tokenSettings: {
    accessTokenTtlSeconds: 300,
    refreshTokenTtlSeconds: 2_592_000,
    rotationGraceSeconds: 10,
    signingAlgorithm: 'ES256',
    cookie: { name: 'tessera_refresh', sameSite: 'lax', secure: false },
  },
  sessionPolicy: policy,
  branding: {},
  createdAt: '2026-12-05T12:00:00.000Z',
};

describe('environmentPatch', () => {
  it('sends nothing when nothing changed', () => {
    expect(environmentPatch(environment, environmentFormValues(environment))).toEqual({
      patch: {},
      problems: {},
    });
  });
  it('sends only what changed; an empty limit is null (off)', () => {
    const values = {
      ...environmentFormValues(environment),
      accessTokenTtlSeconds: '600',
      cookieSameSite: 'strict',
      idleTimeoutSeconds: '',
      absoluteTimeoutSeconds: '86400',
    };
    expect(environmentPatch(environment, values)).toEqual({
      patch: {
        tokenSettings: { accessTokenTtlSeconds: 600, cookie: { sameSite: 'strict' } },
        sessionPolicy: { idleTimeoutSeconds: null, absoluteTimeoutSeconds: 86_400 },
      },
      problems: {},
    });
  });
  it('changes the webhook setting only on a server that has it', () => {
    const values = { ...environmentFormValues(environment), allowPrivateTargets: true };
    expect(environmentPatch(environment, values).patch).toEqual({});
    const withWebhooks = { ...environment, webhookSettings: { allowPrivateTargets: false } };
    expect(environmentPatch(withWebhooks, values).patch).toEqual({
      webhookSettings: { allowPrivateTargets: true },
    });
  });
  it('refuses text that is not a whole number, and an empty lifetime, before any request', () => {
    const values = {
      ...environmentFormValues(environment),
      accessTokenTtlSeconds: '',
      idleTimeoutSeconds: '5m',
    };
    const result = environmentPatch(environment, values);
    expect(Object.keys(result.problems).sort()).toEqual(['accessTokenTtlSeconds', 'idleTimeoutSeconds']);
  });
});

const event = (id: string, at: string, type = 'session.created', details = {}): TesseraEvent => ({
  id,
  type,
  envId: 'default',
  at,
  userId: null,
  sid: null,
  tenantId: null,
  clientId: null,
  ip: null,
  userAgent: null,
  details,
});

describe('events', () => {
  it('a live tail adds new events on top, each once', () => {
    const shown = [event('evt_2', '2026-12-05T12:00:02.000Z'), event('evt_1', '2026-12-05T12:00:01.000Z')];
    const newer = [event('evt_3', '2026-12-05T12:00:03.000Z'), event('evt_2', '2026-12-05T12:00:02.000Z')];
    expect(mergeEvents(newer, shown).map((item) => item.id)).toEqual(['evt_3', 'evt_2', 'evt_1']);
  });
  it.each([
    ['session.created', { method: 'password', via: 'hosted_login' }, 'Signed in (hosted login)'],
    ['login.failed', { reason: 'invalid_credentials' }, 'Sign-in failed: invalid_credentials'],
    ['session.refresh_refused', { code: 'idle_timeout' }, 'Refresh refused: idle_timeout'],
    ['session.ended', { reason: '<b>x</b>' }, 'Session ended: <b>x</b>'],
    ['session.tenant_switched', { from: 'a', to: 'b' }, 'Tenant switched: a → b'],
    [
      'admin.tenant.updated',
      { actor: { kind: 'console', consoleSessionId: 'c' }, target: { tenantId: 't1' } },
      'Tenant updated (t1) by console',
    ],
    ['something.new', {}, 'something.new'],
  ])('describes %s', (type, details, text) => {
    expect(describeEvent(event('e', '2026-12-05T12:00:00Z', type, details))).toBe(text);
  });
});

describe('keyRole', () => {
  const now = Date.parse('2026-12-05T12:00:00Z');
  const keys = [{ kid: 'k1' }, { kid: 'k2' }];
  it('takes the server’s status when it gives one', () => {
    expect(keyRole({ kid: 'k2', status: 'retired' }, 0, null, now)).toBe('retired');
  });
  it('without a rotation on this page: the first key signs, the others are published', () => {
    expect(keys.map((key, index) => keyRole(key, index, null, now))).toEqual(['current', 'published']);
  });
  it('after a rotation: the new key is next until it activates, then current, and the old one retired', () => {
    const rotated = { kid: 'k2', alg: 'ES256', activatesAt: '2026-12-05T12:05:00Z' };
    expect(keys.map((key, index) => keyRole(key, index, rotated, now))).toEqual(['current', 'next']);
    const later = Date.parse('2026-12-05T12:06:00Z');
    const after = [{ kid: 'k2' }, { kid: 'k1' }];
    expect(after.map((key, index) => keyRole(key, index, rotated, later))).toEqual(['current', 'retired']);
  });
});
