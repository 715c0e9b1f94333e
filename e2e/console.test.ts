/**
 * The admin console (packages/console, served at /console) driving a real server in Chromium, with
 * the demo app `npm start` serves (examples/demo) as the user's side: signing in with the admin
 * key, a tenant's idle timeout set in the console signing the demo out on that tenant only, a
 * session ended in the console refused at its browser's next refresh, and a key rotation that
 * neither the demo nor the example API notices. The console is found by the accessible names of
 * docs/console.md (ISSUE 11's contract), not by its markup.
 *
 * Time is real here: the demo runs in `npm start`'s server, which has no movable clock. The access
 * token lives 10 s (the least the server allows), so the demo refreshes every ~8 s and an idle
 * timeout of 20 s shows within half a minute.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './support/chromium.js';
import { ensureConsoleBuilt, ensureDemoBuilt } from './support/demo-build.js';
import { freePort } from './support/processes.js';
import { startTessera, type Tessera } from './support/tessera.js';

const ADMIN_KEY = randomBytes(32).toString('base64url');
const TOKEN_TTL_SECONDS = 10;
const IDLE_TIMEOUT_SECONDS = 20;

const tenantOf = async (page: Page) =>
  JSON.parse((await page.textContent('#claims')) ?? '{}').tenantId as string;
const issuedAt = async (page: Page) => JSON.parse((await page.textContent('#claims')) ?? '{}').iat as number;

describe.runIf(chromiumAvailable())('the admin console in Chromium', () => {
  let tessera: Tessera;
  let browser: Browser;
  let demoUrl: string;
  let consoleUrl: string;
  const contexts: BrowserContext[] = [];

  /** A browser context whose pages record page errors and CSP violations. */
  async function newContext() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const problems: string[] = [];
    context.on('weberror', (error) => problems.push(error.error().message));
    context.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) problems.push(message.text());
    });
    return { context, problems };
  }

  /** The demo app signed in as `email`, in a browser of its own; on `tenantId` when given. */
  async function demoSignedIn(email: string, tenantId?: string) {
    const { context, problems } = await newContext();
    const page = await context.newPage();
    await page.goto(demoUrl);
    await page.waitForSelector('#signed-out');
    await page.fill('#email', email);
    await page.click('#login-form button[type=submit]');
    await page.locator('#claims', { hasText: 'tenantId' }).waitFor();
    if (tenantId !== undefined && (await tenantOf(page)) !== tenantId) {
      await page.click(`[data-testid=tenant-${tenantId}]`);
      await page.locator('#claims', { hasText: `"tenantId": "${tenantId}"` }).waitFor();
    }
    return { page, problems };
  }

  /** The console, signed in with the admin key, on its dashboard. */
  async function consoleSignedIn() {
    const { context, problems } = await newContext();
    const page = await context.newPage();
    await page.goto(consoleUrl);
    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Dashboard' }).waitFor();
    return { page, problems };
  }

  beforeAll(async () => {
    const [demoPort, exampleApiPort] = [await freePort(), await freePort()];
    demoUrl = `http://localhost:${demoPort}/`;
    const launched = launchChromium();
    await Promise.all([ensureDemoBuilt(), ensureConsoleBuilt()]);
    tessera = await startTessera({
      demo: { port: demoPort, apiPort: exampleApiPort },
      env: { TESSERA_ADMIN_KEY: ADMIN_KEY, TESSERA_ACCESS_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS) },
    });
    consoleUrl = `${tessera.url}/console`;
    browser = await launched;
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await tessera?.stop();
  });

  it('signs in with the admin key, which the page keeps nowhere, and signs out', async () => {
    const { page, problems } = await consoleSignedIn();
    // The session is an HttpOnly cookie: the page can read neither it nor the key.
    expect(await page.evaluate('document.cookie')).not.toContain('tessera_console');
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
    expect(stored).not.toContain(ADMIN_KEY);
    expect(await page.content()).not.toContain(ADMIN_KEY);
    const cookies = await page.context().cookies(tessera.url);
    const session = cookies.find((cookie) => cookie.name === 'tessera_console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(session?.value).not.toContain(ADMIN_KEY);

    // A deep link reloads into the same page (the server answers index.html), still signed in.
    await page.goto(`${consoleUrl}/users`);
    await page.getByRole('link', { name: 'alice@example.com' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key').waitFor();
    const after = await page.context().cookies(tessera.url);
    expect(after.find((cookie) => cookie.name === 'tessera_console')).toBeUndefined();
    expect(problems).toEqual([]);
  }, 60_000);

  it('refuses a wrong key next to the field', async () => {
    const { context } = await newContext();
    const page = await context.newPage();
    await page.goto(consoleUrl);
    await page.getByLabel('Admin key').fill('not-the-key-but-long-enough-to-look-like-one');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/admin key/i);
    expect(await page.getByLabel('Admin key').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Dashboard' }).count()).toBe(0);
  }, 30_000);

  it('an idle timeout of 20 s set on a tenant signs the demo out there, while the other tenant stays in', async () => {
    const consolePage = (await consoleSignedIn()).page;
    await consolePage.getByRole('link', { name: 'Tenants' }).click();
    await consolePage.getByRole('link', { name: 'Acme Corp' }).click();
    await consolePage.getByLabel('Idle timeout (seconds)').fill(String(IDLE_TIMEOUT_SECONDS));
    await consolePage.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(
        async () =>
          (await tessera.adminOk<{ sessionPolicy: object }>('GET', '/environments/default/tenants/acme'))
            .sessionPolicy,
      )
      .toEqual({ idleTimeoutSeconds: IDLE_TIMEOUT_SECONDS });

    // Alice in two browsers (a session each: an idle end ends the whole session of a browser),
    // one on Acme, one on Globex (idle 15 min in the demo); neither touched again.
    const acme = await demoSignedIn('alice@example.com', 'acme');
    const globex = await demoSignedIn('alice@example.com', 'globex');
    const signedInAt = Date.now();
    const globexIssuedAt = await issuedAt(globex.page);

    await acme.page.waitForSelector('#signed-out', {
      timeout: (IDLE_TIMEOUT_SECONDS + 2 * TOKEN_TTL_SECONDS) * 1000,
    });
    const after = (Date.now() - signedInAt) / 1000;
    console.info(`[console] the demo on Acme was signed out ${after.toFixed(1)} s after its sign-in`);
    // Not before the idle timeout: background refreshes alone never kept it alive, nor ended it early.
    expect(after).toBeGreaterThanOrEqual(IDLE_TIMEOUT_SECONDS - 1);
    expect(await acme.page.textContent('#end-reason')).toContain('without activity');

    // Globex refreshed meanwhile and is still in.
    expect(await globex.page.locator('#signed-in').count()).toBe(1);
    await expect.poll(() => issuedAt(globex.page), { timeout: 15_000 }).toBeGreaterThan(globexIssuedAt);
    expect(await tenantOf(globex.page)).toBe('globex');
    expect([...acme.problems, ...globex.problems]).toEqual([]);

    await tessera.adminOk('PATCH', '/environments/default/tenants/acme', {
      sessionPolicy: { idleTimeoutSeconds: null },
    });
  }, 120_000);

  it("ending a user's session in the console signs that browser out at its next refresh", async () => {
    const bob = await demoSignedIn('bob@example.com');
    const consolePage = (await consoleSignedIn()).page;
    await consolePage.getByRole('link', { name: 'Users' }).click();
    await consolePage.getByRole('link', { name: 'bob@example.com' }).click();
    const end = consolePage.getByRole('button', { name: /^End session/ });
    await expect.poll(() => end.count()).toBe(1);
    await end.click();
    await expect.poll(() => end.count()).toBe(0);

    const refused = bob.page.waitForResponse(
      (response) => response.url().endsWith('/auth/v1/refresh') && response.status() === 401,
      { timeout: (TOKEN_TTL_SECONDS + 5) * 1000 },
    );
    const answer = await refused;
    expect(((await answer.json()) as { error: string }).error).toBe('session_revoked');
    await bob.page.waitForSelector('#signed-out');
    expect(bob.problems).toEqual([]);
    expect(await tessera.adminOk('GET', '/environments/default/users/user-bob/sessions')).toEqual([]);
  }, 60_000);

  it('rotating the signing key in the console leaves the demo and the example API working', async () => {
    const alice = await demoSignedIn('alice@example.com', 'acme');
    const projects = alice.page.locator('#projects-status');
    await expect.poll(() => projects.textContent()).toBe('200 OK');
    const keysBefore = (await (await fetch(`${tessera.url}/.well-known/jwks.json`)).json()) as {
      keys: unknown[];
    };

    const consolePage = (await consoleSignedIn()).page;
    await consolePage.getByRole('link', { name: 'Keys' }).click();
    await consolePage.getByRole('button', { name: 'Rotate signing key' }).click();
    await consolePage.getByRole('button', { name: 'Rotate now' }).click();
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${tessera.url}/.well-known/jwks.json`)).json()) as { keys: unknown[] }).keys
            .length,
      )
      .toBe(keysBefore.keys.length + 1);

    // The demo refreshes across the rotation and the example API still accepts its tokens.
    const before = await issuedAt(alice.page);
    await expect.poll(() => issuedAt(alice.page), { timeout: 15_000 }).toBeGreaterThan(before);
    await alice.page.reload();
    await alice.page.locator('#claims', { hasText: 'tenantId' }).waitFor();
    await expect.poll(() => projects.textContent()).toBe('200 OK');
    await alice.page.fill('#project-name', 'After the rotation');
    await alice.page.click('#add-project button[type=submit]');
    await expect.poll(() => alice.page.textContent('#add-project-result')).toContain('201 Created');
    expect(alice.problems).toEqual([]);
  }, 60_000);

  it('is not usable from another site', async () => {
    const { page } = await consoleSignedIn();
    // The console's own cookie, sent by a page on another origin of the same site (the demo's),
    // without the console's origin: refused.
    const fromDemo = await page.context().newPage();
    await fromDemo.goto(demoUrl);
    const outcomes = await fromDemo.evaluate(async (admin) => {
      const results: string[] = [];
      try {
        const response = await fetch(`${admin}/admin/v1/environments`, {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json', 'x-tessera-request': '1' },
          body: JSON.stringify({ id: 'from-elsewhere', name: 'x' }),
        });
        results.push(`post: ${response.status}`);
      } catch {
        results.push('post: blocked');
      }
      await fetch(`${admin}/admin/v1/environments`, {
        method: 'POST',
        mode: 'no-cors',
        credentials: 'include',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ id: 'from-elsewhere', name: 'x' }),
      });
      results.push('simple post: sent');
      return results;
    }, tessera.url);
    expect(outcomes).toEqual(['post: blocked', 'simple post: sent']);
    expect((await tessera.admin('GET', '/environments/from-elsewhere')).status).toBe(404);
  }, 60_000);
});
