/**
 * The account page in real Chromium (docs/account.md; issue #11 "sign out everywhere else leaves
 * only this browser signed in"). One user on three devices: a laptop signed in to an app through
 * `@tessera/browser`, a phone signed in on the account page itself, and a third session through
 * the session API. On the phone, "Sign out everywhere else": the laptop app's next refresh is
 * refused and the SDK shows it signed out, the third session's refresh is refused, and the phone
 * stays signed in. Along the way, the screenshots of the account page at 1280 and 375 px: into
 * e2e/screenshots/ (git-ignored) when the suite runs, into docs/console/ (account-1280.png,
 * account-375.png) when `npm run docs:screenshots` runs it with DOCS_SCREENSHOTS=1.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppOrigin, serveAppOrigin } from './support/app-origin.js';
import { chromiumAvailable, launchChromium } from './support/chromium.js';
import { type PageGlobals, sdkAppAssets, sdkPagePath, settled } from './support/sdk-page.js';
import { startTessera, type Tessera } from './support/tessera.js';

// A test run leaves the tree as it found it: only the docs script rewrites the docs' pictures.
const SCREENSHOTS = fileURLToPath(
  new URL(process.env.DOCS_SCREENSHOTS === '1' ? '../docs/console/' : './screenshots/', import.meta.url),
);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PASSWORD = 'correct horse battery staple';
const EMAIL = 'ada.lovelace@example.com';
const CLIENT_ID = 'shop';
const TEST_TIMEOUT = 120_000;

const LAPTOP: BrowserContextOptions = {
  viewport: { width: 1280, height: 800 },
  userAgent:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};
const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
};
const WINDOWS_EDGE =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';

describe.runIf(chromiumAvailable())('the account page in Chromium', () => {
  let tessera: Tessera;
  let app: AppOrigin;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function device(options: BrowserContextOptions) {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(30_000);
    contexts.push(context);
    const problems: string[] = [];
    context.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${message.page()?.url()}: ${message.text()}`);
    });
    context.on('weberror', (error) => problems.push(`page error: ${error.error().message}`));
    return { context, problems, page: await context.newPage() };
  }

  /** The session API's login from a process (the third device); its refresh cookie. */
  async function signInElsewhere(): Promise<string> {
    const response = await fetch(`${tessera.url}/auth/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url, 'user-agent': WINDOWS_EDGE },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD, clientId: CLIENT_ID }),
    });
    expect(response.status).toBe(200);
    return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  async function refreshStatus(cookie: string): Promise<number> {
    const response = await fetch(`${tessera.url}/auth/v1/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url, 'x-tessera-request': '1', cookie },
      body: JSON.stringify({ clientId: CLIENT_ID }),
    });
    return response.status;
  }

  /** The page's picture, checked written: a PNG file, this run's (not one an earlier run left). */
  async function screenshot(page: Page, name: string): Promise<void> {
    const path = `${SCREENSHOTS}${name}`;
    rmSync(path, { force: true });
    await page.screenshot({ path, fullPage: true });
    const file = readFileSync(path);
    expect(file.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)).toBe(true);
    expect(file.length).toBeGreaterThan(1000);
  }

  const sessionTitles = (page: Page) => page.locator('.session-device').allTextContents();

  beforeAll(async () => {
    let assets: Awaited<ReturnType<typeof sdkAppAssets>>;
    [tessera, assets, browser] = await Promise.all([startTessera(), sdkAppAssets(), launchChromium()]);
    app = await serveAppOrigin(assets);
    const { adminOk } = tessera;
    await adminOk('PATCH', '/environments/default', {
      branding: { name: 'Northwind', primaryColor: '#0e7490' },
    });
    await adminOk('POST', '/environments/default/clients', {
      clientId: CLIENT_ID,
      name: 'Shop',
      type: 'spa',
      redirectUris: [`${app.url}/callback`],
      allowedOrigins: [app.url],
      postLogoutRedirectUris: [`${app.url}/`],
    });
    for (const key of ['owner', 'billing', 'member'])
      await adminOk('POST', '/environments/default/roles', { key, name: key, permissions: [] });
    await adminOk('POST', '/environments/default/tenants', { id: 'northwind', name: 'Northwind Traders' });
    await adminOk('POST', '/environments/default/tenants', { id: 'contoso', name: 'Contoso Ltd' });
    const user = await adminOk<{ id: string }>('POST', '/environments/default/users', {
      email: EMAIL,
      password: PASSWORD,
      name: 'Ada Lovelace',
    });
    await adminOk('PUT', `/environments/default/tenants/northwind/members/${user.id}`, {
      roles: ['owner', 'billing'],
    });
    await adminOk('PUT', `/environments/default/tenants/contoso/members/${user.id}`, { roles: ['member'] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, TEST_TIMEOUT);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
    await tessera?.stop();
  });

  it(
    '“Sign out everywhere else” on the phone leaves only the phone signed in',
    async () => {
      // The laptop: the app signs in with the SDK (the session API), then opens the account page.
      const laptop = await device(LAPTOP);
      const appPage = laptop.page;
      await appPage.goto(`${app.url}${sdkPagePath({ baseUrl: tessera.url, clientId: CLIENT_ID })}`);
      expect((await settled(appPage)).status).toBe('unauthenticated');
      const accountUrl = await appPage.evaluate(
        () => (globalThis as unknown as { auth: { accountUrl: string } }).auth.accountUrl,
      );
      expect(accountUrl).toBe(`${tessera.url}/account`);
      await appPage.evaluate(
        ([email, password]) =>
          (globalThis as unknown as PageGlobals).auth.login({ email: email ?? '', password: password ?? '' }),
        [EMAIL, PASSWORD],
      );
      expect((await settled(appPage)).status).toBe('authenticated');

      // The phone: not signed in anywhere yet, so the account page asks, and comes back to itself.
      const phone = await device(PHONE);
      await phone.page.goto(accountUrl);
      await phone.page.getByLabel('Email').fill(EMAIL);
      await phone.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await phone.page.getByRole('button', { name: 'Sign in' }).click();
      await phone.page.waitForURL(accountUrl);
      await phone.page.getByRole('heading', { name: 'Your account' }).waitFor();

      // A third device, through the session API.
      const elsewhere = await signInElsewhere();

      // The laptop's account page: the app's session, all three devices, this one marked.
      const laptopAccount = await laptop.context.newPage();
      await laptopAccount.goto(accountUrl);
      await laptopAccount.getByRole('heading', { name: 'Your account' }).waitFor();
      // This device first; the others by last activity (here within the same second).
      const [first, ...others] = await sessionTitles(laptopAccount);
      expect(first).toBe('Chrome 131 on macOS');
      expect(others.sort()).toEqual(['Microsoft Edge 131 on Windows', 'Safari 17 on iOS']);
      const current = laptopAccount.locator('.session-current');
      expect(await current.locator('.session-device').textContent()).toBe('Chrome 131 on macOS');
      expect(await current.getByText('This device').isVisible()).toBe(true);
      expect(await laptopAccount.getByText('Northwind Traders').isVisible()).toBe(true);
      await screenshot(laptopAccount, 'account-1280.png');
      expect(await laptopAccount.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);

      await phone.page.reload();
      expect((await sessionTitles(phone.page))[0]).toBe('Safari 17 on iOS');
      await screenshot(phone.page, 'account-375.png');
      expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

      // On the phone: sign out everywhere else.
      await phone.page.getByRole('button', { name: 'Sign out everywhere else' }).click();
      await phone.page.getByRole('status').getByText('You are signed out everywhere else.').waitFor();
      expect(await sessionTitles(phone.page)).toEqual(['Safari 17 on iOS']);
      expect(await phone.page.getByRole('button', { name: 'Sign out everywhere else' }).count()).toBe(0);

      // The laptop app's next refresh is refused, and the SDK shows it signed out.
      const refused = appPage.waitForResponse((response) => response.url().endsWith('/auth/v1/refresh'));
      await appPage.reload();
      expect((await refused).status()).toBe(401);
      expect(await settled(appPage)).toMatchObject({ status: 'unauthenticated' });
      // The third device's too; the laptop's account page asks for a sign-in again.
      expect(await refreshStatus(elsewhere)).toBe(401);
      await laptopAccount.reload();
      expect(await laptopAccount.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);

      // The phone stays signed in.
      await phone.page.goto(accountUrl);
      await phone.page.getByRole('heading', { name: 'Your account' }).waitFor();
      expect(await sessionTitles(phone.page)).toEqual(['Safari 17 on iOS']);

      // No CSP violation, no failed stylesheet on the account pages (the app's refused refreshes
      // are the 401s it should see).
      expect(laptop.problems.filter((line) => !line.startsWith(app.url))).toEqual([]);
      expect(phone.problems).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});
