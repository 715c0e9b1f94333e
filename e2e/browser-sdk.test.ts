/**
 * `@tessera/browser` in real Chromium against a real server process (issue #4, "Proof"): several
 * tabs of one browser context share the refresh cookie, localStorage, Web Locks and
 * BroadcastChannel, as they do for a user. Where time matters it is virtual on both sides: the
 * context's Playwright clock (`context.clock`, which drives every tab of the context) and the
 * server's movable clock (support/movable-clock-server.ts) go forward together, a second at a
 * time, and the test waits for the tabs to settle in between rather than for a fixed pause.
 *
 * The SDK is bundled from source with esbuild at start and served with its test page
 * (support/sdk-page.ts) from a second origin of the same site (`http://localhost:<appPort>`).
 * One server, one Chromium for the file; a browser context (one user's browser) per test.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppOrigin, serveAppOrigin } from './support/app-origin.js';
import { chromiumAvailable, launchChromium } from './support/chromium.js';
import { sleep, until } from './support/processes.js';
import {
  eventsOf,
  type PageEvent,
  type PageGlobals,
  type PageState,
  type SdkPageConfig,
  sdkAppAssets,
  sdkPagePath,
  settled,
  stateOf,
  tokenOf,
  waitForStatus,
} from './support/sdk-page.js';
import { startTessera, type Tessera } from './support/tessera.js';
import { claimsOf } from './support/tokens.js';

const CLIENT_ID = 'e2e-sdk';
const IDLE_ENV = 'idle';
const IDLE_CLIENT_ID = 'e2e-sdk-idle';
const PASSWORD = 'correct horse battery staple';
const EMAIL = 'dana@example.com';
const TENANTS = [
  { id: 'acme', name: 'Acme' },
  { id: 'globex', name: 'Globex' },
];
/** The access-token lifetime the server is started with. */
const TOKEN_TTL_SECONDS = 10;
const IDLE_TIMEOUT_SECONDS = 30;

interface RefreshRecord {
  /** The tab that sent it (index in `Session.pages`, -1 when unknown). */
  tab: number;
  body: { tenantId?: string; active?: boolean } | null;
  status?: number;
  error?: string;
  /** Real time (Date.now() in this process) when it was sent. */
  at: number;
  /** The server's clock then, in ms (real time plus the movable clock's offset). */
  serverAt: number;
}

/** A browser context (one user's browser) with what its tabs sent. */
interface Session {
  context: BrowserContext;
  pages: Page[];
  refreshes: RefreshRecord[];
  /** Refresh requests sent and not yet answered (or failed). */
  pendingRefreshes: number;
  urls: string[];
  pageErrors: string[];
  consoleErrors: string[];
}

const statuses = (events: PageEvent[]) => events.map((event) => event.status);
/** The statuses from the tab's first `authenticated` on (a tab opened before the login starts signed out). */
const statusesSinceSignIn = (events: PageEvent[]) => {
  const all = statuses(events);
  const first = all.indexOf('authenticated');
  return first < 0 ? [] : all.slice(first);
};
/** The page's clock (the Playwright clock where installed), in epoch ms. */
const pageNow = (page: Page) => page.evaluate(() => Date.now());
const isRefresh = (url: string) => new URL(url).pathname.endsWith('/auth/v1/refresh');

describe.runIf(chromiumAvailable())('@tessera/browser in Chromium against a real server', () => {
  let tessera: Tessera;
  let app: AppOrigin;
  let browser: Browser;
  let idleBaseUrl: string;
  const sessions: Session[] = [];
  /** Refresh-cookie values seen in any context, to look for in URLs (CK-10). */
  const cookieValues = new Set<string>();
  /** Access tokens seen, likewise. */
  const accessTokens = new Set<string>();

  /** The server's clock, in epoch seconds (real time plus the movable clock's offset). */
  const serverNow = () => Date.now() / 1000 + tessera.clockOffset();

  /** A fresh browser profile; with `clock`, the Playwright clock is installed before any page. */
  async function newSession(options: { clock?: boolean } = {}): Promise<Session> {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    context.setDefaultTimeout(30_000);
    if (options.clock) await context.clock.install();
    const session: Session = {
      context,
      pages: [],
      refreshes: [],
      pendingRefreshes: 0,
      urls: [],
      pageErrors: [],
      consoleErrors: [],
    };
    sessions.push(session);
    context.on('request', (request) => {
      session.urls.push(request.url());
      if (request.method() !== 'POST' || !isRefresh(request.url())) return;
      session.pendingRefreshes++;
      const record: RefreshRecord = {
        tab: session.pages.indexOf(request.frame().page()),
        body: request.postDataJSON() as RefreshRecord['body'],
        at: Date.now(),
        serverAt: Date.now() + tessera.clockOffset() * 1000,
      };
      session.refreshes.push(record);
      void request
        .response()
        .then(async (response) => {
          if (!response) return;
          record.status = response.status();
          if (!response.ok()) {
            const body = (await response.json().catch(() => null)) as { error?: string } | null;
            record.error = body?.error ?? `http_${response.status()}`;
          }
        })
        .catch(() => undefined);
    });
    const answered = (request: { method(): string; url(): string }) => {
      if (request.method() === 'POST' && isRefresh(request.url())) session.pendingRefreshes--;
    };
    context.on('requestfinished', answered);
    context.on('requestfailed', answered);
    context.on('response', async (response) => {
      // Every refresh token the server hands this browser, rotated ones included (CK-10).
      const setCookie = await response.headerValue('set-cookie').catch(() => null);
      for (const match of setCookie?.matchAll(/tessera_refresh[A-Za-z0-9_]*=([^;\s]+)/g) ?? [])
        if (match[1]) cookieValues.add(match[1]);
    });
    context.on('weberror', (error) => session.pageErrors.push(error.error().message));
    context.on('console', (message) => {
      if (message.type() === 'error')
        session.consoleErrors.push(`${message.page()?.url()}: ${message.text()}`);
    });
    return session;
  }

  type Flags = Omit<SdkPageConfig, 'baseUrl' | 'clientId'> & { env?: 'default' | 'idle' };

  function pageUrl(flags: Flags) {
    const idle = flags.env === IDLE_ENV;
    return `${app.url}${sdkPagePath({
      ...flags,
      baseUrl: idle ? idleBaseUrl : tessera.url,
      clientId: idle ? IDLE_CLIENT_ID : CLIENT_ID,
    })}`;
  }

  async function openTab(session: Session, flags: Flags) {
    const page = await session.context.newPage();
    session.pages.push(page);
    await page.goto(pageUrl(flags));
    await settled(page);
    return page;
  }

  async function login(page: Page, tenantId = 'acme') {
    const state = await page.evaluate(
      (credentials) => (globalThis as unknown as PageGlobals).auth.login(credentials),
      { email: EMAIL, password: PASSWORD, tenantId },
    );
    expect(state.status).toBe('authenticated');
    return state;
  }

  /**
   * Waits until the browsers are quiet: no refresh on the wire, and the tabs of each browser agree
   * (the same token, or all signed out) — what a refresh in one tab leads to in the others.
   */
  async function settle(browsers: Session[]) {
    await until(
      async () => {
        if (browsers.some((session) => session.pendingRefreshes > 0)) return false;
        for (const session of browsers) {
          const states = await Promise.all(session.pages.map((page) => stateOf(page)));
          if (new Set(states.map((state) => `${state.status} ${state.expiresAt}`)).size > 1) return false;
        }
        // A refresh may have gone out while the states were read.
        return browsers.every((session) => session.pendingRefreshes === 0);
      },
      'the tabs to settle',
      20_000,
      10,
    );
  }

  /** Waits until no refresh was sent for `ms` of real time (and none is on the wire). */
  async function quietFor(session: Session, ms: number) {
    await until(
      () => session.pendingRefreshes === 0 && Date.now() - (session.refreshes.at(-1)?.at ?? 0) >= ms,
      `${ms} ms without a refresh`,
      ms + 20_000,
    );
  }

  /**
   * Moves time `ms` forward in steps of whole seconds (one by default), for the server and for the
   * browsers (whose clocks must be installed), settling after each step; stops early once `until`
   * holds. The server's clock moves first, so what a step sends finds it up to a step ahead.
   */
  async function advance(
    browsers: Session[],
    ms: number,
    options: { stepSeconds?: number; until?: () => boolean } = {},
  ) {
    const step = options.stepSeconds ?? 1;
    for (let done = 0; done < ms; done += step * 1000) {
      await tessera.setClockOffset(tessera.clockOffset() + step);
      await Promise.all(browsers.map((session) => session.context.clock.runFor(step * 1000)));
      await settle(browsers);
      if (options.until?.()) return;
    }
  }

  /** Remembers the session's secrets (the refresh cookie, the tabs' access tokens) for CK-10. */
  async function collectSecrets(session: Session) {
    for (const cookie of await session.context.cookies(tessera.url))
      if (/tessera_refresh/.test(cookie.name) && cookie.value.length > 0) cookieValues.add(cookie.value);
    for (const page of session.pages) {
      if (page.isClosed()) continue;
      const token = await tokenOf(page).catch(() => null);
      if (token) accessTokens.add(token);
    }
  }

  async function closeSession(session: Session) {
    await collectSecrets(session).catch(() => undefined);
    await session.context.close().catch(() => undefined);
  }

  function expectNoPageErrors(session: Session) {
    expect(session.pageErrors, `page errors; console: ${JSON.stringify(session.consoleErrors)}`).toEqual([]);
  }

  beforeAll(async () => {
    let assets: Awaited<ReturnType<typeof sdkAppAssets>>;
    [tessera, assets, browser] = await Promise.all([
      startTessera({
        movableClock: {},
        env: { TESSERA_ACCESS_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS) },
      }),
      sdkAppAssets(),
      launchChromium(),
    ]);
    app = await serveAppOrigin(assets);

    // The world, through the admin API (DESIGN §3.3): the default environment, and one with an
    // idle timeout for the idle test.
    const idleEnv = await tessera.adminOk<{ baseUrl: string }>('POST', '/environments', {
      id: IDLE_ENV,
      name: 'Idle',
    });
    await tessera.adminOk('PATCH', `/environments/${IDLE_ENV}`, {
      sessionPolicy: { idleTimeoutSeconds: IDLE_TIMEOUT_SECONDS },
    });
    idleBaseUrl = idleEnv.baseUrl;
    for (const [envId, clientId] of [
      ['default', CLIENT_ID],
      [IDLE_ENV, IDLE_CLIENT_ID],
    ] as const) {
      const env = `/environments/${envId}`;
      await tessera.adminOk('POST', `${env}/clients`, {
        clientId,
        name: 'SDK test page',
        type: 'spa',
        redirectUris: [`${app.url}/callback`],
        allowedOrigins: [app.url],
        postLogoutRedirectUris: [`${app.url}/`],
      });
      await tessera.adminOk('POST', `${env}/roles`, {
        key: 'member',
        name: 'Member',
        permissions: ['orders:read'],
      });
      for (const tenant of TENANTS) await tessera.adminOk('POST', `${env}/tenants`, tenant);
      const user = await tessera.adminOk<{ id: string }>('POST', `${env}/users`, {
        email: EMAIL,
        password: PASSWORD,
        name: 'Dana',
      });
      for (const tenant of TENANTS)
        await tessera.adminOk('PUT', `${env}/tenants/${tenant.id}/members/${user.id}`, { roles: ['member'] });
    }
    const env = await tessera.adminOk<{ sessionPolicy: { idleTimeoutSeconds: number | null } }>(
      'GET',
      `/environments/${IDLE_ENV}`,
    );
    expect(env.sessionPolicy.idleTimeoutSeconds).toBe(IDLE_TIMEOUT_SECONDS);
  }, 120_000);

  afterAll(async () => {
    for (const session of sessions) await session.context.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
    await tessera?.stop();
  });

  it('tab-per-tenant: each tab keeps its own tenant across reloads, and its token says so', async () => {
    const session = await newSession();
    const flags = { perTenant: true, keepAlive: true };
    const a = await openTab(session, flags);
    expect((await stateOf(a)).status).toBe('unauthenticated');
    await login(a, 'acme');
    const b = await openTab(session, flags);
    expect(await stateOf(b)).toMatchObject({ status: 'authenticated', tenantId: 'acme' });

    const switched = await a.evaluate(() =>
      (globalThis as unknown as PageGlobals).auth.switchTenant('globex'),
    );
    expect(switched).toMatchObject({ status: 'authenticated', tenantId: 'globex' });
    await sleep(1500);
    expect((await stateOf(b)).tenantId).toBe('acme');
    expect(claimsOf(await tokenOf(b)).tenantId).toBe('acme');

    await Promise.all([a.reload(), b.reload()]);
    const [afterA, afterB] = await Promise.all([settled(a), settled(b)]);
    expect(afterA).toMatchObject({ status: 'authenticated', tenantId: 'globex' });
    expect(afterB).toMatchObject({ status: 'authenticated', tenantId: 'acme' });
    const [claimsA, claimsB] = [claimsOf(await tokenOf(a)), claimsOf(await tokenOf(b))];
    expect(claimsA).toMatchObject({ tenantId: 'globex', aud: CLIENT_ID });
    expect(claimsB).toMatchObject({ tenantId: 'acme', aud: CLIENT_ID });
    // One browser, one session.
    expect(claimsA.sid).toBe(claimsB.sid);
    // Each tab asked for its own tenant on reload.
    const lastOf = (tab: number) => session.refreshes.filter((r) => r.tab === tab).at(-1);
    expect(lastOf(0)?.body?.tenantId).toBe('globex');
    expect(lastOf(1)?.body?.tenantId).toBe('acme');
    expectNoPageErrors(session);
    await closeSession(session);
  }, 120_000);

  it('without enableSessionPerTenant, a switch in one tab moves the other within a second', async () => {
    const session = await newSession();
    const flags = { keepAlive: true };
    const a = await openTab(session, flags);
    await login(a, 'acme');
    const b = await openTab(session, flags);
    expect(await stateOf(b)).toMatchObject({ status: 'authenticated', tenantId: 'acme' });

    await a.evaluate(() => (globalThis as unknown as PageGlobals).auth.switchTenant('globex'));
    const switchedAt = Date.now();
    await b.waitForFunction(
      () => (globalThis as unknown as PageGlobals).auth.getState().tenantId === 'globex',
      undefined,
      { timeout: 5_000 },
    );
    const followedIn = Date.now() - switchedAt;
    console.log(`[tenant] tab B followed tab A's switch in ${followedIn} ms`);
    expect(followedIn).toBeLessThan(1000);
    expect(claimsOf(await tokenOf(b)).tenantId).toBe('globex');
    // It is the session's tenant now: a reload stays on it.
    await b.reload();
    expect(await settled(b)).toMatchObject({ status: 'authenticated', tenantId: 'globex' });
    expect(claimsOf(await tokenOf(b)).tenantId).toBe('globex');
    expectNoPageErrors(session);
    await closeSession(session);
  }, 120_000);

  it('silent refresh on reload: loading → authenticated, no redirect, never unauthenticated', async () => {
    const session = await newSession();
    const page = await openTab(session, { keepAlive: true });
    await login(page);
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    const refreshesBefore = session.refreshes.length;
    await page.reload();
    await settled(page);
    expect(statuses(await eventsOf(page))).toEqual(['loading', 'authenticated']);
    expect(navigations.map((url) => new URL(url).origin)).toEqual([app.url]);
    expect(session.refreshes.length - refreshesBefore).toBe(1);
    expect(session.urls.some((url) => url.startsWith(`${tessera.url}/oauth/`))).toBe(false);
    expectNoPageErrors(session);
    await closeSession(session);
  }, 120_000);

  it('silent refresh after a hosted login; with disableSilentRefresh, init() redirects instead', async () => {
    const session = await newSession();
    const page = await openTab(session, { hosted: true, keepAlive: true });
    expect((await stateOf(page)).status).toBe('unauthenticated');

    // Hosted login: code + PKCE through the server's login page, back on /callback.
    await page.evaluate(() => {
      void (globalThis as unknown as PageGlobals).auth.loginWithRedirect({ tenantId: 'acme' });
    });
    await page.waitForURL((url) => url.origin === tessera.url && url.pathname === '/oauth/login');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The user is in two tenants; `tenant_id` (from loginWithRedirect) skips the tenant picker.
    await page.waitForURL((url) => url.origin === app.url && url.pathname === '/callback');
    expect(await settled(page)).toMatchObject({ status: 'authenticated', tenantId: 'acme' });
    // The callback's parameters are gone from the address bar.
    expect(new URL(page.url()).search).toBe('');
    expect(claimsOf(await tokenOf(page))).toMatchObject({ tenantId: 'acme', aud: CLIENT_ID });

    // Reload: the cookie the hosted login set restores the session silently.
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    const refreshesBefore = session.refreshes.length;
    await page.reload();
    expect(await settled(page)).toMatchObject({ status: 'authenticated', tenantId: 'acme' });
    expect(statuses(await eventsOf(page))).toEqual(['loading', 'authenticated']);
    expect(navigations).toEqual([`${app.url}/callback`]);
    expect(session.refreshes.length - refreshesBefore).toBe(1);

    // disableSilentRefresh + hostedLogin, while signed in: init() goes through /oauth/authorize
    // (no refresh call), which comes straight back with a code.
    const redirected = await session.context.newPage();
    session.pages.push(redirected);
    const hops: string[] = [];
    redirected.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === redirected.mainFrame())
        hops.push(`${new URL(request.url()).origin}${new URL(request.url()).pathname}`);
    });
    const refreshesBeforeRedirect = session.refreshes.length;
    await redirected.goto(pageUrl({ hosted: true, noSilent: true }));
    await redirected.waitForURL((url) => url.origin === app.url && url.pathname === '/callback');
    expect(await settled(redirected)).toMatchObject({ status: 'authenticated' });
    expect(hops).toContain(`${tessera.url}/oauth/authorize`);
    expect(hops).not.toContain(`${tessera.url}/oauth/login`);
    expect(session.refreshes.length - refreshesBeforeRedirect).toBe(0);
    expect(claimsOf(await tokenOf(redirected)).sid).toBe(claimsOf(await tokenOf(page)).sid);
    expectNoPageErrors(session);
    await closeSession(session);

    // And in a browser without a session: to the hosted login page, without a refresh call.
    const fresh = await newSession();
    const signedOut = await fresh.context.newPage();
    fresh.pages.push(signedOut);
    await signedOut.goto(pageUrl({ hosted: true, noSilent: true }));
    await signedOut.waitForURL((url) => url.origin === tessera.url && url.pathname === '/oauth/login');
    expect(fresh.refreshes).toEqual([]);
    expectNoPageErrors(fresh);
    await closeSession(fresh);
  }, 120_000);

  it('refresh storm: 5 tabs, 10 s tokens, keepSessionAlive, 2 minutes → about one refresh per token lifetime', async () => {
    const session = await newSession({ clock: true });
    const flags = { keepAlive: true };
    const first = await openTab(session, flags);
    await login(first);
    for (let i = 1; i < 5; i++) await openTab(session, flags);
    for (const page of session.pages) expect((await stateOf(page)).status).toBe('authenticated');

    await settle([session]);
    const startIndex = session.refreshes.length;
    const fakeStart = await pageNow(first);
    const realStart = Date.now();
    // The server's clock goes along: its `iat` (1-s resolution) orders tokens, so consecutive
    // refreshes must be seconds apart for it as they are for the tabs. Two-second steps: the tabs
    // refresh about every 8 s, and how many times is all this test counts.
    await advance([session], 120_000, { stepSeconds: 2 });
    const fakeElapsed = (await pageNow(first)) - fakeStart;
    const storm = session.refreshes.slice(startIndex);
    const byTab = [0, 1, 2, 3, 4].map((tab) => storm.filter((r) => r.tab === tab).length);
    const perLifetime = storm.length / (fakeElapsed / 1000 / TOKEN_TTL_SECONDS);
    // Two tabs refreshing back to back (the second did not take the first one's token).
    const gaps = storm.slice(1).map((r, i) => r.serverAt - (storm[i]?.serverAt ?? 0));
    const backToBack = gaps.filter((gap) => gap < 300).length;
    console.log(
      `[storm] ${storm.length} refreshes in ${(fakeElapsed / 1000).toFixed(1)} s of page time ` +
        `(${((Date.now() - realStart) / 1000).toFixed(1)} s real) across 5 tabs; by tab ${JSON.stringify(byTab)}; ` +
        `${perLifetime.toFixed(2)} per ${TOKEN_TTL_SECONDS}-s token lifetime; ${backToBack} back to back; ` +
        `ms between them on the server's clock ${JSON.stringify(gaps)}; ` +
        `tabs in order ${JSON.stringify(storm.map((r) => r.tab))}`,
    );
    expect(storm.filter((r) => r.error !== undefined)).toEqual([]);
    expect(storm.every((r) => r.status === 200)).toBe(true);
    // 80 % ± 5 % of 10 s, the earliest of the tabs' jitters: ~13–16 for 120 s.
    const expected = fakeElapsed / 1000 / (TOKEN_TTL_SECONDS * 0.8);
    expect(storm.length).toBeGreaterThanOrEqual(Math.floor(expected * 0.8));
    expect(storm.length).toBeLessThanOrEqual(Math.ceil(expected * 1.3));
    for (const page of session.pages) {
      expect(statusesSinceSignIn(await eventsOf(page))).not.toContain('unauthenticated');
      expect((await stateOf(page)).status).toBe('authenticated');
    }
    const sids = new Set<unknown>();
    for (const page of session.pages) sids.add(claimsOf(await tokenOf(page)).sid);
    expect(sids.size).toBe(1);
    expectNoPageErrors(session);
    await closeSession(session);
  }, 180_000);

  it('idle: no interaction → signed out after the idle time despite background refresh; interaction in one tab keeps every tab in', async () => {
    // Virtual time: both browsers and the server go forward together, a second at a time.
    const idle = await newSession({ clock: true });
    const busy = await newSession({ clock: true });
    const flags = { env: 'idle' as const, keepAlive: true };
    /** Opens three tabs, signs in in the first; when (real time, and the page's clock). */
    const tabs = async (session: Session) => {
      const first = await openTab(session, flags);
      await login(first);
      const loggedIn = { at: Date.now(), pageAt: await pageNow(first) };
      await openTab(session, flags);
      await openTab(session, flags);
      return loggedIn;
    };
    const [idleLogin, busyLogin] = await Promise.all([tabs(idle), tabs(busy)]);

    // Only the third tab of the busy browser sees the user (a click or a key every 2 s, for
    // IDLE + 15 s); the refreshes may come from any tab. The idle browser is watched until every
    // tab is signed out, for IDLE + 25 s at most.
    const user = busy.pages[2] as Page;
    let ended: { states: PageState[]; at: number | null } = { states: [], at: null };
    for (let second = 0; second < IDLE_TIMEOUT_SECONDS + 25; second++) {
      if (second < IDLE_TIMEOUT_SECONDS + 15) {
        if (second % 4 === 0) await user.mouse.click(200 + Math.random() * 100, 200);
        else if (second % 4 === 2) await user.keyboard.press('Shift');
      } else if (ended.at !== null) break;
      await advance([idle, busy], 1000);
      if (ended.at !== null) continue;
      const states = await Promise.all(idle.pages.map((page) => stateOf(page)));
      ended = {
        states,
        at: states.every((state) => state.status === 'unauthenticated')
          ? await pageNow(idle.pages[0] as Page)
          : null,
      };
    }

    const idleRefreshes = idle.refreshes.filter((r) => r.status === 200);
    console.log(
      `[idle] idle browser: signed out ${ended.at === null ? 'never' : `${((ended.at - idleLogin.pageAt) / 1000).toFixed(1)} s`} of page time after login, ` +
        `${idleRefreshes.length} successful refreshes before (active: ${JSON.stringify(idleRefreshes.map((r) => r.body?.active))}), ` +
        `ended with ${JSON.stringify(idle.refreshes.filter((r) => r.error && r.at >= idleLogin.at).map((r) => r.error))}`,
    );
    expect(ended.at, `states: ${JSON.stringify(ended.states)}`).not.toBeNull();
    // After the idle time, at the first background refresh past it (10 s tokens, refreshed at ~8 s).
    // The lower bound allows 2 s: the server stamps the login's activity in whole seconds (up to 1 s
    // before the login's real moment), and the page reads its clock only after the login answered
    // (a few hundred ms on a loaded machine). A refresh ending the session early would come ~8 s early.
    expect((ended.at ?? 0) - idleLogin.pageAt).toBeGreaterThanOrEqual((IDLE_TIMEOUT_SECONDS - 2) * 1000);
    expect((ended.at ?? 0) - idleLogin.pageAt).toBeLessThanOrEqual(
      (IDLE_TIMEOUT_SECONDS + TOKEN_TTL_SECONDS + 5) * 1000,
    );
    // Background refresh ran meanwhile (10 s tokens), and never claimed activity.
    expect(idleRefreshes.length).toBeGreaterThanOrEqual(3);
    expect(idleRefreshes.every((r) => r.body?.active === false)).toBe(true);
    for (const state of ended.states) expect(state.endReason).toBe('idle_timeout');

    const busySinceLogin = busy.refreshes.filter((r) => r.at >= busyLogin.at);
    const busyActive = busySinceLogin.filter((r) => r.body?.active === true && r.status === 200);
    console.log(
      `[idle] busy browser: ${busy.refreshes.length} refreshes in ${(((await pageNow(user)) - busyLogin.pageAt) / 1000).toFixed(1)} s of page time, ` +
        `${busyActive.length} with active: true, from tabs ${JSON.stringify(busy.refreshes.map((r) => r.tab))}`,
    );
    expect(busyActive.length).toBeGreaterThanOrEqual(2);
    for (const page of busy.pages) {
      expect(statusesSinceSignIn(await eventsOf(page))).not.toContain('unauthenticated');
      expect((await stateOf(page)).status).toBe('authenticated');
    }
    expect(busySinceLogin.filter((r) => r.error !== undefined)).toEqual([]);
    expectNoPageErrors(idle);
    expectNoPageErrors(busy);
    await Promise.all([closeSession(idle), closeSession(busy)]);
  }, 120_000);

  it('logout in one tab signs every tab out within a second', async () => {
    const session = await newSession();
    const flags = { keepAlive: true };
    const first = await openTab(session, flags);
    await login(first);
    const second = await openTab(session, flags);
    const third = await openTab(session, flags);

    await second.evaluate(() => (globalThis as unknown as PageGlobals).auth.logout());
    const loggedOutAt = Date.now();
    await Promise.all([first, third].map((page) => waitForStatus(page, 'unauthenticated', 5_000)));
    const everyTabOutIn = Date.now() - loggedOutAt;
    console.log(`[logout] the other tabs were signed out ${everyTabOutIn} ms after logout() returned`);
    expect(everyTabOutIn).toBeLessThan(1000);
    for (const page of session.pages) {
      expect(await stateOf(page)).toMatchObject({ status: 'unauthenticated', endReason: 'logout' });
      expect(await tokenOf(page)).toBeNull();
    }
    // The server ended it too: a reload stays signed out.
    await third.reload();
    expect((await settled(third)).status).toBe('unauthenticated');
    expectNoPageErrors(session);
    await closeSession(session);
  }, 120_000);

  it('an 8-hour sleep: one refresh (or a clean logout) across 5 tabs, no storm', async () => {
    const session = await newSession({ clock: true });
    const flags = { keepAlive: true };
    const first = await openTab(session, flags);
    await login(first);
    for (let i = 1; i < 5; i++) await openTab(session, flags);
    // The server's clock goes along for these two seconds: its `iat` has a 1-s resolution, and a
    // token issued in the same second as the one the tabs hold would not look newer to them (in
    // life, 8 hours separate the two). The 8 hours are the browser's alone, as they were before.
    await advance([session], 2000);
    const startIndex = session.refreshes.length;

    await session.context.clock.fastForward('08:00:00');
    await Promise.all(
      session.pages.map((page) =>
        page.evaluate(() => {
          const doc = (globalThis as unknown as { document: { dispatchEvent(event: Event): boolean } })
            .document;
          doc.dispatchEvent(new Event('visibilitychange'));
        }),
      ),
    );
    // The wake-up: a refresh (or every tab signed out) within 3 s, then the tabs settled; then
    // nothing more for 1.5 s, in which the tabs that lost the race for the lock would refresh.
    await until(
      async () =>
        session.refreshes.length > startIndex ||
        (await Promise.all(session.pages.map((page) => stateOf(page)))).every(
          (state) => state.status === 'unauthenticated',
        ),
      'a refresh after the wake-up',
      3000,
    ).catch(() => undefined);
    await settle([session]);
    await quietFor(session, 1500);
    const afterWake = session.refreshes.slice(startIndex);
    const states = await Promise.all(session.pages.map((page) => stateOf(page)));
    console.log(
      `[sleep] after the 8-hour jump: ${afterWake.length} refresh(es) ${JSON.stringify(
        afterWake.map((r) => ({ tab: r.tab, status: r.status, error: r.error })),
      )}; states ${JSON.stringify(states.map((s) => s.status))}`,
    );
    const allIn = states.every((state) => state.status === 'authenticated');
    const allOut = states.every((state) => state.status === 'unauthenticated');
    expect(allIn || allOut).toBe(true);
    if (allIn) expect(afterWake.length, JSON.stringify(afterWake)).toBe(1);
    else expect(afterWake.length).toBeLessThanOrEqual(1);
    expect(afterWake.filter((r) => r.error === 'refresh_token_reused')).toEqual([]);
    if (allIn) {
      // Every tab holds the fresh token.
      for (const page of session.pages) {
        const claims = claimsOf(await tokenOf(page));
        expect(claims.exp as number).toBeGreaterThan(serverNow());
      }
      // Then the usual pace again: 10 s of page time → one or two refreshes, not five.
      const before = session.refreshes.length;
      await advance([session], 10_000);
      const next = session.refreshes.length - before;
      console.log(`[sleep] the next 10 s of page time: ${next} refresh(es)`);
      expect(next).toBeGreaterThanOrEqual(1);
      expect(next).toBeLessThanOrEqual(2);
    }
    expectNoPageErrors(session);
    await closeSession(session);
  }, 120_000);

  it('the server answering 503 for 30 s: the session survives, with backoff, and recovers', async () => {
    const session = await newSession({ clock: true });
    const flags = { keepAlive: true };
    const first = await openTab(session, flags);
    await login(first);
    await openTab(session, flags);
    await openTab(session, flags);
    await advance([session], 1000);
    const sidBefore = claimsOf(await tokenOf(first)).sid;

    let unavailable = 0;
    const outageStart = session.refreshes.length;
    await session.context.route('**/auth/v1/refresh', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      unavailable++;
      await route.fulfill({
        status: 503,
        headers: {
          'content-type': 'application/json',
          'retry-after': '30',
          'cache-control': 'no-store',
          'access-control-allow-origin': app.url,
          'access-control-allow-credentials': 'true',
          vary: 'Origin',
        },
        body: JSON.stringify({ error: 'service_unavailable', message: 'The service is unavailable.' }),
      });
    });
    await advance([session], 30_000);
    await session.context.unroute('**/auth/v1/refresh');
    const outageStates = await Promise.all(session.pages.map((page) => stateOf(page)));
    const startIndex = session.refreshes.length;
    await advance([session], 40_000, {
      until: () => session.refreshes.slice(startIndex).some((r) => r.status === 200),
    });
    const recovered = session.refreshes.slice(startIndex);
    const outage = session.refreshes.slice(outageStart, startIndex);
    const perTab = [0, 1, 2].map((tab) => outage.filter((r) => r.tab === tab && r.status === 503).length);
    console.log(
      `[503] ${unavailable} refresh attempts answered 503 in 30 s of page time across 3 tabs ` +
        `(by tab ${JSON.stringify(perTab)}); ` +
        `states during the outage ${JSON.stringify(outageStates.map((s) => s.status))}; ` +
        `after it: ${JSON.stringify(recovered.map((r) => r.status ?? '?'))}`,
    );
    expect(unavailable).toBeGreaterThanOrEqual(1);
    // Backoff (1 s doubling to 30 s): a handful per tab, not a storm.
    for (const count of perTab) expect(count).toBeLessThanOrEqual(8);
    expect(unavailable).toBeLessThanOrEqual(3 * 8);
    for (const state of outageStates) expect(state.status).toBe('authenticated');
    expect(recovered.some((r) => r.status === 200)).toBe(true);
    for (const page of session.pages) {
      expect(statusesSinceSignIn(await eventsOf(page))).not.toContain('unauthenticated');
      const claims = claimsOf(await tokenOf(page));
      expect(claims.sid).toBe(sidBefore);
      expect(claims.exp as number).toBeGreaterThan(serverNow());
    }
    expectNoPageErrors(session);
    await closeSession(session);
  }, 120_000);

  it('SDK-01 / CK-10: no token in any storage or cookie the page can read, nor in any URL', async () => {
    const session = await newSession();
    const embedded = await openTab(session, { keepAlive: true, perTenant: true });
    await login(embedded);
    // A hosted login in a second tab (SSO: straight back with a code) adds the OAuth transaction.
    const hosted = await session.context.newPage();
    session.pages.push(hosted);
    await hosted.goto(pageUrl({ hosted: true, noSilent: true, keepAlive: true }));
    await hosted.waitForURL((url) => url.origin === app.url && url.pathname === '/callback');
    expect((await settled(hosted)).status).toBe('authenticated');
    await embedded.evaluate(() => (globalThis as unknown as PageGlobals).auth.switchTenant('globex'));

    for (const page of session.pages) {
      const token = await tokenOf(page);
      expect(token).toMatch(/^eyJ/);
      const stored = (await page.evaluate(`(async () => {
        const dump = (storage) => Object.keys(storage).map((key) => key + '=' + storage.getItem(key));
        const databases = [];
        for (const info of await indexedDB.databases()) {
          const db = await new Promise((resolve, reject) => {
            const request = indexedDB.open(info.name);
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          for (const name of db.objectStoreNames) {
            const rows = await new Promise((resolve, reject) => {
              const request = db.transaction(name).objectStore(name).getAll();
              request.onsuccess = () => resolve(request.result);
              request.onerror = () => reject(request.error);
            });
            databases.push(info.name + '/' + name + '=' + JSON.stringify(rows));
          }
          db.close();
        }
        return { local: dump(localStorage), session: dump(sessionStorage), indexedDB: databases, cookie: document.cookie };
      })()`)) as { local: string[]; session: string[]; indexedDB: string[]; cookie: string };
      console.log(`[SDK-01] ${page.url()}: ${JSON.stringify(stored)}`);
      const everything = JSON.stringify(stored);
      expect(everything).not.toContain('eyJ');
      expect(everything).not.toContain(token);
      expect(stored.cookie).not.toMatch(/tessera_refresh/);
    }
    await collectSecrets(session);

    // CK-10, over every request of every browser in this file so far.
    const urls = sessions.flatMap((s) => s.urls);
    expect(urls.length).toBeGreaterThan(50);
    expect(cookieValues.size).toBeGreaterThan(0);
    // No JWT (a JSON header, a dot, a JSON payload) in any URL. A bare base64url JSON is allowed:
    // the hosted login page's URL carries its sealed sign-in ticket (ADR 0004), which holds no
    // token; every token and cookie value actually issued is looked for verbatim just below.
    expect(urls.filter((url) => /eyJ[A-Za-z0-9_-]*(\.|%2E)eyJ/i.test(url))).toEqual([]);
    for (const secret of [...cookieValues, ...accessTokens])
      expect(urls.filter((url) => url.includes(secret) || url.includes(encodeURIComponent(secret)))).toEqual(
        [],
      );
    console.log(
      `[CK-10] ${urls.length} request URLs checked against ${cookieValues.size} refresh cookies and ${accessTokens.size} access tokens`,
    );
    expectNoPageErrors(session);
    await closeSession(session);
  }, 120_000);
});
