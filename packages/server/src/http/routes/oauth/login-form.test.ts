/**
 * The hosted login page's form post (DESIGN §3.2; security.md CSRF-03, AS-09, AUTH-*): bound to
 * the browser that opened the page, the same answer for every credential failure, 303 on success.
 */

import { createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  authorizeQuery,
  callbackParams,
  hiddenField,
  pkcePair,
  testBrowser,
} from '@tessera/testing/hosted-login';
import { PASSWORD, seedWorld, type World } from '@tessera/testing/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_ERROR_MESSAGES } from '../../../login-ui/index.js';

let t: TestServer;
let world: World;
beforeAll(async () => {
  t = await createTestServer();
  world = await seedWorld(t);
});
afterAll(async () => t.close());

async function openLoginPage() {
  const browser = testBrowser(t);
  const page = await browser.follow(await browser.authorize(authorizeQuery(pkcePair())));
  return { browser, page };
}

function fields(page: { body: string }) {
  return {
    csrf_token: hiddenField(page.body, 'csrf_token'),
    interaction_id: hiddenField(page.body, 'interaction_id'),
    email: 'bob@example.com',
    password: PASSWORD,
  };
}

describe('CSRF-03: login CSRF', () => {
  it('a post without the token, with a wrong one, or with another page’s is 403 and signs nobody in', async () => {
    const { browser, page } = await openLoginPage();
    const other = await openLoginPage();
    const good = fields(page);
    for (const form of [
      { ...good, csrf_token: '' },
      { ...good, csrf_token: 'x'.repeat(43) },
      { ...good, csrf_token: fields(other.page).csrf_token },
      { ...good, interaction_id: fields(other.page).interaction_id },
    ]) {
      const response = await browser.request('POST', '/oauth/login', { form });
      expect(response.statusCode).toBe(403);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.headers.location).toBeUndefined();
    }
    // The real form still works afterwards.
    expect((await browser.request('POST', '/oauth/login', { form: good })).statusCode).toBe(303);
  });

  it('a post from a browser without the page’s binding cookie (a forged cross-site form) is 403', async () => {
    const { page } = await openLoginPage();
    const stranger = testBrowser(t);
    const response = await stranger.request('POST', '/oauth/login', { form: fields(page) });
    expect(response.statusCode).toBe(403);
  });

  it('a cross-site or sibling-site post, or a foreign Origin, is 403', async () => {
    const { browser, page } = await openLoginPage();
    for (const headers of [
      { 'sec-fetch-site': 'cross-site' } as Record<string, string>,
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ]) {
      expect(
        (await browser.request('POST', '/oauth/login', { form: fields(page), headers })).statusCode,
      ).toBe(403);
    }
    const sameOrigin = { origin: 'http://localhost:4000', 'sec-fetch-site': 'same-origin' };
    expect(
      (await browser.request('POST', '/oauth/login', { form: fields(page), headers: sameOrigin })).statusCode,
    ).toBe(303);
  });

  it('the interaction is never promoted to the session, and completes once', async () => {
    const { browser, page } = await openLoginPage();
    const form = fields(page);
    const done = await browser.request('POST', '/oauth/login', { form });
    expect(done.statusCode).toBe(303);
    const [session] = await t.deps.storage.listLiveSessions('default', world.users.bob.id);
    expect(session?.id).not.toBe(form.interaction_id);
    const again = await browser.request('POST', '/oauth/login', { form });
    expect(again.statusCode).toBe(403);
    expect(again.body).toContain('This sign-in page has expired');
  });

  it('an expired login page (30 min) says so', async () => {
    const { browser, page } = await openLoginPage();
    t.clock.advance(30 * 60 + 1);
    const response = await browser.request('POST', '/oauth/login', { form: fields(page) });
    expect(response.statusCode).toBe(403);
    const reload = await browser.request('GET', `/oauth/login?interaction=${fields(page).interaction_id}`);
    expect(reload.statusCode).toBe(400);
    expect(reload.body).toContain('This sign-in page has expired');
  });
});

describe('credential failures', () => {
  it('a wrong password, an unknown email and a disabled account get the very same page', async () => {
    const answers: string[] = [];
    await t.deps.storage.setUserStatus({
      envId: 'default',
      userId: world.users.ada.id,
      status: 'disabled',
      now: t.clock.now(),
    });
    for (const [email, password] of [
      ['bob@example.com', 'wrong password'],
      ['nobody@example.com', PASSWORD],
      ['ada@example.com', PASSWORD],
    ] as const) {
      const { browser, page } = await openLoginPage();
      const response = await browser.request('POST', '/oauth/login', {
        form: { ...fields(page), email, password },
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.body).toContain(`role="alert">${LOGIN_ERROR_MESSAGES.invalid_credentials}</div>`);
      answers.push(
        response.body
          .replaceAll(fields(page).csrf_token, '')
          .replaceAll(fields(page).interaction_id, '')
          .replace(email, ''),
      );
    }
    await t.deps.storage.setUserStatus({
      envId: 'default',
      userId: world.users.ada.id,
      status: 'active',
      now: t.clock.now(),
    });
    expect(new Set(answers).size).toBe(1);
  });

  it('the page stays usable after a failure, and the email is kept', async () => {
    const { browser, page } = await openLoginPage();
    const failed = await browser.request('POST', '/oauth/login', {
      form: { ...fields(page), password: 'nope' },
    });
    expect(failed.body).toContain('value="bob@example.com"');
    const done = await browser.request('POST', '/oauth/login', { form: fields(failed) });
    expect(done.statusCode).toBe(303);
    expect(callbackParams(done).get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('missing or oversized fields are a failed attempt, not a crash', async () => {
    const { browser, page } = await openLoginPage();
    const { email: _email, ...noEmail } = fields(page);
    for (const form of [noEmail, { ...fields(page), password: 'p'.repeat(5000) }]) {
      const response = await browser.request('POST', '/oauth/login', { form });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('role="alert"');
    }
  });

  it('rate limiting shows its own message with 429 and Retry-After', async () => {
    const target = 'throttled@example.com';
    let last = { statusCode: 0, headers: {} as Record<string, unknown>, body: '' };
    for (let i = 0; i < 11; i++) {
      const { browser, page } = await openLoginPage();
      last = await browser.request('POST', '/oauth/login', {
        form: { ...fields(page), email: target, password: 'x' },
      });
    }
    expect(last.statusCode).toBe(429);
    expect(last.headers['retry-after']).toMatch(/^\d+$/);
    expect(last.body).toContain(LOGIN_ERROR_MESSAGES.rate_limited);
  });

  it('the tenant picker refuses a tenant the user is not in, and shows the choices again', async () => {
    const browser = testBrowser(t);
    const page = await browser.follow(await browser.authorize(authorizeQuery(pkcePair())));
    const picker = await browser.follow(await browser.submitLogin(page, 'ada@example.com'));
    const refused = await browser.chooseTenant(picker, 'initech');
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Choose an organization');
    expect((await browser.chooseTenant(refused, 'acme')).statusCode).toBe(303);
  });

  it('only GET and POST', async () => {
    const response = await t.app.inject({ method: 'PUT', url: '/oauth/login' });
    expect(response.statusCode).toBe(405);
  });
});
