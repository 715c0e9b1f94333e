/**
 * Single sign-on across an environment's apps in real Chromium (issue #9, defect 2; ADR 0004):
 * app A signs in through the hosted login; app B — another registered spa on its own origin —
 * comes up signed in to the same session through `@tessera/browser`'s silent refresh on init,
 * without a password, and app A stays signed in. An app that asks as a client whose registered
 * origins do not include its own is refused, and the browser's session and cookie survive it.
 *
 * Three origins of one site (`http://localhost:<port>`), each serving the SDK (bundled from source
 * with esbuild) and its test page (support/sdk-page.ts), as in browser-sdk.test.ts.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppOrigin, serveAppOrigin } from './support/app-origin.js';
import { chromiumAvailable, launchChromium } from './support/chromium.js';
import { type PageGlobals, sdkAppAssets, sdkPagePath, settled, tokenOf } from './support/sdk-page.js';
import { startTessera, type Tessera } from './support/tessera.js';
import { claimsOf } from './support/tokens.js';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'sam@example.com';
const COOKIE = 'tessera_refresh';

/** The apps: their client ids. C's origin is registered for `helpdesk`, but it asks as `reports`. */
const APPS = { a: 'shop', b: 'reports', c: 'helpdesk' } as const;

describe.runIf(chromiumAvailable())('single sign-on across apps on two origins, in Chromium', () => {
  let tessera: Tessera;
  const apps: AppOrigin[] = [];
  let browser: Browser;
  let apiUrl: string;
  const origins = { a: '', b: '', c: '' };
  const contexts: BrowserContext[] = [];

  /** What each refresh the browser sent was answered with, and whether it touched the cookie. */
  interface RefreshSeen {
    origin: string;
    clientId: string;
    status: number;
    setCookie: string | null;
  }

  async function newBrowser() {
    const context = await browser.newContext();
    context.setDefaultTimeout(30_000);
    contexts.push(context);
    const refreshes: RefreshSeen[] = [];
    const pageErrors: string[] = [];
    context.on('weberror', (error) => pageErrors.push(error.error().message));
    context.on('response', async (response) => {
      const request = response.request();
      if (request.method() !== 'POST' || !request.url().endsWith('/auth/v1/refresh')) return;
      refreshes.push({
        origin: (await request.headerValue('origin')) ?? '',
        clientId: (request.postDataJSON() as { clientId: string }).clientId,
        status: response.status(),
        setCookie: await response.headerValue('set-cookie'),
      });
    });
    const cookie = async () =>
      (await context.cookies(apiUrl)).find((entry) => entry.name === COOKIE)?.value ?? null;
    return { context, refreshes, pageErrors, cookie };
  }

  async function openApp(context: BrowserContext, app: keyof typeof origins, clientId: string) {
    const page = await context.newPage();
    // Hosted login, no keepSessionAlive: the page signs in through the server's login page.
    await page.goto(`${origins[app]}${sdkPagePath({ baseUrl: apiUrl, clientId, hosted: true })}`);
    return page;
  }

  /** App A: hosted login (code + PKCE) through the server's page, back on A's /callback. */
  async function signInToA(context: BrowserContext) {
    const page = await openApp(context, 'a', APPS.a);
    expect((await settled(page)).status).toBe('unauthenticated');
    await page.evaluate(() => {
      void (globalThis as unknown as PageGlobals).auth.loginWithRedirect();
    });
    await page.waitForURL((url) => url.origin === apiUrl && url.pathname === '/oauth/login');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.origin === origins.a && url.pathname === '/callback');
    expect((await settled(page)).status).toBe('authenticated');
    return page;
  }

  /** Reloads A: its silent refresh must bring the same session back. */
  async function expectAStillSignedIn(page: Page, sid: unknown) {
    await page.reload();
    expect(await settled(page)).toMatchObject({ status: 'authenticated' });
    expect(claimsOf(await tokenOf(page))).toMatchObject({ sid, aud: APPS.a });
  }

  beforeAll(async () => {
    let assets: Awaited<ReturnType<typeof sdkAppAssets>>;
    [tessera, assets, browser] = await Promise.all([startTessera(), sdkAppAssets(), launchChromium()]);
    apiUrl = tessera.url;
    // Three origins of the site, one SDK bundle.
    for (const app of ['a', 'b', 'c'] as const) {
      const served = await serveAppOrigin(assets);
      apps.push(served);
      origins[app] = served.url;
    }
    const { adminOk } = tessera;

    for (const [app, clientId] of Object.entries(APPS)) {
      const origin = origins[app as keyof typeof origins];
      await adminOk('POST', '/environments/default/clients', {
        clientId,
        name: clientId,
        type: 'spa',
        redirectUris: [`${origin}/callback`],
        allowedOrigins: [origin],
        postLogoutRedirectUris: [`${origin}/`],
      });
    }
    await adminOk('POST', '/environments/default/roles', { key: 'member', name: 'Member', permissions: [] });
    await adminOk('POST', '/environments/default/tenants', { id: 'acme', name: 'Acme' });
    const user = await adminOk<{ id: string }>('POST', '/environments/default/users', {
      email: EMAIL,
      password: PASSWORD,
      name: 'Sam',
    });
    await adminOk('PUT', `/environments/default/tenants/acme/members/${user.id}`, { roles: ['member'] });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    for (const app of apps) await app.close();
    await tessera?.stop();
  });

  it('app B comes up signed in to A’s session by silent refresh, without a password; A stays signed in', async () => {
    const { context, refreshes, pageErrors } = await newBrowser();
    const a = await signInToA(context);
    const sid = claimsOf(await tokenOf(a)).sid;
    expect(sid).toEqual(expect.any(String));

    const b = await openApp(context, 'b', APPS.b);
    expect(await settled(b)).toMatchObject({ status: 'authenticated' });
    expect(claimsOf(await tokenOf(b))).toMatchObject({ sid, aud: APPS.b, client_id: APPS.b });
    // B's refresh carried B's own origin, and no password page was shown to it.
    // (Recorded by an asynchronous listener: polled, not read once.)
    await expect
      .poll(() => refreshes.find((seen) => seen.clientId === APPS.b))
      .toMatchObject({ origin: origins.b, status: 200 });
    expect(b.url().startsWith(origins.b)).toBe(true);

    await expectAStillSignedIn(a, sid);
    // And B, reloaded, is still in: it now belongs to the session.
    await b.reload();
    expect(await settled(b)).toMatchObject({ status: 'authenticated' });
    expect(claimsOf(await tokenOf(b)).sid).toBe(sid);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('an app asking as a client not registered for its origin is refused; the cookie and A’s session survive', async () => {
    const { context, refreshes, cookie } = await newBrowser();
    const a = await signInToA(context);
    const sid = claimsOf(await tokenOf(a)).sid;
    const before = await cookie();
    expect(before).not.toBeNull();

    // C's origin is registered (for helpdesk), so CORS lets it ask; but it asks as `reports`.
    const c = await openApp(context, 'c', APPS.b);
    expect(await settled(c)).toMatchObject({ status: 'unauthenticated', endReason: 'csrf_rejected' });
    await expect
      .poll(() => refreshes.find((seen) => seen.origin === origins.c))
      .toMatchObject({ status: 403, setCookie: null });
    expect(await cookie()).toBe(before);

    await expectAStillSignedIn(a, sid);
  }, 120_000);
});
