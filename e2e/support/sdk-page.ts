/**
 * The test app for `@tessera/browser` in Chromium: the SDK bundled from its sources and served at
 * `/sdk.js`, with a page (at `/` and `/callback`) that builds the client from its query
 * (`?baseUrl=…&clientId=…&perTenant=1&keepAlive=1&hosted=1&noSilent=1`, kept in sessionStorage
 * for `/callback`) and exposes it as `window.auth`, its state changes as `window.events`.
 */
import type { Page } from 'playwright-core';
import type { Asset } from './app-origin.js';
import { bundleBrowserSdk } from './chromium.js';

/** What the page exposes (evaluated in the page: only `globalThis`, no DOM types here). */
export interface PageState {
  status: 'loading' | 'authenticated' | 'unauthenticated';
  tenantId: string | null;
  tenantIds: string[];
  endReason: string | null;
  expiresAt: number | null;
}

export interface PageEvent {
  status: PageState['status'];
  tenantId: string | null;
  endReason: string | null;
  /** The page's clock (Date.now(), the Playwright clock where installed). */
  at: number;
}

export interface PageGlobals {
  auth: {
    getState(): PageState;
    getAccessToken(): Promise<string | null>;
    login(credentials: { email: string; password: string; tenantId?: string }): Promise<PageState>;
    loginWithRedirect(options?: { tenantId?: string }): Promise<void>;
    switchTenant(tenantId: string): Promise<PageState>;
    logout(): Promise<void>;
  };
  events: PageEvent[];
}

/** The page's query: which server and client, and the SDK's options. */
export interface SdkPageConfig {
  baseUrl: string;
  clientId: string;
  perTenant?: boolean;
  keepAlive?: boolean;
  hosted?: boolean;
  noSilent?: boolean;
}

const SDK_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>SDK test page</title>
<style>html, body { margin: 0; min-height: 100vh; }</style></head>
<body>
<main><h1>@tessera/browser</h1><pre id="state">loading</pre></main>
<script type="module">
import { createAuthClient } from '/sdk.js';
const KEY = 'e2e-page-config';
const query = new URLSearchParams(location.search);
const config = query.has('clientId')
  ? Object.fromEntries(query)
  : JSON.parse(sessionStorage.getItem(KEY) || 'null');
if (!config) throw new Error('the test page has no configuration');
sessionStorage.setItem(KEY, JSON.stringify(config));
const flag = (name) => config[name] === '1';
const auth = createAuthClient({
  baseUrl: config.baseUrl,
  clientId: config.clientId,
  ...(flag('hosted') && { hostedLogin: true, redirectUri: location.origin + '/callback' }),
  authOptions: {
    keepSessionAlive: flag('keepAlive'),
    disableSilentRefresh: flag('noSilent'),
    enableSessionPerTenant: flag('perTenant'),
  },
});
const events = [];
const record = (state) => {
  events.push({ status: state.status, tenantId: state.tenantId, endReason: state.endReason, at: Date.now() });
  document.getElementById('state').textContent = state.status + ' ' + (state.tenantId || '');
};
record(auth.getState());
auth.subscribe(record);
window.auth = auth;
window.events = events;
auth.init();
</script>
</body>
</html>`;

/** The app's assets (bundle the SDK once per file, serve it from as many origins as needed). */
export async function sdkAppAssets(): Promise<Record<string, Asset>> {
  const sdk = await bundleBrowserSdk();
  const page: Asset = { type: 'html', body: SDK_PAGE };
  return { '/': page, '/callback': page, '/sdk.js': { type: 'js', body: sdk } };
}

/** The page's path and query for `config` (append it to the app's origin). */
export function sdkPagePath(config: SdkPageConfig): string {
  const query = new URLSearchParams({ baseUrl: config.baseUrl, clientId: config.clientId });
  for (const name of ['perTenant', 'keepAlive', 'hosted', 'noSilent'] as const)
    if (config[name]) query.set(name, '1');
  return `/?${query}`;
}

// Evaluated in the page: each callback stands alone (nothing of this module is there).
export const stateOf = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).auth.getState());
export const eventsOf = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).events);
export const tokenOf = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).auth.getAccessToken());

/** Waits until the page's client has left `loading` (init() done); its state then. */
export async function settled(page: Page): Promise<PageState> {
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

/** Waits until the page's client is in `status`. */
export async function waitForStatus(page: Page, status: PageState['status'], timeout = 30_000) {
  await page.waitForFunction(
    (wanted) => (globalThis as unknown as PageGlobals).auth.getState().status === wanted,
    status,
    { timeout },
  );
}
