/**
 * The SDK's hosted-login mode (DESIGN §6) against a real server: the transaction kept per tab, the
 * callback completed once by the tab that started it (SDK-05, CSRF-04), the issuer checked (AS-14).
 */

import type { TestServer } from '@tessera/testing/harness';
import { hiddenField } from '@tessera/testing/hosted-login';
import { addUser, startSeededServer, type TestUser } from '@tessera/testing/world-per-file';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthClientOn } from './auth-client.js';
import { APP_ORIGIN, AUTH_BASE, SimulatedBrowser, type SimulatedTab } from './testing/simulated-browser.js';
import type { AuthClient, AuthOptions } from './types.js';

let server: TestServer;
let browser: SimulatedBrowser;
/** This test's own user, a member of acme, like seedWorld's Bob. */
let bob: TestUser;
const clients: AuthClient[] = [];
const REDIRECT_URI = `${APP_ORIGIN}/callback`;

// One server for the file; each test has its own user and its own browser (cookies, storage, clock).
beforeAll(async () => {
  server = await startSeededServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  bob = await addUser(server, 'bob', [['acme', 'member']]);
  browser = new SimulatedBrowser(server);
});
afterEach(() => {
  for (const created of clients.splice(0)) created.destroy();
});

function client(tab: SimulatedTab, authOptions: AuthOptions = { keepSessionAlive: true }) {
  const created = createAuthClientOn(tab.platform, {
    baseUrl: AUTH_BASE,
    clientId: 'app',
    hostedLogin: true,
    redirectUri: REDIRECT_URI,
    authOptions,
  });
  clients.push(created);
  return created;
}

async function run<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  const settled = promise.finally(() => {
    done = true;
  });
  settled.catch(() => undefined);
  for (let waited = 0; !done && waited < 60_000; waited += 100) await browser.advance(100);
  return settled;
}

/** The browser follows the hosted login as a user would: the page, the form, back to the app. */
async function signInOnHostedPage(url: string, email = bob.email): Promise<string> {
  const request = async (method: 'GET' | 'POST', path: string, form?: Record<string, string>) => {
    const response = await server.app.inject({
      method,
      url: path,
      headers: {
        cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(form && { payload: new URLSearchParams(form).toString() }),
    });
    const set = response.headers['set-cookie'];
    for (const line of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      browser.cookies.set(name!.trim(), value.join('='));
    }
    return response;
  };
  const target = new URL(url);
  let response = await request('GET', `${target.pathname}${target.search}`);
  if (response.statusCode === 303 && String(response.headers.location).startsWith('/oauth/login')) {
    const page = await request('GET', String(response.headers.location));
    response = await request('POST', '/oauth/login', {
      csrf_token: hiddenField(page.body, 'csrf_token'),
      interaction_id: hiddenField(page.body, 'interaction_id'),
      email,
      password: bob.password,
    });
  }
  return String(response.headers.location);
}

describe('hosted login with the SDK', () => {
  it('loginWithRedirect → the hosted page → the callback: signed in, and the cookie then refreshes', async () => {
    const tab = browser.openTab('/');
    await run(client(tab).loginWithRedirect());
    const [authorizeUrl] = tab.navigations;
    const params = new URL(authorizeUrl ?? '').searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(params.get('redirect_uri')).toBe(REDIRECT_URI);

    const callback = await signInOnHostedPage(authorizeUrl ?? '');
    const back = browser.openTab(new URL(callback).pathname + new URL(callback).search, tab.sessionStorage);
    const auth = client(back);
    const state = await run(auth.init());
    expect(state).toMatchObject({
      status: 'authenticated',
      user: { email: bob.email },
      tenantId: 'acme',
    });
    expect(back.url.search).toBe(''); // the code is gone from the address bar
    const before = browser.count('/auth/v1/refresh');
    await browser.advance(300_000);
    expect(browser.count('/auth/v1/refresh')).toBeGreaterThan(before);
    expect(auth.getState().status).toBe('authenticated');
  });

  it('SDK-05: the verifier is 43 random characters, kept in this tab only, and gone after use', async () => {
    const tab = browser.openTab('/');
    await run(client(tab).loginWithRedirect());
    const stored = JSON.parse(tab.sessionStorage.getItem('tessera:app:oauth-transaction') ?? '{}');
    expect(stored.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.localStorage.values().join()).not.toContain(stored.verifier);
    const callback = await signInOnHostedPage(tab.navigations[0] ?? '');
    const back = browser.openTab(new URL(callback).pathname + new URL(callback).search, tab.sessionStorage);
    await run(client(back).init());
    expect(tab.sessionStorage.getItem('tessera:app:oauth-transaction')).toBeNull();
  });

  it('CSRF-04: a replayed callback, another tab’s, or one with a wrong issuer sends no token request', async () => {
    const tab = browser.openTab('/');
    await run(client(tab).loginWithRedirect());
    const callback = new URL(await signInOnHostedPage(tab.navigations[0] ?? ''));
    const path = callback.pathname;

    // Another tab (its own sessionStorage) gets the callback: not its transaction.
    const stranger = client(browser.openTab(`${path}${callback.search}`));
    expect(await run(stranger.init())).toMatchObject({
      status: 'unauthenticated',
      endReason: 'invalid_callback',
    });

    // A wrong issuer (AS-14).
    const forged = new URL(callback.href);
    forged.searchParams.set('iss', 'https://evil.example');
    const wrongIssuer = client(browser.openTab(`${path}${forged.search}`, tab.sessionStorage));
    expect(await run(wrongIssuer.init())).toMatchObject({
      status: 'unauthenticated',
      endReason: 'invalid_callback',
    });
    expect(browser.count('/oauth/token')).toBe(0);
  });

  it('a replayed callback after it was used: refused, no second token request', async () => {
    const tab = browser.openTab('/');
    await run(client(tab).loginWithRedirect());
    const callback = new URL(await signInOnHostedPage(tab.navigations[0] ?? ''));
    const first = client(browser.openTab(`${callback.pathname}${callback.search}`, tab.sessionStorage));
    await run(first.init());
    expect(browser.count('/oauth/token')).toBe(1);
    const replay = client(browser.openTab(`${callback.pathname}${callback.search}`, tab.sessionStorage));
    expect(await run(replay.init())).toMatchObject({ endReason: 'invalid_callback' });
    expect(browser.count('/oauth/token')).toBe(1);
  });

  it('disableSilentRefresh: init() redirects to the hosted login, which comes straight back when signed in', async () => {
    const tab = browser.openTab('/');
    await run(client(tab, { disableSilentRefresh: true }).init());
    expect(tab.navigations).toHaveLength(1);
    expect(browser.count('/auth/v1/refresh')).toBe(0);
    const callback = new URL(await signInOnHostedPage(tab.navigations[0] ?? ''));
    const back = client(browser.openTab(`${callback.pathname}${callback.search}`, tab.sessionStorage), {
      disableSilentRefresh: true,
    });
    expect((await run(back.init())).status).toBe('authenticated');

    // Signed in: the next load's redirect returns with a code at once (single sign-on), no page.
    const again = browser.openTab('/');
    await run(client(again, { disableSilentRefresh: true }).init());
    const straightBack = await signInOnHostedPage(again.navigations[0] ?? '', 'nobody@example.com');
    expect(new URL(straightBack).searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('silent refresh is on by default: a reload after a hosted login restores the session without a redirect', async () => {
    const tab = browser.openTab('/');
    await run(client(tab).loginWithRedirect());
    const callback = new URL(await signInOnHostedPage(tab.navigations[0] ?? ''));
    await run(client(browser.openTab(`${callback.pathname}${callback.search}`, tab.sessionStorage)).init());
    const reload = browser.openTab('/', tab.sessionStorage);
    expect((await run(client(reload).init())).status).toBe('authenticated');
    expect(reload.navigations).toEqual([]);
  });

  it('an error callback (login_required) leaves the tab signed out with that reason', async () => {
    const tab = browser.openTab('/');
    await run(client(tab).loginWithRedirect());
    const state = new URL(tab.navigations[0] ?? '').searchParams.get('state') ?? '';
    const back = browser.openTab(
      `/callback?error=login_required&state=${state}&iss=${encodeURIComponent(AUTH_BASE)}`,
      tab.sessionStorage,
    );
    expect(await run(client(back).init())).toMatchObject({
      status: 'unauthenticated',
      endReason: 'login_required',
    });
  });
});
