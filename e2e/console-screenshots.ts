/**
 * `npm run docs:screenshots`: every page of the admin console at 1280 and 375 px wide, into
 * docs/console/ (`<page>-1280.png`, `<page>-375.png`), for docs/console.md. It runs `npm start`'s
 * server with the demo, signs two demo users in (so there are sessions and events to show), signs
 * in to the console with the admin key and visits each page in Chromium. The account page's two
 * (`account-*.png`) come next in the script, from e2e/account.test.ts run with
 * DOCS_SCREENSHOTS=1 (without it, as in the test suite, they go to e2e/screenshots/).
 *
 * Run it after `npm run build` (it rebuilds the demo and the console only when older than their
 * sources), on a machine with Debian's Chromium.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from './support/chromium.js';
import { ensureConsoleBuilt, ensureDemoBuilt } from './support/demo-build.js';
import { freePort } from './support/processes.js';
import { startTessera, type Tessera } from './support/tessera.js';

const OUTPUT = fileURLToPath(new URL('../docs/console/', import.meta.url));
const ADMIN_KEY = randomBytes(32).toString('base64url');

const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 375, height: 812 },
] as const;

/** Each page: its name in the file, its path under /console, and what shows it is loaded. */
const PAGES: { name: string; path: string; ready: (page: Page) => Promise<unknown> }[] = [
  {
    name: 'dashboard',
    path: '/',
    ready: (page) => page.getByRole('heading', { level: 1 }).first().waitFor(),
  },
  {
    name: 'environments',
    path: '/environments',
    ready: (page) => page.locator('main td', { hasText: 'default' }).first().waitFor(),
  },
  {
    name: 'keys',
    path: '/keys',
    ready: (page) => page.getByRole('button', { name: 'Rotate signing key' }).waitFor(),
  },
  {
    name: 'clients',
    path: '/clients',
    ready: (page) => page.getByRole('main').getByText('demo-api').first().waitFor(),
  },
  {
    name: 'tenants',
    path: '/tenants',
    ready: (page) => page.getByRole('link', { name: 'Acme Corp' }).waitFor(),
  },
  {
    name: 'tenant',
    path: '/tenants/acme',
    ready: (page) => page.getByLabel('Idle timeout (seconds)').waitFor(),
  },
  {
    name: 'users',
    path: '/users',
    ready: (page) => page.getByRole('link', { name: 'alice@example.com' }).waitFor(),
  },
  {
    name: 'user',
    path: '/users/user-alice',
    ready: (page) => page.getByRole('button', { name: 'Sign out everywhere' }).waitFor(),
  },
  {
    name: 'sessions',
    path: '/sessions',
    ready: (page) => page.getByRole('heading', { level: 1 }).first().waitFor(),
  },
  {
    name: 'events',
    path: '/events',
    ready: (page) => page.getByRole('heading', { level: 1 }).first().waitFor(),
  },
  {
    name: 'webhooks',
    path: '/webhooks',
    ready: (page) => page.getByRole('heading', { level: 1 }).first().waitFor(),
  },
];

async function signInToDemo(browser: Browser, demoUrl: string, email: string): Promise<void> {
  const context = await browser.newContext({
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  });
  const page = await context.newPage();
  await page.goto(demoUrl);
  await page.waitForSelector('#signed-out');
  await page.fill('#email', email);
  await page.click('#login-form button[type=submit]');
  await page.locator('#claims', { hasText: 'tenantId' }).waitFor();
  // A wrong password too, so the events and the dashboard have a refusal to show.
  await page.click('#logout');
  await page.waitForSelector('#signed-out');
  await page.fill('#email', email);
  await page.fill('#password', 'not-the-password');
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#login-error');
  await page.fill('#password', 'tessera-demo');
  await page.click('#login-form button[type=submit]');
  await page.locator('#claims', { hasText: 'tenantId' }).waitFor();
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) process.exit(1);
  mkdirSync(OUTPUT, { recursive: true });
  const [demoPort, apiPort] = [await freePort(), await freePort()];
  const demoUrl = `http://localhost:${demoPort}/`;
  await Promise.all([ensureDemoBuilt(), ensureConsoleBuilt()]);
  let tessera: Tessera | undefined;
  let browser: Browser | undefined;
  try {
    tessera = await startTessera({
      demo: { port: demoPort, apiPort },
      env: { TESSERA_ADMIN_KEY: ADMIN_KEY },
    });
    browser = await launchChromium();
    await signInToDemo(browser, demoUrl, 'alice@example.com');
    await signInToDemo(browser, demoUrl, 'bob@example.com');

    for (const viewport of WIDTHS) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(`${tessera.url}/console`);
      await page.getByLabel('Admin key').waitFor();
      await page.screenshot({ path: join(OUTPUT, `sign-in-${viewport.width}.png`), fullPage: true });
      await page.getByLabel('Admin key').fill(ADMIN_KEY);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // At 375 px the navigation sits behind a menu button: wait for the signed-in layout instead.
      await page.locator('main#main').waitFor();
      for (const { name, path, ready } of PAGES) {
        await page.goto(`${tessera.url}/console${path === '/' ? '' : path}`);
        await ready(page);
        // Let the page's own requests settle (lists, charts) before the picture.
        await page.waitForLoadState('networkidle');
        const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
        if (scrollWidth > viewport.width) {
          process.stderr.write(`warning: ${name} is ${scrollWidth} px wide at ${viewport.width} px\n`);
        }
        const file = join(OUTPUT, `${name}-${viewport.width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        process.stdout.write(`${file}\n`);
      }
      await context.close();
    }
  } finally {
    await browser?.close();
    await tessera?.stop();
  }
}

await main();
