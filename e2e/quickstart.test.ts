/**
 * The demo `npm start` serves, clicked through in real Chromium: sign in on the demo page (a second
 * origin of the same site), pick a tenant per tab, reload, sign out.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './browser.js';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

const tenantOf = async (page: Page) =>
  JSON.parse((await page.textContent('#claims')) ?? '{}').tenantId as string;
const signedIn = async (page: Page) => {
  await page.waitForSelector('#signed-in:not([hidden])');
  await page.locator('#claims', { hasText: 'tenantId' }).waitFor();
};

describe.runIf(chromiumAvailable())('the quickstart demo in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'));
  let server: ChildProcess;
  let browser: Browser;
  let demoUrl: string;
  let apiUrl: string;

  beforeAll(async () => {
    const [port, demoPort] = [await freePort(), await freePort()];
    demoUrl = `http://localhost:${demoPort}/`;
    apiUrl = `http://localhost:${port}`;
    const main = fileURLToPath(new URL('../packages/server/src/main.ts', import.meta.url));
    server = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main], {
      env: {
        ...process.env,
        PORT: String(port),
        TESSERA_DEMO_PORT: String(demoPort),
        TESSERA_DATA_DIR: dataDir,
        TESSERA_DATABASE_URL: `sqlite:${join(dataDir, 'tessera.db')}`,
        TESSERA_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    server.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    for (let i = 0; i < 300 && !output.includes('Tessera is running'); i++) {
      if (server.exitCode !== null) throw new Error('the server exited during start-up');
      await new Promise((done) => setTimeout(done, 100));
    }
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    if (server && server.exitCode === null) await once(server, 'exit');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in, keeps one tenant per tab across reloads, and signs out', async () => {
    const context = await browser.newContext();
    const tabA = await context.newPage();
    await tabA.goto(demoUrl);
    await tabA.waitForSelector('#signed-out:not([hidden])');
    await tabA.click('#login-form button[type=submit]');
    await signedIn(tabA);
    expect(await tenantOf(tabA)).toBe('acme');

    // CK-02: the refresh cookie is HttpOnly: the page cannot read it.
    expect(await tabA.evaluate('document.cookie')).not.toContain('tessera_refresh');

    await tabA.getByRole('button', { name: /Globex/ }).click();
    await tabA.locator('#claims', { hasText: '"tenantId": "globex"' }).waitFor();

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

    await tabA.click('#logout');
    await tabA.waitForSelector('#signed-out:not([hidden])');
    await tabB.reload();
    await tabB.waitForSelector('#signed-out:not([hidden])');
    await context.close();
  }, 60_000);

  it('CK-03 / CSRF-01: another site cannot refresh, read or end the session', async () => {
    const context = await browser.newContext();
    const app = await context.newPage();
    await app.goto(demoUrl);
    await app.waitForSelector('#signed-out:not([hidden])');
    await app.click('#login-form button[type=submit]');
    await signedIn(app);

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
