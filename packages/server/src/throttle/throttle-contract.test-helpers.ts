import { describe, expect, it } from 'vitest';
import { LOGIN_THROTTLE_POLICY, type LoginThrottle, type ThrottleKey } from './throttle.js';

const { maxFailuresPerAccount, maxFailuresPerKnownSource, maxFailuresPerIp, windowSeconds } =
  LOGIN_THROTTLE_POLICY;

async function fail(throttle: LoginThrottle, key: ThrottleKey): Promise<void> {
  expect(await throttle.check(key)).toEqual({ allowed: true });
  await throttle.recordFailure(key);
}

async function succeed(throttle: LoginThrottle, key: ThrottleKey): Promise<void> {
  expect(await throttle.check(key)).toEqual({ allowed: true });
  await throttle.recordSuccess(key);
}

async function expectLocked(throttle: LoginThrottle, key: ThrottleKey): Promise<void> {
  const verdict = await throttle.check(key);
  expect(verdict.allowed).toBe(false);
  if (verdict.allowed) return;
  expect(verdict.retryAfterSeconds).toBeGreaterThan(0);
  expect(verdict.retryAfterSeconds).toBeLessThanOrEqual(windowSeconds);
}

/**
 * The behaviour every `LoginThrottle` implementation shares (AUTH-02, AUTH-03), independent of
 * time. `create` returns a throttle with no counts.
 */
export function describeLoginThrottleContract(name: string, create: () => LoginThrottle): void {
  describe(`${name}: the LoginThrottle contract`, () => {
    it('allows a first attempt', async () => {
      expect(await create().check({ account: 'ada', ip: '192.0.2.1' })).toEqual({ allowed: true });
    });

    it(`locks an account after ${maxFailuresPerAccount} failures, whatever the addresses (AUTH-02)`, async () => {
      const throttle = create();
      for (let i = 1; i < maxFailuresPerAccount; i++)
        await fail(throttle, { account: 'ada', ip: `192.0.2.${i}` });
      expect(await throttle.check({ account: 'ada', ip: '198.51.100.1' })).toEqual({ allowed: true });
      await throttle.recordFailure({ account: 'ada', ip: '198.51.100.1' });

      await expectLocked(throttle, { account: 'ada', ip: '203.0.113.99' });
      expect(await throttle.check({ account: 'grace', ip: '192.0.2.1' })).toEqual({ allowed: true });
    });

    it('counts failures only: successes never lock an account', async () => {
      const throttle = create();
      for (let i = 0; i < maxFailuresPerAccount * 2; i++)
        await succeed(throttle, { account: 'ada', ip: '192.0.2.1' });
      expect(await throttle.check({ account: 'ada', ip: '192.0.2.1' })).toEqual({ allowed: true });
    });

    it("clears the account's failures on a success", async () => {
      const throttle = create();
      for (let i = 1; i < maxFailuresPerAccount; i++)
        await fail(throttle, { account: 'ada', ip: '192.0.2.1' });
      await succeed(throttle, { account: 'ada', ip: '192.0.2.1' });
      for (let i = 1; i < maxFailuresPerAccount; i++)
        await fail(throttle, { account: 'ada', ip: '192.0.2.1' });
      expect(await throttle.check({ account: 'ada', ip: '192.0.2.1' })).toEqual({ allowed: true });
    });

    it(`locks an address after ${maxFailuresPerIp} failures across accounts (AUTH-03)`, async () => {
      const throttle = create();
      for (let i = 0; i < maxFailuresPerIp; i++)
        await fail(throttle, { account: `user-${i}`, ip: '192.0.2.66' });

      await expectLocked(throttle, { account: 'someone-new', ip: '192.0.2.66' });
      expect(await throttle.check({ account: 'someone-new', ip: '192.0.2.67' })).toEqual({ allowed: true });
    });

    it("does not clear the address's failures on a success", async () => {
      const throttle = create();
      for (let i = 1; i < maxFailuresPerIp; i++)
        await fail(throttle, { account: `user-${i}`, ip: '192.0.2.66' });
      await succeed(throttle, { account: 'sprayer-own-account', ip: '192.0.2.66' });
      await fail(throttle, { account: 'one-more', ip: '192.0.2.66' });

      await expectLocked(throttle, { account: 'someone-new', ip: '192.0.2.66' });
    });

    it('lets fifty colleagues behind one NAT each mistype once and then log in', async () => {
      const throttle = create();
      for (let i = 0; i < 50; i++) {
        await fail(throttle, { account: `colleague-${i}`, ip: '192.0.2.10' });
        await succeed(throttle, { account: `colleague-${i}`, ip: '192.0.2.10' });
      }
      expect(await throttle.check({ account: 'colleague-50', ip: '192.0.2.10' })).toEqual({ allowed: true });
    });

    it('counts an IPv4-mapped address as the IPv4 address, and one IPv6 /64 as one address', async () => {
      const throttle = create();
      for (let i = 0; i < maxFailuresPerIp; i++) {
        const even = i % 2 === 0;
        await fail(throttle, { account: `v4-${i}`, ip: even ? '192.0.2.5' : '::ffff:192.0.2.5' });
        await fail(throttle, {
          account: `v6-${i}`,
          ip: even ? `2001:db8:1:2::${i.toString(16)}` : `2001:db8:1:2:${i}::1`,
        });
      }
      await expectLocked(throttle, { account: 'v4-new', ip: '192.0.2.5' });
      await expectLocked(throttle, { account: 'v6-new', ip: '2001:db8:1:2::ffff' });
      expect(await throttle.check({ account: 'v6-new', ip: '2001:db8:1:3::1' })).toEqual({ allowed: true });
    });

    it('counts attempts in flight, so a parallel burst cannot exceed the account limit', async () => {
      const throttle = create();
      const key = { account: 'ada', ip: '192.0.2.1' };
      const verdicts = await Promise.all(
        Array.from({ length: maxFailuresPerAccount + 5 }, () => throttle.check(key)),
      );
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(maxFailuresPerAccount);
      expect(verdicts.filter((v) => !v.allowed)).toEqual(
        Array.from({ length: 5 }, () => ({ allowed: false, retryAfterSeconds: 1 })),
      );

      for (let i = 0; i < maxFailuresPerAccount; i++) await throttle.recordSuccess(key);
      expect(await throttle.check(key)).toEqual({ allowed: true });
    });

    describe('no lockout switch: known sources keep their own budget (issue #9)', () => {
      const victimDevice = { account: 'ada', ip: '198.51.100.7', device: 'device-of-ada' };
      const attack = async (throttle: LoginThrottle) => {
        for (let i = 0; i < maxFailuresPerAccount; i++)
          await fail(throttle, { account: 'ada', ip: `203.0.113.${i}` });
        await expectLocked(throttle, { account: 'ada', ip: '203.0.113.200' });
      };

      it('AUTH-02: failures from elsewhere lock unknown sources out, not the device that logged in before', async () => {
        const throttle = create();
        await succeed(throttle, victimDevice);
        await attack(throttle);
        // Same device from a new address (a phone on the move): still its own budget.
        expect(await throttle.check({ ...victimDevice, ip: '192.0.2.77' })).toEqual({ allowed: true });
        await throttle.recordSuccess({ ...victimDevice, ip: '192.0.2.77' });
        // A device id nobody logged in with is an unknown source: locked with the rest.
        await expectLocked(throttle, { account: 'ada', ip: '192.0.2.78', device: 'device-of-mallory' });
      });

      it('AUTH-02: an address that logged in to the account before keeps its own budget during an attack', async () => {
        const throttle = create();
        await succeed(throttle, { account: 'ada', ip: '198.51.100.7' });
        await attack(throttle);
        expect(await throttle.check({ account: 'ada', ip: '198.51.100.7' })).toEqual({ allowed: true });
        await throttle.recordSuccess({ account: 'ada', ip: '198.51.100.7' });
        // Another address of no standing is still throttled per account.
        await expectLocked(throttle, { account: 'ada', ip: '192.0.2.99' });
      });

      it('a known device guessing wrong is throttled on its own budget', async () => {
        const throttle = create();
        await succeed(throttle, victimDevice);
        for (let i = 0; i < maxFailuresPerKnownSource; i++) await fail(throttle, victimDevice);
        await expectLocked(throttle, victimDevice);
        await expectLocked(throttle, { ...victimDevice, ip: '192.0.2.50' });
      });

      it('a device or address known for one account is unknown for another', async () => {
        const throttle = create();
        await succeed(throttle, { account: 'mallory', ip: '203.0.113.1', device: 'device-of-mallory' });
        for (let i = 0; i < maxFailuresPerAccount; i++)
          await fail(throttle, { account: 'ada', ip: '203.0.113.1', device: 'device-of-mallory' });
        await expectLocked(throttle, { account: 'ada', ip: '203.0.113.1', device: 'device-of-mallory' });
        await expectLocked(throttle, { account: 'ada', ip: '192.0.2.1' });
      });

      it('AUTH-03: the per-address limit still applies to a known device', async () => {
        const throttle = create();
        await succeed(throttle, victimDevice);
        for (let i = 0; i < maxFailuresPerIp; i++)
          await fail(throttle, { account: `user-${i}`, ip: victimDevice.ip });
        await expectLocked(throttle, victimDevice);
      });
    });

    it('locks for the window once the attempts in flight fail', async () => {
      const throttle = create();
      const key = { account: 'ada', ip: '192.0.2.1' };
      await Promise.all(Array.from({ length: maxFailuresPerAccount }, () => throttle.check(key)));
      for (let i = 0; i < maxFailuresPerAccount; i++) await throttle.recordFailure(key);
      const verdict = await throttle.check(key);
      expect(verdict).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
      if (!verdict.allowed) expect(verdict.retryAfterSeconds).toBeGreaterThan(windowSeconds - 5);
    });
  });
}
