/**
 * The demo `npm start` serves, clicked through in real Chromium: sign in on the demo page (a second
 * origin of the same site), pick a tenant per tab, reload, sign out.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
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

  beforeAll(async () => {
    const [port, demoPort] = [await freePort(), await freePort()];
    demoUrl = `http://localhost:${demoPort}/`;
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
});
