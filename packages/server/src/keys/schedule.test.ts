import { describe, expect, it } from 'vitest';
import type { SigningKeyRecord } from '../storage/records.js';
import { type KeyScheduleInput, scheduleSigningKeys } from './schedule.js';

const T0 = 1_700_000_000;
const TTL = 300;
const SKEW = 60;

function key(
  kid: string,
  activatesAt: number,
  retiredAt: number | null,
  createdAt = activatesAt,
): SigningKeyRecord {
  return {
    envId: 'default',
    kid,
    alg: 'ES256',
    publicJwk: { kty: 'EC', kid },
    privateKeyEncrypted: 'v1.x.y.z',
    createdAt,
    activatesAt,
    retiredAt,
  };
}

function schedule(keys: SigningKeyRecord[], now: number, overrides: Partial<KeyScheduleInput> = {}) {
  const result = scheduleSigningKeys(keys, {
    now,
    accessTokenTtlSeconds: TTL,
    clockSkewSeconds: SKEW,
    ...overrides,
  });
  return { signing: result.signingKey?.kid ?? null, published: result.publishedKeys.map((k) => k.kid) };
}

// k1 signed from T0 - 1000; k2 was published at T0 - 330 and signs from T0; k1 retired then.
const rotated = [key('k1', T0 - 1000, T0), key('k2', T0, null, T0 - 330)];

describe('scheduleSigningKeys', () => {
  it.each([
    ['a first key one second before it activates', [key('k1', T0, null)], T0 - 1, null, ['k1']],
    ['a first key as it activates', [key('k1', T0, null)], T0, 'k1', ['k1']],
    [
      'the current key while the next one waits (next published before use)',
      rotated,
      T0 - 1,
      'k1',
      ['k1', 'k2'],
    ],
    ['the next key at its activation; the old one stays published', rotated, T0, 'k2', ['k2', 'k1']],
    [
      'the retired key one second before its last token expires (+ skew)',
      rotated,
      T0 + TTL + SKEW - 1,
      'k2',
      ['k2', 'k1'],
    ],
    ['the retired key once its last token has expired (+ skew)', rotated, T0 + TTL + SKEW, 'k2', ['k2']],
    ['no keys', [], T0, null, []],
  ] as const)('%s', (_, keys, now, signing, published) => {
    expect(schedule([...keys], now)).toEqual({ signing, published });
  });

  it('two queued rotations: each next key is published, each signs in turn', () => {
    const keys = [key('k1', T0 - 1000, T0), key('k2', T0, T0 + 100), key('k3', T0 + 100, null)];
    expect(schedule(keys, T0 - 1)).toEqual({ signing: 'k1', published: ['k1', 'k3', 'k2'] });
    expect(schedule(keys, T0 + 99)).toEqual({ signing: 'k2', published: ['k2', 'k3', 'k1'] });
    expect(schedule(keys, T0 + 100)).toEqual({ signing: 'k3', published: ['k3', 'k2', 'k1'] });
    expect(schedule(keys, T0 + 100 + TTL + SKEW)).toEqual({ signing: 'k3', published: ['k3'] });
  });

  it('gives each published key its status: current signs, next waits for its activation, retired signed before', () => {
    const keys = [key('k1', T0 - 1000, T0), key('k2', T0, T0 + 100), key('k3', T0 + 100, null)];
    const statuses = (now: number) =>
      scheduleSigningKeys(keys, {
        now,
        accessTokenTtlSeconds: TTL,
        clockSkewSeconds: SKEW,
      }).publishedKeys.map((k) => [k.kid, k.status]);
    expect(statuses(T0 - 1)).toEqual([
      ['k1', 'current'],
      ['k3', 'next'],
      ['k2', 'next'],
    ]);
    expect(statuses(T0)).toEqual([
      ['k2', 'current'],
      ['k3', 'next'],
      ['k1', 'retired'],
    ]);
    expect(statuses(T0 + 100)).toEqual([
      ['k3', 'current'],
      ['k2', 'retired'],
      ['k1', 'retired'],
    ]);
    // Before any key has activated there is no current key.
    expect(statuses(T0 - 2000)).toEqual([
      ['k3', 'next'],
      ['k2', 'next'],
      ['k1', 'next'],
    ]);
  });

  it('counts the clock skew allowance', () => {
    expect(schedule(rotated, T0 + TTL, { clockSkewSeconds: 0 }).published).toEqual(['k2']);
    expect(schedule(rotated, T0 + TTL - 1, { clockSkewSeconds: 0 }).published).toEqual(['k2', 'k1']);
  });

  it('follows the store’s retirement after a first-key race, whatever the kids or input order', () => {
    const aRetired = [key('a', T0, T0), key('b', T0, null)];
    const bRetired = [key('a', T0, null), key('b', T0, T0)];
    expect(schedule(aRetired, T0)).toEqual({ signing: 'b', published: ['b', 'a'] });
    const statuses = scheduleSigningKeys(aRetired, {
      now: T0,
      accessTokenTtlSeconds: TTL,
      clockSkewSeconds: SKEW,
    }).publishedKeys.map((k) => k.status);
    expect(statuses).toEqual(['current', 'retired']);
    expect(schedule([...aRetired].reverse(), T0)).toEqual({ signing: 'b', published: ['b', 'a'] });
    expect(schedule(bRetired, T0)).toEqual({ signing: 'a', published: ['a', 'b'] });
    expect(schedule(bRetired, T0 + TTL + SKEW)).toEqual({ signing: 'a', published: ['a'] });
  });

  it('breaks a tie between unretired keys the same way on every node', () => {
    const keys = [key('a', T0, null), key('b', T0, null)];
    expect(schedule(keys, T0).signing).toBe('b');
    expect(schedule([...keys].reverse(), T0).signing).toBe('b');
    expect(schedule([key('a', T0, null, T0 + 1), key('b', T0, null)], T0).signing).toBe('a');
  });

  it('prunableBefore never removes a published key', () => {
    const now = T0 + 1000;
    const { prunableBefore } = scheduleSigningKeys([], {
      now,
      accessTokenTtlSeconds: TTL,
      clockSkewSeconds: SKEW,
    });
    expect(prunableBefore).toBe(now - TTL - SKEW);
    const keys = [-1, 0, 1].map((offset) => key(`r${offset}`, T0 - 5000, prunableBefore + offset));
    expect(schedule([...keys, key('current', prunableBefore + 1, null)], now).published).toEqual([
      'current',
      'r1',
    ]);
  });

  it('does not reorder or change its input', () => {
    const keys = [key('k2', T0, null), key('k1', T0 - 1000, T0)];
    const copy = structuredClone(keys);
    scheduleSigningKeys(keys, { now: T0, accessTokenTtlSeconds: TTL, clockSkewSeconds: SKEW });
    expect(keys).toEqual(copy);
  });
});
