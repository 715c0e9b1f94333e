import { describe, expect, it } from 'vitest';
import { createMemoryThrottle } from './memory-throttle.js';
import { LOGIN_THROTTLE_POLICY, type LoginThrottle } from './throttle.js';
import { describeLoginThrottleContract } from './throttle-contract.test-helpers.js';

const T0 = 1_700_000_000;
const {
  maxFailuresPerAccount,
  maxFailuresPerIp,
  windowSeconds,
  pendingAttemptTtlSeconds,
  knownSourceTtlSeconds,
} = LOGIN_THROTTLE_POLICY;

describeLoginThrottleContract('memory', () => createMemoryThrottle({ now: () => T0 }));

function throttleAt(start = T0, maxEntries?: number) {
  const clock = { now: start };
  const throttle = createMemoryThrottle({ now: () => clock.now, maxEntries });
  return { clock, throttle };
}

async function failTimes(throttle: LoginThrottle, times: number, key: { account: string; ip: string }) {
  for (let i = 0; i < times; i++) {
    expect((await throttle.check(key)).allowed).toBe(true);
    await throttle.recordFailure(key);
  }
}

describe('memory throttle: time', () => {
  const key = { account: 'ada', ip: '192.0.2.1' };

  it('forgets a known device and address after knownSourceTtlSeconds without a success', async () => {
    const { clock, throttle } = throttleAt();
    const victim = { account: 'ada', ip: '198.51.100.7', device: 'd' };
    expect(await throttle.check(victim)).toEqual({ allowed: true });
    await throttle.recordSuccess(victim);
    clock.now = T0 + knownSourceTtlSeconds;
    for (let i = 0; i < maxFailuresPerAccount; i++)
      await failTimes(throttle, 1, { account: 'ada', ip: `203.0.113.${i}` });
    expect((await throttle.check(victim)).allowed).toBe(false);
  });

  it('keeps an account locked until the last second of the window, then lets it in (AUTH-04)', async () => {
    const { clock, throttle } = throttleAt();
    await failTimes(throttle, maxFailuresPerAccount, key);

    expect(await throttle.check(key)).toEqual({ allowed: false, retryAfterSeconds: windowSeconds });
    clock.now = T0 + windowSeconds - 1;
    expect(await throttle.check(key)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.now = T0 + windowSeconds;
    expect(await throttle.check(key)).toEqual({ allowed: true });
  });

  it('measures the window from the first failure, not the last', async () => {
    const { clock, throttle } = throttleAt();
    await failTimes(throttle, 1, key);
    clock.now = T0 + windowSeconds - 10;
    await failTimes(throttle, maxFailuresPerAccount - 1, key);
    expect(await throttle.check(key)).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('forgets failures from a window that has closed', async () => {
    const { clock, throttle } = throttleAt();
    await failTimes(throttle, maxFailuresPerAccount - 1, key);
    clock.now = T0 + windowSeconds;
    await failTimes(throttle, maxFailuresPerAccount - 1, key);
    expect(await throttle.check(key)).toEqual({ allowed: true });
  });

  it('unlocks an address at the end of its window', async () => {
    const { clock, throttle } = throttleAt();
    for (let i = 0; i < maxFailuresPerIp; i++)
      await failTimes(throttle, 1, { account: `user-${i}`, ip: '192.0.2.9' });
    clock.now = T0 + windowSeconds - 1;
    expect(await throttle.check({ account: 'new', ip: '192.0.2.9' })).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    clock.now = T0 + windowSeconds;
    expect(await throttle.check({ account: 'new', ip: '192.0.2.9' })).toEqual({ allowed: true });
  });

  it('answers the longer wait when both the account and the address are locked', async () => {
    const { clock, throttle } = throttleAt();
    for (let i = 0; i < maxFailuresPerIp - maxFailuresPerAccount; i++) {
      await failTimes(throttle, 1, { account: `user-${i}`, ip: '192.0.2.9' });
    }
    clock.now = T0 + 100;
    await failTimes(throttle, maxFailuresPerAccount, { account: 'ada', ip: '192.0.2.9' });
    expect(await throttle.check({ account: 'ada', ip: '192.0.2.9' })).toEqual({
      allowed: false,
      retryAfterSeconds: windowSeconds,
    });
  });

  it('releases an attempt that is never recorded after its time in flight', async () => {
    const { clock, throttle } = throttleAt();
    for (let i = 0; i < maxFailuresPerAccount; i++) expect((await throttle.check(key)).allowed).toBe(true);
    clock.now = T0 + pendingAttemptTtlSeconds - 1;
    expect(await throttle.check(key)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.now = T0 + pendingAttemptTtlSeconds;
    expect(await throttle.check(key)).toEqual({ allowed: true });
  });
});

describe('memory throttle: bounded memory', () => {
  it('drops the counter closest to expiring when full', async () => {
    const { clock, throttle } = throttleAt(T0, 2);
    const ada = { account: 'ada', ip: '192.0.2.1' };
    await failTimes(throttle, maxFailuresPerAccount, ada);
    expect((await throttle.check(ada)).allowed).toBe(false);

    clock.now = T0 + 1;
    await failTimes(throttle, 1, { account: 'grace', ip: '192.0.2.1' });
    await failTimes(throttle, 1, { account: 'alan', ip: '192.0.2.1' });
    expect(await throttle.check(ada)).toEqual({ allowed: true });
  });
});
