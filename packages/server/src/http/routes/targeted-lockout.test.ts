/**
 * Issue #9, defect 9: ten wrong passwords from anywhere used to lock the real user out of every
 * address for the window, renewable forever by the attacker. Now a browser (device cookie) or an
 * address that logged in to the account before keeps its own budget (throttle/throttle.ts), on the
 * session API and the hosted login alike; unknown sources are still throttled per account (AUTH-02).
 */

import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { authorizeQuery, pkcePair, testBrowser } from '@tessera/testing/hosted-login';
import { capturingLogger } from '@tessera/testing/log-capture';
import { ORIGIN, PASSWORD, seedWorld } from '@tessera/testing/world';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceThrottleId } from '../../service/known-device.js';

const backends = await backendsUnderTest();

const VICTIM_HOME = '198.51.100.7';
const ATTACKERS = Array.from({ length: 10 }, (_, i) => `203.0.113.${i + 1}`);

/** The `name=value` of the device cookie a response sets, if any. */
function deviceCookieOf(response: LightMyRequestResponse): string | undefined {
  const header = response.headers['set-cookie'];
  const lines = Array.isArray(header) ? header : header ? [header] : [];
  return lines.find((line) => line.startsWith('tessera_device='))?.split(';')[0];
}

describe.each(backends)('targeted lockout (%s)', (backend) => {
  let t: TestServer;
  let logLines: string[];

  beforeEach(async () => {
    const capture = capturingLogger();
    logLines = capture.lines;
    // Behind a trusted proxy on loopback, so each request can come from its own address.
    t = await createTestServer({ backend, logger: capture.logger, env: { TESSERA_TRUST_PROXY: 'loopback' } });
    await seedWorld(t);
  });
  afterEach(async () => t.close());

  function loginFrom(ip: string, options: { password?: string; cookie?: string | undefined } = {}) {
    return t.app.inject({
      method: 'POST',
      url: '/auth/v1/login',
      headers: {
        origin: ORIGIN,
        'x-forwarded-for': ip,
        ...(options.cookie !== undefined && { cookie: options.cookie }),
      },
      payload: { email: 'ada@example.com', password: options.password ?? PASSWORD, clientId: 'app' },
    });
  }

  async function attack() {
    for (const ip of ATTACKERS) {
      expect((await loginFrom(ip, { password: `guess from ${ip}` })).statusCode).toBe(401);
    }
    // Locked for every unknown source now, even with the right password.
    const locked = await loginFrom('203.0.113.200');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: 'rate_limited' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  }

  it('AUTH-02: the attacker is throttled while the victim on her known device still logs in, from anywhere', async () => {
    const first = await loginFrom(VICTIM_HOME);
    expect(first.statusCode).toBe(200);
    const device = deviceCookieOf(first);
    expect(device).toMatch(/^tessera_device=[A-Za-z0-9_-]{43}$/);
    const line = [first.headers['set-cookie']].flat().find((l) => l?.startsWith('tessera_device='));
    expect(line).toMatch(/; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Lax$/);
    // The refresh cookie stays the first Set-Cookie.
    expect([first.headers['set-cookie']].flat()[0]).toMatch(/^tessera_refresh=/);

    await attack();
    // Her browser, on the move (a new address): its own budget.
    expect((await loginFrom('192.0.2.55', { cookie: device })).statusCode).toBe(200);
    // Her home address, without the cookie (another browser at home): its own budget too.
    expect((await loginFrom(VICTIM_HOME)).statusCode).toBe(200);
    // An unknown browser from an unknown address is still throttled per account.
    expect((await loginFrom('192.0.2.56')).statusCode).toBe(429);
    // A device cookie nobody logged in to this account with is an unknown source.
    expect((await loginFrom('192.0.2.57', { cookie: `tessera_device=${'A'.repeat(43)}` })).statusCode).toBe(
      429,
    );
  });

  it('a known device guessing wrong is throttled itself (429 + Retry-After)', async () => {
    const device = deviceCookieOf(await loginFrom(VICTIM_HOME));
    for (let i = 0; i < 10; i++) {
      expect((await loginFrom('192.0.2.55', { cookie: device, password: `wrong ${i}` })).statusCode).toBe(
        401,
      );
    }
    const locked = await loginFrom('192.0.2.55', { cookie: device });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a failed login sets no device cookie; a malformed or doubled one is no device, never a 400', async () => {
    const failed = await loginFrom(VICTIM_HOME, { password: 'wrong password' });
    expect(failed.statusCode).toBe(401);
    expect(failed.headers['set-cookie']).toBeUndefined();
    for (const cookie of ['tessera_device=short', 'tessera_device=a; tessera_device=b']) {
      const response = await loginFrom('192.0.2.60', { cookie });
      expect(response.statusCode).toBe(200);
      expect(deviceCookieOf(response)).toMatch(/^tessera_device=[A-Za-z0-9_-]{43}$/);
    }
  });

  it('the hosted login follows the same rule: the victim’s browser signs in during an attack', async () => {
    const pkce = pkcePair();
    const victim = testBrowser(t);
    const at = (ip: string) => ({ 'x-forwarded-for': ip });
    const signIn = async (browser: ReturnType<typeof testBrowser>, ip: string, password = PASSWORD) => {
      const page = await browser.follow(
        await browser.request('GET', `/oauth/authorize?${authorizeQuery(pkce, { tenant_id: 'acme' })}`, {
          headers: at(ip),
        }),
      );
      return browser.request('POST', '/oauth/login', {
        headers: at(ip),
        form: {
          csrf_token: /name="csrf_token" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
          interaction_id: /name="interaction_id" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
          email: 'ada@example.com',
          password,
        },
      });
    };
    const first = await signIn(victim, VICTIM_HOME);
    expect(first.statusCode).toBe(303);
    expect(victim.jar.get('tessera_device')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Signed out again, but the browser keeps its device cookie.
    victim.jar.delete('tessera_refresh');

    for (const ip of ATTACKERS) {
      expect((await signIn(testBrowser(t), ip, `guess from ${ip}`)).statusCode).toBe(400);
    }
    const attacker = await signIn(testBrowser(t), '203.0.113.200');
    expect(attacker.statusCode).toBe(429);
    expect(Number(attacker.headers['retry-after'])).toBeGreaterThan(0);

    const again = await signIn(victim, '192.0.2.55');
    expect(again.statusCode).toBe(303);
    expect(String(again.headers.location)).toContain('code=');
  });

  it('AUTH-11: neither the device cookie nor its id ever reaches a log line', async () => {
    const first = await loginFrom(VICTIM_HOME);
    const device = deviceCookieOf(first) ?? '';
    const token = device.split('=')[1] ?? '';
    await loginFrom('192.0.2.55', { cookie: device, password: 'wrong password' });
    await loginFrom('192.0.2.55', { cookie: device });
    expect(token).toHaveLength(43);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(line).not.toContain(token);
      expect(line).not.toContain(deviceThrottleId(token));
      expect(line).not.toContain('tessera_device');
    }
  });
});

describe('AUTH-05: a known address cannot be claimed through X-Forwarded-For from an untrusted peer', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer();
    await seedWorld(t);
  });
  afterEach(async () => t.close());

  const loginFrom = (remoteAddress: string, password = PASSWORD, forwardedFor?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/v1/login',
      remoteAddress,
      headers: { origin: ORIGIN, ...(forwardedFor !== undefined && { 'x-forwarded-for': forwardedFor }) },
      payload: { email: 'ada@example.com', password, clientId: 'app' },
    });

  it('the attacker naming the victim’s address is counted at his own, and locked; the victim is not', async () => {
    expect((await loginFrom(VICTIM_HOME)).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) {
      expect((await loginFrom('203.0.113.9', `guess ${i}`, VICTIM_HOME)).statusCode).toBe(401);
    }
    const locked = await loginFrom('203.0.113.9', PASSWORD, VICTIM_HOME);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await loginFrom(VICTIM_HOME)).statusCode).toBe(200);
  });
});
