/**
 * The SDK against a real server in a simulated browser (testing/simulated-browser.ts): several
 * tabs sharing cookies, storage, locks and messages, on one virtual clock. Chromium proves the same
 * behaviours in a real browser (e2e/).
 */

import type { TestServer } from '@tessera/testing/harness';
import { addUser, startSeededServer, type TestUser } from '@tessera/testing/world-per-file';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthClientOn } from './auth-client.js';
import { TesseraAuthError } from './errors.js';
import { AUTH_BASE, SimulatedBrowser, type SimulatedTab } from './testing/simulated-browser.js';
import type { AuthClient, AuthOptions } from './types.js';

const TEN_SECOND_TOKENS = { TESSERA_ACCESS_TOKEN_TTL_SECONDS: '10' };
let server: TestServer;
let browser: SimulatedBrowser;
/** This test's own user, in acme (its default tenant) and globex, like seedWorld's Ada. */
let ada: TestUser;
const clients: AuthClient[] = [];

// One server for the file; each test has its own user and its own browser (cookies, storage, clock).
beforeAll(async () => {
  server = await startSeededServer(TEN_SECOND_TOKENS);
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  ada = await addUser(server, 'ada', [
    ['acme', 'admin'],
    ['globex', 'member'],
  ]);
  browser = new SimulatedBrowser(server);
});
afterEach(() => {
  for (const created of clients.splice(0)) created.destroy();
});

function client(tab: SimulatedTab, authOptions: AuthOptions = { keepSessionAlive: true }) {
  const created = createAuthClientOn(tab.platform, { baseUrl: AUTH_BASE, clientId: 'app', authOptions });
  clients.push(created);
  return created;
}

/** Awaits an SDK promise while the virtual clock runs (its waits are virtual timers). */
async function run<T>(promise: Promise<T>, stepMs = 100, limitMs = 60_000): Promise<T> {
  let done = false;
  const settled = promise.finally(() => {
    done = true;
  });
  settled.catch(() => undefined); // handled by the caller; not an unhandled rejection meanwhile
  for (let waited = 0; !done && waited < limitMs; waited += stepMs) await browser.advance(stepMs);
  return settled;
}

describe('accountUrl', () => {
  it('is the environment’s account page, as discovery names it, known without a request', async () => {
    const tab = browser.openTab();
    const auth = client(tab);
    expect(auth.accountUrl).toBe(`${AUTH_BASE}/account`);
    expect(browser.requests).toEqual([]);
    const discovery = await server.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
    expect(auth.accountUrl).toBe(discovery.json().account_url);
    const page = await server.app.inject({ method: 'GET', url: new URL(auth.accountUrl).pathname });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('follows the environment in baseUrl, without a trailing slash doubling', () => {
    const tab = browser.openTab();
    const make = (baseUrl: string) =>
      createAuthClientOn(tab.platform, { baseUrl, clientId: 'app', authOptions: {} });
    for (const [baseUrl, expected] of [
      ['https://auth.example.com/e/staging', 'https://auth.example.com/e/staging/account'],
      ['https://auth.example.com/e/staging/', 'https://auth.example.com/e/staging/account'],
      ['https://auth.example.com/', 'https://auth.example.com/account'],
    ]) {
      const created = make(baseUrl as string);
      clients.push(created);
      expect(created.accountUrl).toBe(expected);
    }
  });
});

describe('init and silent refresh', () => {
  it('without a cookie: unauthenticated (no_session), and no redirect', async () => {
    const tab = browser.openTab();
    const state = await run(client(tab).init());
    expect(state).toMatchObject({ status: 'unauthenticated', endReason: 'no_session', user: null });
    expect(tab.navigations).toEqual([]);
  });

  it('restores the session from the cookie on load, in another tab, with the same session', async () => {
    const a = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    const b = client(browser.openTab());
    const state = await run(b.init());
    expect(state).toMatchObject({
      status: 'authenticated',
      user: { email: ada.email },
      tenantId: 'acme',
    });
    expect(state.tenantIds).toEqual(['acme', 'globex']);
  });

  it('is idempotent: init() twice (React StrictMode) refreshes once', async () => {
    const a = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    const before = browser.count('/auth/v1/refresh');
    const b = client(browser.openTab());
    await run(Promise.all([b.init(), b.init()]));
    expect(browser.count('/auth/v1/refresh') - before).toBe(1);
  });

  it('a wrong password throws invalid_credentials and changes nothing', async () => {
    const a = client(browser.openTab());
    await run(a.init());
    await expect(run(a.login({ ...ada, password: 'nope' }))).rejects.toMatchObject({
      code: 'invalid_credentials',
      status: 401,
    });
    expect(a.getState().status).toBe('unauthenticated');
  });

  it('SDK-01: the access token is in no storage, only in memory', async () => {
    const tab = browser.openTab();
    const a = client(tab);
    await run(a.init());
    await run(a.login(ada));
    const token = await run(a.getAccessToken());
    expect(token).toMatch(/^eyJ/);
    const stored = [...browser.localStorage.values(), ...tab.sessionStorage.values()].join('\n');
    expect(stored).not.toContain('eyJ');
  });
});

describe('keepSessionAlive and the tabs of one browser', () => {
  it('refreshes at about 80 % of expiresIn', async () => {
    const a = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    const before = browser.count('/auth/v1/refresh');
    await browser.advance(7000);
    expect(browser.count('/auth/v1/refresh')).toBe(before);
    await browser.advance(2000);
    expect(browser.count('/auth/v1/refresh')).toBe(before + 1);
    expect(a.getState().status).toBe('authenticated');
  });

  it('SDK-02: 5 tabs, 10 s tokens, 2 minutes: about one refresh per lifetime, never a logout', async () => {
    const tabs = Array.from({ length: 5 }, () => client(browser.openTab()));
    await run(tabs[0]!.init());
    await run(tabs[0]!.login(ada));
    for (const tab of tabs.slice(1)) await run(tab.init());
    const before = browser.count('/auth/v1/refresh');
    await browser.advance(120_000);
    const refreshes = browser.count('/auth/v1/refresh') - before;
    // A refresh every 7.5–8.5 s across all tabs: 14–16 in two minutes.
    expect(refreshes).toBeGreaterThanOrEqual(13);
    expect(refreshes).toBeLessThanOrEqual(17);
    for (const tab of tabs) expect(tab.getState().status).toBe('authenticated');
    const [session] = await server.deps.storage.listLiveSessions('default', ada.id);
    expect(session?.endReason).toBeNull();
  });

  it('SDK-02 without Web Locks (the localStorage lease): still about one refresh per lifetime', async () => {
    browser = new SimulatedBrowser(server, { webLocks: false });
    const tabs = Array.from({ length: 5 }, () => client(browser.openTab()));
    await run(tabs[0]!.init());
    await run(tabs[0]!.login(ada));
    for (const tab of tabs.slice(1)) await run(tab.init());
    const before = browser.count('/auth/v1/refresh');
    await browser.advance(120_000);
    const refreshes = browser.count('/auth/v1/refresh') - before;
    expect(refreshes).toBeGreaterThanOrEqual(13);
    expect(refreshes).toBeLessThanOrEqual(17);
    for (const tab of tabs) expect(tab.getState().status).toBe('authenticated');
  });

  it('5 tabs whose tokens all expired at once (an 8-hour sleep): one refresh, no storm', async () => {
    const tabs = Array.from({ length: 5 }, () => browser.openTab());
    const auths = tabs.map((tab) => client(tab));
    await run(auths[0]!.init());
    await run(auths[0]!.login(ada));
    for (const auth of auths.slice(1)) await run(auth.init());
    const before = browser.count('/auth/v1/refresh');
    await browser.sleep(8 * 3600 * 1000);
    for (const tab of tabs) tab.dispatch('visibilitychange');
    await browser.advance(1000);
    expect(browser.count('/auth/v1/refresh') - before).toBe(1);
    for (const auth of auths) expect(auth.getState().status).toBe('authenticated');
  });

  it('logout in one tab signs every tab out at once', async () => {
    const a = client(browser.openTab());
    const b = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    await run(b.init());
    await run(a.logout());
    await browser.settle();
    expect(b.getState()).toMatchObject({ status: 'unauthenticated', endReason: 'logout' });
    expect(await run(b.getAccessToken())).toBeNull();
  });

  it('a tab that loads without a session (racing a login elsewhere) signs no other tab out', async () => {
    const a = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    const cookies = new Map(browser.cookies);
    browser.cookies.clear();
    const b = client(browser.openTab());
    expect((await run(b.init())).endReason).toBe('no_session');
    for (const [name, value] of cookies) browser.cookies.set(name, value);
    await browser.advance(1000);
    expect(a.getState().status).toBe('authenticated');
  });

  it('a tab signing in brings the other signed-out tabs in', async () => {
    const a = client(browser.openTab());
    const b = client(browser.openTab());
    await run(a.init());
    await run(b.init());
    await run(a.login(ada));
    await browser.advance(100);
    expect(b.getState().status).toBe('authenticated');
  });

  it('the server answering 503 for 30 s: the session survives, retries back off, then recovers', async () => {
    const a = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    browser.outage = 503;
    const before = browser.count('/auth/v1/refresh');
    await browser.advance(30_000);
    const attempts = browser.count('/auth/v1/refresh') - before;
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(8);
    expect(a.getState().status).toBe('authenticated');
    browser.outage = null;
    await browser.advance(30_000);
    expect(a.getState().status).toBe('authenticated');
    expect(await run(a.getAccessToken())).toMatch(/^eyJ/);
  });

  /** Runs a 20 s outage in 100 ms steps; when the last refresh of it was sent. */
  async function outage(kind: 'offline' | 503): Promise<number> {
    browser.outage = kind;
    let lastAttemptAt = 0;
    let seen = browser.count('/auth/v1/refresh');
    for (let step = 0; step < 200; step++) {
      await browser.advance(100);
      if (browser.count('/auth/v1/refresh') !== seen) {
        seen = browser.count('/auth/v1/refresh');
        lastAttemptAt = browser.now();
      }
    }
    browser.outage = null;
    return lastAttemptAt;
  }

  it("after a 20 s outage of 503s, getAccessToken tries at once a moment after the last failure, not at the server's Retry-After or the next backoff slot", async () => {
    const a = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    const lastAttemptAt = await outage(503);
    expect(a.getState().status).toBe('authenticated');
    const before = browser.count('/auth/v1/refresh');
    // Within a moment of the last failure an explicit call is answered from it, without a request.
    await browser.advance(lastAttemptAt + 500 - browser.now());
    await expect(run(a.getAccessToken(), 10, 100)).rejects.toBeInstanceOf(TesseraAuthError);
    expect(browser.count('/auth/v1/refresh')).toBe(before);
    // The last 503 said Retry-After: 5 and the background backoff is further out still; the server
    // is healthy again, so the application's call goes out now and succeeds.
    await browser.advance(lastAttemptAt + 1_100 - browser.now());
    expect(await run(a.getAccessToken(), 10, 100)).toMatch(/^eyJ/);
    expect(browser.count('/auth/v1/refresh')).toBe(before + 1);
  });

  it('after a 20 s outage without an answer, getAccessToken tries at once once a moment has passed', async () => {
    const a = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    const lastAttemptAt = await outage('offline');
    const before = browser.count('/auth/v1/refresh');
    await browser.advance(lastAttemptAt + 1_100 - browser.now());
    expect(await run(a.getAccessToken(), 10, 100)).toMatch(/^eyJ/);
    expect(browser.count('/auth/v1/refresh')).toBe(before + 1);
  });

  it('during an outage, repeated explicit calls send at most one request per moment', async () => {
    const a = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    browser.outage = 'offline';
    await browser.advance(11_000); // the access token expires; background retries fail
    const before = browser.count('/auth/v1/refresh');
    const started = browser.now();
    for (let i = 0; i < 50; i++) {
      await expect(run(a.getAccessToken(), 10, 100)).rejects.toBeInstanceOf(TesseraAuthError);
    }
    const seconds = (browser.now() - started) / 1000;
    // Explicit and background attempts together: no more than one per second, plus the first.
    expect(browser.count('/auth/v1/refresh') - before).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    expect(a.getState().status).toBe('authenticated');
  });

  it('offline: getAccessToken hands out a still-valid token, and throws network_error once it expired', async () => {
    const a = client(browser.openTab(), {});
    await run(a.init());
    await run(a.login(ada));
    browser.outage = 'offline';
    await browser.advance(9000);
    // 1 s left, under the minimum validity: it tries to refresh, fails, and hands out the valid token.
    expect(await run(a.getAccessToken())).toMatch(/^eyJ/);
  });

  it('without keepSessionAlive the tab is signed out when the access token expires', async () => {
    const a = client(browser.openTab(), {});
    await run(a.init());
    await run(a.login(ada));
    await browser.advance(10_001);
    expect(a.getState()).toMatchObject({ status: 'unauthenticated', endReason: 'token_expired' });
  });
});

describe('tenants', () => {
  it('enableSessionPerTenant: each tab keeps its tenant across reloads; a switch moves no other tab', async () => {
    const tabA = browser.openTab();
    const tabB = browser.openTab();
    const perTenant = { keepSessionAlive: true, enableSessionPerTenant: true };
    const a = client(tabA, perTenant);
    const b = client(tabB, perTenant);
    await run(a.init());
    await run(a.login(ada));
    await run(b.init());
    await run(a.switchTenant('globex'));
    expect(a.getState().tenantId).toBe('globex');
    await browser.advance(20_000);
    expect(b.getState().tenantId).toBe('acme');
    expect(a.getState().tenantId).toBe('globex');

    // Reload both: a reload keeps the tab's sessionStorage.
    a.destroy();
    b.destroy();
    const a2 = client(browser.openTab('/', tabA.sessionStorage), perTenant);
    const b2 = client(browser.openTab('/', tabB.sessionStorage), perTenant);
    expect((await run(a2.init())).tenantId).toBe('globex');
    expect((await run(b2.init())).tenantId).toBe('acme');
  });

  it('without it, a switch in one tab moves every tab', async () => {
    const a = client(browser.openTab());
    const b = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    await run(b.init());
    await run(a.switchTenant('globex'));
    await browser.settle();
    expect(b.getState().tenantId).toBe('globex');
    const c = client(browser.openTab());
    expect((await run(c.init())).tenantId).toBe('globex');
  });

  it("a tab whose tenant the user was removed from falls back to the session's tenant", async () => {
    const a = client(browser.openTab(), { keepSessionAlive: true, enableSessionPerTenant: true });
    await run(a.init());
    await run(a.login(ada));
    await run(a.switchTenant('globex'));
    await server.deps.storage.deleteMembership('default', 'globex', ada.id);
    await browser.advance(10_000);
    expect(a.getState()).toMatchObject({ status: 'authenticated', tenantId: 'acme', tenantIds: ['acme'] });
  });

  it('a tenant the user is not in: tenant_forbidden, and the session is kept', async () => {
    const a = client(browser.openTab(), { keepSessionAlive: true, enableSessionPerTenant: true });
    await run(a.init());
    await run(a.login(ada));
    await expect(run(a.switchTenant('initech'))).rejects.toMatchObject({ code: 'tenant_forbidden' });
    expect(a.getState()).toMatchObject({ status: 'authenticated', tenantId: 'acme' });
  });
});

describe('idle timeout with background refresh (DESIGN §2)', () => {
  // The idle timeout is the environment's policy: a server of its own, so no other test runs under it.
  let fileServer: TestServer;
  beforeAll(async () => {
    fileServer = server;
    server = await startSeededServer(TEN_SECOND_TOKENS);
    await server.deps.storage.updateEnvironment('default', {
      sessionPolicy: {
        idleTimeoutSeconds: 60,
        absoluteTimeoutSeconds: null,
        maxConcurrentSessions: null,
        onLimit: 'evict_oldest',
      },
    });
  });
  afterAll(async () => {
    await server.close();
    server = fileServer;
  });

  it('no interaction: signed out after the idle time although refreshes kept running', async () => {
    const a = client(browser.openTab());
    const b = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    await run(b.init());
    await browser.advance(75_000);
    expect(a.getState()).toMatchObject({ status: 'unauthenticated', endReason: 'idle_timeout' });
    expect(b.getState()).toMatchObject({ status: 'unauthenticated', endReason: 'idle_timeout' });
  });

  it('interaction in one tab keeps every tab signed in', async () => {
    const tabA = browser.openTab();
    const a = client(tabA);
    const b = client(browser.openTab());
    await run(a.init());
    await run(a.login(ada));
    await run(b.init());
    for (let second = 0; second < 180; second += 20) {
      tabA.dispatch('pointerdown');
      await browser.advance(20_000);
    }
    expect(a.getState().status).toBe('authenticated');
    expect(b.getState().status).toBe('authenticated');
  });
});

describe('options', () => {
  it.each([
    [{ baseUrl: 'auth.example.com', clientId: 'app' }, 'baseUrl'],
    [{ baseUrl: 'ftp://auth.example.com', clientId: 'app' }, 'baseUrl'],
    [{ baseUrl: 'https://auth.example.com?x=1', clientId: 'app' }, 'baseUrl'],
    [{ baseUrl: 'https://auth.example.com', clientId: '' }, 'clientId'],
    [{ baseUrl: 'https://auth.example.com', clientId: 'app', redirectUri: '/callback' }, 'redirectUri'],
  ])('refuses %j naming %s', (options, name) => {
    const create = () => createAuthClientOn(browser.openTab().platform, options);
    expect(create).toThrow(TesseraAuthError);
    expect(create).toThrow(name);
  });
});
