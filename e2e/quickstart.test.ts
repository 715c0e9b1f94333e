/**
 * The demo app `npm start` serves (examples/demo, React + @tessera/react), clicked through in real
 * Chromium on a second origin of the same site: embedded and hosted sign-in, a tenant per tab
 * across reloads, sign-out reaching every tab, the sessions list, the example API's card (a third
 * origin: per-tenant data, the 403 of another tenant, a revoked token refused after sign-out), the
 * page's CSP, and the layout at desktop and phone widths. The ids it uses are listed at the top of
 * examples/demo/src/App.tsx.
 *
 * The screenshots land in e2e/screenshots/ (git-ignored).
 */
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './support/chromium.js';
import { ensureDemoBuilt } from './support/demo-build.js';
import { freePort } from './support/processes.js';
import { startTessera, type Tessera } from './support/tessera.js';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

const tenantOf = async (page: Page) =>
  JSON.parse((await page.textContent('#claims')) ?? '{}').tenantId as string;
const signedIn = async (page: Page) => {
  await page.waitForSelector('#signed-in');
  await page.locator('#claims', { hasText: 'tenantId' }).waitFor();
};

describe.runIf(chromiumAvailable())('the demo app in Chromium', () => {
  let tessera: Tessera;
  let browser: Browser;
  let demoUrl: string;
  let apiUrl: string;
  /** The example API (examples/api) the demo page calls. */
  let exampleApiUrl: string;

  /** A browser context whose pages record console errors and CSP violations. */
  async function newContext(options: Parameters<Browser['newContext']>[0] = {}) {
    const context = await browser.newContext(options);
    const problems: string[] = [];
    context.on('console', (message) => {
      // The silent refresh of a signed-out visitor is a 401, which Chromium always logs; so are the
      // example API's refusals the page asks for (another tenant's 403, a revoked token's 401).
      const expected =
        /status of 401/.test(message.text()) ||
        (/status of 403/.test(message.text()) && message.location().url.startsWith(exampleApiUrl));
      if (message.type() === 'error' && !expected) problems.push(message.text());
    });
    context.on('weberror', (error) => problems.push(error.error().message));
    return { context, problems };
  }

  async function signInEmbedded(page: Page, email = 'alice@example.com') {
    await page.goto(demoUrl);
    await page.waitForSelector('#signed-out');
    await page.fill('#email', email);
    await page.click('#login-form button[type=submit]');
    await signedIn(page);
  }

  beforeAll(async () => {
    const [demoPort, exampleApiPort] = [await freePort(), await freePort()];
    demoUrl = `http://localhost:${demoPort}/`;
    exampleApiUrl = `http://localhost:${exampleApiPort}`;
    // The server serves examples/demo/dist and runs examples/api/dist, built from the sources under
    // test (meanwhile, Chromium starts).
    const launched = launchChromium();
    await ensureDemoBuilt();
    // `npm start` with the demo on, as the quickstart runs it.
    tessera = await startTessera({ demo: { port: demoPort, apiPort: exampleApiPort } });
    apiUrl = tessera.url;
    browser = await launched;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await tessera?.stop();
  });

  it('serves the app with a strict CSP, and index.html for /callback', async () => {
    const root = await fetch(demoUrl);
    expect(root.status).toBe(200);
    const csp = root.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${apiUrl} ${exampleApiUrl}`);
    expect(csp).not.toContain('unsafe');
    const html = await root.text();
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"><\/script>/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(new URL(script ?? '', demoUrl));
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await (await fetch(new URL('/callback?code=x&state=y', demoUrl))).text()).toBe(html);
    expect((await fetch(new URL('/assets/../../package.json', demoUrl))).status).toBe(404);
    expect((await fetch(new URL('/package.json', demoUrl))).status).toBe(404);
  });

  it('signs in, keeps one tenant per tab across reloads, and signs every tab out', async () => {
    const { context, problems } = await newContext();
    const tabA = await context.newPage();
    await signInEmbedded(tabA);
    expect(await tenantOf(tabA)).toBe('acme');
    await expect.poll(() => tabA.textContent('#whoami')).toContain('Acme Corp');
    // The header links the account page (docs/account.md), where this session is "This device".
    expect(await tabA.getAttribute('#account-link', 'href')).toBe(`${apiUrl}/account`);
    const account = await context.newPage();
    await account.goto(`${apiUrl}/account`);
    await account.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(await account.locator('.session-current').count()).toBe(1);
    await account.close();

    // CK-02: the refresh cookie is HttpOnly: the page cannot read it.
    expect(await tabA.evaluate('document.cookie')).not.toContain('tessera_refresh');

    await tabA.click('[data-testid=tenant-globex]');
    await tabA.locator('#claims', { hasText: '"tenantId": "globex"' }).waitFor();
    expect(await tabA.getAttribute('[data-testid=tenant-globex]', 'aria-pressed')).toBe('true');

    // A second tab restores the session silently, on the session's tenant.
    const tabB = await context.newPage();
    await tabB.goto(demoUrl);
    await signedIn(tabB);
    expect(await tenantOf(tabB)).toBe('acme');

    await tabA.reload();
    await signedIn(tabA);
    expect(await tenantOf(tabA)).toBe('globex');
    await tabB.reload();
    await signedIn(tabB);
    expect(await tenantOf(tabB)).toBe('acme');

    // Signing out in one tab signs the other out too, without a reload.
    await tabA.click('#logout');
    await tabA.waitForSelector('#signed-out');
    await expect(tabA.textContent('#end-reason')).resolves.toContain('every tab');
    await tabB.waitForSelector('#signed-out', { timeout: 3000 });
    await tabB.reload();
    await tabB.waitForSelector('#signed-out');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('signs in with the hosted login (code + PKCE) and comes back through /callback', async () => {
    const { context, problems } = await newContext();
    const page = await context.newPage();
    await page.goto(demoUrl);
    await page.waitForSelector('#signed-out');
    await page.click('#hosted-login');
    await page.waitForURL((url) => url.origin === apiUrl);
    await page.getByLabel('Email').fill('alice@example.com');
    await page.getByLabel('Password').fill('tessera-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Alice is in two tenants: the hosted login asks which.
    await page.getByRole('button', { name: 'Globex' }).click();
    await page.waitForURL((url) => url.origin === new URL(demoUrl).origin);
    await signedIn(page);
    expect(await tenantOf(page)).toBe('globex');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    expect(new URL(page.url()).search).toBe('');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('lists the sessions, marks this one, and signs another browser out', async () => {
    const other = await newContext();
    const otherPage = await other.context.newPage();
    await signInEmbedded(otherPage, 'bob@example.com');

    const mine = await newContext();
    const page = await mine.context.newPage();
    await signInEmbedded(page, 'bob@example.com');
    await expect.poll(() => page.locator('#sessions tr').count()).toBe(2);
    expect(await page.getAttribute('#sessions tr:first-child', 'data-current')).toBe('true');
    expect(await page.textContent('#sessions tr:first-child')).toContain('This device');
    // The device as the server parsed it from Chromium's user agent.
    expect(await page.textContent('#sessions tr:first-child .ua')).toMatch(/^Chrom\w*( \w+)* \d+ on Linux$/);

    await page.locator('#sessions tr[data-current=false] button', { hasText: 'Sign out' }).click();
    await expect.poll(() => page.locator('#sessions tr').count()).toBe(1);
    await otherPage.reload();
    await otherPage.waitForSelector('#signed-out');
    expect([...other.problems, ...mine.problems]).toEqual([]);
    await other.context.close();
    await mine.context.close();
  }, 60_000);

  it("shows the tenant's projects from the example API, refuses another tenant, and the token after sign-out", async () => {
    const { context, problems } = await newContext();
    const page = await context.newPage();
    await signInEmbedded(page);
    const card = page.locator('#projects-card');
    await expect.poll(() => card.locator('#projects-status').textContent()).toBe('200 OK');
    expect(await card.locator('#projects li').allTextContents()).toEqual([
      expect.stringContaining('Website relaunch'),
      expect.stringContaining('Billing migration'),
      expect.stringContaining('Mobile app beta'),
    ]);

    // requireTenant: this tab's token is for Acme; Globex's route is refused.
    await page.click('#other-tenant');
    await expect.poll(() => page.textContent('#other-tenant-result')).toContain('403 insufficient_scope');
    expect(await page.textContent('#other-tenant-result')).toContain('Bearer error="insufficient_scope"');

    // requirePermissions: Alice is an admin of Acme (users:write), a member of Globex.
    await page.fill('#project-name', 'Launch plan');
    await page.click('#add-project button[type=submit]');
    await expect.poll(() => page.textContent('#add-project-result')).toContain('201 Created');
    await card.locator('#projects li', { hasText: 'Launch plan' }).waitFor();
    await page.click('[data-testid=tenant-globex]');
    await page.locator('#claims', { hasText: '"tenantId": "globex"' }).waitFor();
    await card.locator('#projects li', { hasText: 'Q3 planning' }).waitFor();
    expect(await card.locator('#projects li').count()).toBe(2);
    await page.fill('#project-name', 'Not mine to add');
    await page.click('#add-project button[type=submit]');
    await expect.poll(() => page.textContent('#add-project-result')).toContain('403 insufficient_scope');

    // Signed out: the API follows the revocation feed and refuses the still-valid token.
    await page.click('#logout');
    await page.waitForSelector('#signed-out');
    await page.locator('#revocation-check[data-state=refused]').waitFor({ timeout: 5000 });
    const latency = await page.textContent('#revocation-latency');
    console.info(`[demo] the example API refused the signed-out tab's token ${latency} after the sign-out`);
    expect(Number.parseFloat(latency ?? '')).toBeLessThan(2);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('fits a phone and a desktop screen', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const [name, width, height] of [
      ['desktop', 1280, 900],
      ['phone', 375, 812],
    ] as const) {
      const { context, problems } = await newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await page.goto(demoUrl);
      await page.waitForSelector('#signed-out');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await page.screenshot({ path: join(SCREENSHOTS, `demo-${name}-signed-out.png`), fullPage: true });
      await signInEmbedded(page);
      await page.waitForSelector('#sessions tr');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await page.screenshot({ path: join(SCREENSHOTS, `demo-${name}-signed-in.png`), fullPage: true });
      expect(problems).toEqual([]);
      await context.close();
    }
  }, 60_000);

  it('CK-03 / CSRF-01: another site cannot refresh, read or end the session', async () => {
    const { context } = await newContext();
    const app = await context.newPage();
    await signInEmbedded(app);

    // A page on another site (127.0.0.1 is not the same site as localhost), in the same browser.
    const evilSite = createHttpServer((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>another site</title>');
    });
    evilSite.listen(0, '127.0.0.1');
    await once(evilSite, 'listening');
    const evil = await context.newPage();
    await evil.goto(`http://127.0.0.1:${(evilSite.address() as { port: number }).port}/`);
    const attempts = await evil.evaluate(async (api) => {
      const outcomes: string[] = [];
      try {
        // Needs a preflight (custom header, JSON): our CORS refuses evil.test.
        await fetch(`${api}/auth/v1/refresh`, {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json', 'x-tessera-request': '1' },
          body: JSON.stringify({ clientId: 'demo' }),
        });
        outcomes.push('refresh: allowed');
      } catch {
        outcomes.push('refresh: blocked');
      }
      // A "simple" request needs no preflight, but carries no Lax cookie cross-site and no header.
      await fetch(`${api}/auth/v1/logout`, {
        method: 'POST',
        mode: 'no-cors',
        credentials: 'include',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ clientId: 'demo' }),
      });
      outcomes.push('logout: sent');
      return outcomes;
    }, apiUrl);
    expect(attempts).toEqual(['refresh: blocked', 'logout: sent']);

    // A cross-site form post (a top-level navigation) to logout.
    await evil.setContent(
      `<form method="post" action="${apiUrl}/auth/v1/logout"><input name="clientId" value="demo"></form>`,
    );
    const [formPost] = await Promise.all([
      evil.waitForResponse((response) => response.url().endsWith('/auth/v1/logout')),
      evil.evaluate('document.forms[0].submit()'),
    ]);
    // A form body is not JSON: refused before anything else, and no Lax cookie went with it anyway.
    expect(formPost.status()).toBe(415);
    expect(await formPost.request().headerValue('cookie')).toBeNull();

    // The session survived all of it.
    await app.reload();
    await signedIn(app);
    await context.close();
    evilSite.close();
  }, 60_000);
});
