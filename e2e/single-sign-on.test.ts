/**
 * Single sign-on across an environment's apps in real Chromium (issue #9, defect 2; ADR 0004):
 * app A signs in through the hosted login; app B — another registered spa on its own origin —
 * comes up signed in to the same session through `@tessera/browser`'s silent refresh on init,
 * without a password, and app A stays signed in. An app that asks as a client whose registered
 * origins do not include its own is refused, and the browser's session and cookie survive it.
 *
 * Three origins of one site (`http://localhost:<port>`), each serving the SDK (bundled from source
 * with esbuild) and a page that builds the client from its query, as in browser-sdk.test.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBrowserSdk, chromiumAvailable, launchChromium } from './browser.js';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'sam@example.com';
const SERVER_MAIN = fileURLToPath(new URL('../packages/server/src/main.ts', import.meta.url));
const COOKIE = 'tessera_refresh';

/** The apps: their client ids. C's origin is registered for `helpdesk`, but it asks as `reports`. */
const APPS = { a: 'shop', b: 'reports', c: 'helpdesk' } as const;

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

const APP_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>App</title></head>
<body>
<pre id="state">loading</pre>
<script type="module">
import { createAuthClient } from '/sdk.js';
const KEY = 'e2e-sso-config';
const query = new URLSearchParams(location.search);
const config = query.has('clientId') ? Object.fromEntries(query) : JSON.parse(sessionStorage.getItem(KEY) || 'null');
if (!config) throw new Error('the test page has no configuration');
sessionStorage.setItem(KEY, JSON.stringify(config));
const auth = createAuthClient({
  baseUrl: config.baseUrl,
  clientId: config.clientId,
  hostedLogin: true,
  redirectUri: location.origin + '/callback',
  authOptions: { keepSessionAlive: false },
});
const events = [];
auth.subscribe((state) => {
  events.push({ status: state.status, endReason: state.endReason });
  document.getElementById('state').textContent = state.status;
});
window.auth = auth;
window.events = events;
auth.init();
</script>
</body>
</html>`;

interface PageState {
  status: 'loading' | 'authenticated' | 'unauthenticated';
  endReason: string | null;
}
interface PageGlobals {
  auth: {
    getState(): PageState;
    getAccessToken(): Promise<string | null>;
    loginWithRedirect(): Promise<void>;
  };
}

function claimsOf(token: string | null): Record<string, unknown> {
  if (token === null) throw new Error('the page has no access token');
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

const stateOf = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).auth.getState());
const tokenOf = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).auth.getAccessToken());

/** Waits until the page's client has left `loading` (init() done). */
async function settled(page: Page): Promise<PageState> {
  await page.waitForFunction(
    () => {
      const auth = (globalThis as unknown as Partial<PageGlobals>).auth;
      return auth !== undefined && auth.getState().status !== 'loading';
    },
    undefined,
    { timeout: 30_000 },
  );
  return stateOf(page);
}

describe.runIf(chromiumAvailable())('single sign-on across apps on two origins, in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-sso-'));
  const adminKey = randomBytes(32).toString('base64url');
  let server: ChildProcess;
  let serverOutput = '';
  const appServers: Server[] = [];
  let browser: Browser;
  let apiUrl: string;
  let adminUrl: string;
  const origins = { a: '', b: '', c: '' };
  const contexts: BrowserContext[] = [];

  async function adminOk<T = Record<string, unknown>>(method: string, path: string, body?: unknown) {
    const response = await fetch(`${adminUrl}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text === '' ? null : JSON.parse(text)) as T;
  }

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
    await page.goto(`${origins[app]}/?${new URLSearchParams({ baseUrl: apiUrl, clientId })}`);
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
    const [port, portA, portB, portC] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    apiUrl = `http://localhost:${port}`;
    adminUrl = `http://127.0.0.1:${port}`;
    origins.a = `http://localhost:${portA}`;
    origins.b = `http://localhost:${portB}`;
    origins.c = `http://localhost:${portC}`;

    server = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', SERVER_MAIN], {
      env: {
        ...process.env,
        PORT: String(port),
        TESSERA_PUBLIC_URL: apiUrl,
        TESSERA_DEMO: '0',
        TESSERA_ADMIN_KEY: adminKey,
        TESSERA_DATA_DIR: dataDir,
        TESSERA_DATABASE_URL: `sqlite:${join(dataDir, 'tessera.db')}`,
        TESSERA_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk) => {
      serverOutput += chunk;
    });
    server.stderr?.on('data', (chunk) => {
      serverOutput += chunk;
    });

    const [sdk, launched] = await Promise.all([bundleBrowserSdk(), launchChromium()]);
    browser = launched;

    for (const [origin, port] of [
      [origins.a, portA],
      [origins.b, portB],
      [origins.c, portC],
    ] as const) {
      const app = createHttpServer((request, response) => {
        const path = new URL(request.url ?? '/', origin).pathname;
        if (path === '/' || path === '/callback') {
          response.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
          });
          response.end(APP_PAGE);
        } else if (path === '/sdk.js') {
          response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(sdk);
        } else {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        }
      });
      app.listen(port, '127.0.0.1');
      await once(app, 'listening');
      appServers.push(app);
    }

    for (let i = 0; i < 600 && !serverOutput.includes('Tessera is running'); i++) {
      if (server.exitCode !== null) throw new Error(`the server exited during start-up:\n${serverOutput}`);
      await sleep(100);
    }
    if (!serverOutput.includes('Tessera is running'))
      throw new Error(`the server did not start within 60 s:\n${serverOutput}`);

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
    for (const app of appServers) app.close();
    server?.kill('SIGTERM');
    if (server && server.exitCode === null) await once(server, 'exit');
    rmSync(dataDir, { recursive: true, force: true });
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
