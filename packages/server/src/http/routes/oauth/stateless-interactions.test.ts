/**
 * Issue #9, defect 8 (b): an anonymous `GET /oauth/authorize` stores nothing. The pending request
 * travels in a sealed ticket (service/oauth/interactions.ts); a row appears only once a password
 * was proven, and the ticket stays bound to its browser, its environment and its 30 minutes.
 */

import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  authorizeQuery,
  callbackParams,
  hiddenField,
  pkcePair,
  testBrowser,
} from '@tessera/testing/hosted-login';
import { type CountedStorage, openCountedStorage } from '@tessera/testing/row-counts';
import { PASSWORD, seedWorld } from '@tessera/testing/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const backends = await backendsUnderTest();
const ANONYMOUS_REQUESTS = 2000;

describe.each(backends)('hosted login without stored state for anonymous visitors (%s)', (backend) => {
  let t: TestServer;
  let counted: CountedStorage;

  beforeAll(async () => {
    counted = await openCountedStorage(backend);
    t = await createTestServer({ backend, storage: counted.storage });
    await seedWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await counted?.cleanup();
  });

  const interactions = async () => (await counted.rowCounts()).interactions;

  it(`${ANONYMOUS_REQUESTS} anonymous authorization requests store no row`, async () => {
    const before = await counted.rowCounts();
    const pkce = pkcePair();
    let lastLocation = '';
    for (let i = 0; i < ANONYMOUS_REQUESTS; i++) {
      // A new browser each time: no binding cookie, no session.
      const response = await t.app.inject({
        method: 'GET',
        url: `/oauth/authorize?${authorizeQuery(pkce, { state: `s-${i}` })}`,
      });
      expect(response.statusCode).toBe(303);
      lastLocation = String(response.headers.location);
    }
    expect(await counted.rowCounts()).toEqual(before);
    expect(before.interactions).toBe(0);
    // The URL stays bounded: the sealed request, not a growing one.
    expect(lastLocation.length).toBeLessThan(1500);
  });

  it('the page survives a reload; a row appears only after the password, and completion keeps it as the mark', async () => {
    const browser = testBrowser(t);
    const start = await browser.authorize(authorizeQuery(pkcePair()));
    const page = await browser.follow(start);
    const reload = await browser.follow(start);
    expect(page.statusCode).toBe(200);
    expect(reload.statusCode).toBe(200);
    expect(await interactions()).toBe(0);
    // ada is in two tenants: the password leads to the picker, and the sign-in is now stored.
    const picker = await browser.follow(await browser.submitLogin(page, 'ada@example.com'));
    expect(picker.body).toContain('name="tenant_id"');
    expect(await interactions()).toBe(1);
    const done = await browser.chooseTenant(picker, 'acme');
    expect(done.statusCode).toBe(303);
    expect(callbackParams(done).get('code')).toBeTruthy();
    // Completed once: the picker's form again, or the page, says it expired.
    const again = await browser.chooseTenant(picker, 'acme');
    expect(again.statusCode).toBe(403);
    expect((await browser.follow(start)).body).toContain('This sign-in page has expired');
    expect(await interactions()).toBe(1);
  });

  it('a ticket is refused in another browser, altered, in another environment, or after 30 minutes', async () => {
    const browser = testBrowser(t);
    const start = await browser.authorize(authorizeQuery(pkcePair()));
    const location = String(start.headers.location);
    const page = await browser.follow(start);
    const ticket = hiddenField(page.body, 'interaction_id');
    expect(location).toBe(`/oauth/login?interaction=${ticket}`);

    const other = testBrowser(t);
    await other.authorize(authorizeQuery(pkcePair()));
    const stolen = await other.request('GET', location);
    expect(stolen.statusCode).toBe(400);
    expect(stolen.body).toContain('This sign-in page has expired');

    const [payload, mac] = ticket.split('.') as [string, string];
    const request = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    request.r.redirectUri = 'https://evil.example/cb';
    const forged = `${Buffer.from(JSON.stringify(request)).toString('base64url')}.${mac}`;
    expect((await browser.request('GET', `/oauth/login?interaction=${forged}`)).statusCode).toBe(400);
    const flipped = `${payload}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    expect((await browser.request('GET', `/oauth/login?interaction=${flipped}`)).statusCode).toBe(400);

    t.clock.advance(30 * 60);
    const late = await browser.submitLogin(page, 'bob@example.com', PASSWORD);
    expect(late.statusCode).toBe(403);
    expect(late.body).toContain('This sign-in page has expired');
    expect(await interactions()).toBe(1);
  });
});
