/**
 * `<AuthProvider>` under React StrictMode, in a development build of React (where StrictMode
 * renders twice and mounts, unmounts and mounts every effect) in real Chromium: one client, one
 * `init()` (so one silent refresh), one redirect from `<RequireAuth onUnauthenticated>`, a token
 * that follows refreshes and tenant switches, and `destroy()` only on a real unmount.
 *
 * `@tessera/browser` is replaced by a fake that counts calls (fixtures/react-strict-mode).
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './support/chromium.js';

const fixture = fileURLToPath(new URL('./fixtures/react-strict-mode/', import.meta.url));

async function buildFixture(): Promise<string> {
  const output = (await build({
    configFile: false,
    logLevel: 'warn',
    mode: 'development',
    root: fixture,
    define: { 'process.env.NODE_ENV': JSON.stringify('development') },
    esbuild: { jsx: 'automatic' },
    resolve: {
      alias: { '@tessera/browser': `${fixture}fake-sdk.ts` },
      conditions: ['source', 'module', 'browser', 'development'],
    },
    build: {
      write: false,
      minify: false,
      modulePreload: false,
      rollupOptions: { input: `${fixture}main.tsx` },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => result.output);
  const entry = chunks.find((chunk): chunk is Rollup.OutputChunk => chunk.type === 'chunk' && chunk.isEntry);
  if (!entry) throw new Error('the fixture build produced no entry chunk');
  return entry.code;
}

/** What the fake SDK counted (fixtures/react-strict-mode/fake-sdk.ts). */
interface Calls {
  created: number;
  init: number;
  destroy: number;
  loginWithRedirect: number;
  getAccessToken: number;
}

const calls = (page: Page) => page.evaluate<Calls>('window.calls');

describe.runIf(chromiumAvailable())('<AuthProvider> under StrictMode, in Chromium', () => {
  let browser: Browser;
  let script: string;

  beforeAll(async () => {
    [script, browser] = await Promise.all([buildFixture(), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('creates and initialises one client, redirects once, and destroys it only when really unmounted', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setContent('<!doctype html><div id="root"></div>');
    await page.addScriptTag({ type: 'module', content: script });

    await page.waitForSelector('#login');
    // The fixture is a development build: StrictMode really did double-invoke (React warns nothing).
    expect(await calls(page)).toMatchObject({ created: 1, init: 1, destroy: 0, loginWithRedirect: 1 });
    // A guard mounted while already signed out has its effect run twice: it still redirects once.
    await page.click('#show-late');
    await page.waitForSelector('#late');
    expect(await calls(page)).toMatchObject({ loginWithRedirect: 2 });

    await page.click('#login');
    await page.locator('#token', { hasText: 'token-1-acme' }).waitFor();

    // A refresh (new expiresAt) gives the hook the new token; a switch, the new tenant's.
    await page.click('#refresh');
    await page.locator('#token', { hasText: 'token-2-acme' }).waitFor();
    await page.click('#switch');
    await page.locator('#token', { hasText: 'token-3-globex' }).waitFor();
    expect(await page.textContent('#tenant')).toBe('globex');

    await page.click('#toggle');
    await page.waitForFunction('window.calls.destroy === 1');
    await page.click('#toggle');
    await page.waitForSelector('#login');
    // A real remount is a new client, initialised once; the old one was destroyed once.
    expect(await calls(page)).toMatchObject({ created: 2, init: 2, destroy: 1, loginWithRedirect: 3 });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
