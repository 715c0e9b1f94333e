/**
 * The hosted login (DESIGN §3.2, ADR 0004) clicked through in real Chromium, as issue #3 asks: a
 * relying-party app on a second origin of the same site signs in with code + PKCE, lands back with
 * a session that `POST /auth/v1/refresh` then refreshes; prompt=none both ways; the tenant picker;
 * a wrong password; RP-initiated logout; no framing (CK-06); the page at desktop and phone widths.
 *
 * The screenshots land in e2e/screenshots/ (git-ignored).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppOrigin, serveAppOrigin } from './support/app-origin.js';
import { chromiumAvailable, launchChromium } from './support/chromium.js';
import { startTessera, type Tessera } from './support/tessera.js';

const CLIENT_ID = 'e2e-spa';
const PASSWORD = 'correct horse battery staple';
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const TEST_TIMEOUT = 120_000;
const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** The focused element as `tag#id`, and `:text` for a button. */
const focused = (page: Page) =>
  page.evaluate(
    `(() => { const e = document.activeElement; if (!e) return null;
      const name = e.tagName.toLowerCase() + '#' + e.id;
      return name.startsWith('button') ? name + ':' + e.textContent.trim() : name; })()`,
  );

/** What the app's /callback page found out, as it writes it into `#result`. */
interface CallbackResult {
  query: Record<string, string>;
  stateMatches: boolean;
  token?: { status: number; body: Record<string, unknown> | null };
  claims?: Record<string, unknown>;
  idClaims?: Record<string, unknown>;
  nonceMatches?: boolean;
  refresh?: RefreshResult;
  failure?: string;
}

interface RefreshResult {
  status: number;
  body: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  failure?: string;
}

/**
 * The relying party: one inline page for `/` and `/callback`. `/` signs in (PKCE verifier, state
 * and nonce from WebCrypto, kept in sessionStorage; any query parameters of `/` are passed on to
 * /oauth/authorize); `/callback` checks state, redeems the code, shows the claims and refreshes.
 */
function appPage(config: { api: string; clientId: string; redirectUri: string }): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Relying party</title></head>
<body>
<h1 id="where">Relying party</h1>
<button id="sign-in" type="button">Sign in</button>
<pre id="claims"></pre>
<pre id="result"></pre>
<script>
const config = ${JSON.stringify(config)};
const b64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const random = () => b64url(crypto.getRandomValues(new Uint8Array(32)));
const claimsOf = (jwt) =>
  JSON.parse(decodeURIComponent(escape(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')))));

async function signIn() {
  const verifier = random();
  const state = random();
  const nonce = random();
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem('tessera-e2e', JSON.stringify({ verifier, state, nonce }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce,
    scope: 'openid email profile',
  });
  for (const [name, value] of new URLSearchParams(location.search)) params.set(name, value);
  location.assign(config.api + '/oauth/authorize?' + params);
}

async function refreshSession() {
  try {
    const response = await fetch(config.api + '/auth/v1/refresh', {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json', 'X-Tessera-Request': '1' },
      body: JSON.stringify({ clientId: config.clientId }),
    });
    const body = await response.json().catch(() => null);
    return { status: response.status, body, claims: body && body.accessToken ? claimsOf(body.accessToken) : null };
  } catch (error) {
    return { status: 0, body: null, claims: null, failure: String(error) };
  }
}

async function callback() {
  const params = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem('tessera-e2e') || 'null');
  sessionStorage.removeItem('tessera-e2e');
  const result = { query: Object.fromEntries(params), stateMatches: saved !== null && params.get('state') === saved.state };
  try {
    if (params.has('code') && result.stateMatches) {
      const response = await fetch(config.api + '/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: params.get('code'),
          client_id: config.clientId,
          code_verifier: saved.verifier,
          redirect_uri: config.redirectUri,
        }),
      });
      const body = await response.json().catch(() => null);
      result.token = { status: response.status, body };
      if (response.ok) {
        result.claims = claimsOf(body.access_token);
        result.idClaims = claimsOf(body.id_token);
        result.nonceMatches = result.idClaims.nonce === saved.nonce;
        document.getElementById('claims').textContent = JSON.stringify(result.claims, null, 2);
        result.refresh = await refreshSession();
      }
    }
  } catch (error) {
    result.failure = String(error);
  }
  const out = document.getElementById('result');
  out.textContent = JSON.stringify(result, null, 2);
  out.dataset.done = 'true';
}

document.getElementById('sign-in').addEventListener('click', () => void signIn());
if (location.pathname === '/callback') {
  document.getElementById('where').textContent = 'Callback';
  void callback();
}
</script>
</body>
</html>`;
}

/** A page of the app's origin that tries to frame the hosted login (CK-06). */
function framingPage(src: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Framing</title></head>
<body><h1>A page that frames the login</h1>
<iframe name="login" src="${src.replace(/&/g, '&amp;')}" width="600" height="500"></iframe>
</body></html>`;
}

describe.runIf(chromiumAvailable())('the hosted login in Chromium', () => {
  let tessera: Tessera;
  let app: AppOrigin;
  let browser: Browser;
  let apiUrl: string;
  let appUrl: string;
  let redirectUri: string;
  const tenants = [
    { id: 'northwind', name: 'Northwind Traders' },
    { id: 'globex', name: 'Globex' },
  ];
  const users = { solo: 'solo@example.com', multi: 'multi@example.com' };
  let brandingApplied = false;
  const contexts: BrowserContext[] = [];
  const pageReferrerPolicy = new WeakMap<Page, string>();

  /** A fresh browser profile (no cookies); console errors are collected for failure messages. */
  async function newContext(options: BrowserContextOptions = {}) {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(30_000);
    contexts.push(context);
    const consoleErrors: string[] = [];
    context.on('console', (message) => {
      // The browser asks every origin for /favicon.ico; neither the app nor Tessera serves one.
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
        consoleErrors.push(`${message.location().url || message.page()?.url()}: ${message.text()}`);
    });
    context.on('weberror', (error) => consoleErrors.push(`page error: ${error.error().message}`));
    context.on('response', (response) => {
      const frame = response.request().frame();
      if (response.request().isNavigationRequest() && frame.parentFrame() === null)
        pageReferrerPolicy.set(frame.page(), response.headers()['referrer-policy'] ?? '(none)');
    });
    return { context, consoleErrors, page: await context.newPage() };
  }

  async function callbackResult(page: Page, consoleErrors: string[]): Promise<CallbackResult> {
    try {
      await page.waitForURL((url) => url.pathname === '/callback' && url.port === new URL(appUrl).port);
      await page.waitForSelector('#result[data-done]');
    } catch (error) {
      throw new Error(
        `never got a callback result; at ${page.url()}; console: ${JSON.stringify(consoleErrors)}; ${String(error)}`,
      );
    }
    return JSON.parse((await page.textContent('#result')) ?? '{}') as CallbackResult;
  }

  /** From the app's page: "Sign in" → the hosted login page. */
  async function openLoginPage(page: Page) {
    await page.goto(`${appUrl}/`);
    await page.click('#sign-in');
    await page.waitForURL((url) => url.origin === apiUrl && url.pathname === '/oauth/login');
  }

  async function fillLogin(page: Page, email: string, password: string) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await submitForm(page, page.getByRole('button', { name: 'Sign in' }));
  }

  /**
   * Clicks a hosted page's submit button and checks the form post was accepted: a 303 onwards, or
   * the page again with a message (400, 429). A refused post (403, "expired") fails here, with the
   * request's fetch metadata, rather than as a time-out further on.
   */
  async function submitForm(page: Page, button: Locator) {
    const [response] = await Promise.all([
      page.waitForResponse(
        (answer) =>
          answer.request().method() === 'POST' &&
          new URL(answer.url()).origin === apiUrl &&
          new URL(answer.url()).pathname.startsWith('/oauth/'),
      ),
      button.click(),
    ]);
    if (response.status() === 403 || response.status() >= 500) {
      const sent = await response.request().allHeaders();
      const heading = /<h1>([^<]*)<\/h1>/.exec(await response.text().catch(() => ''))?.[1];
      throw new Error(
        `POST ${new URL(response.url()).pathname} was refused: ${response.status()} "${heading}"; ` +
          `the browser sent Origin: ${sent.origin}, Sec-Fetch-Site: ${sent['sec-fetch-site']}; ` +
          `the page it came from had Referrer-Policy: ${pageReferrerPolicy.get(page) ?? '?'}`,
      );
    }
    return response;
  }

  /** Signs the single-tenant user in and returns the callback's result. */
  async function signIn(page: Page, consoleErrors: string[]) {
    await openLoginPage(page);
    await fillLogin(page, users.solo, PASSWORD);
    return callbackResult(page, consoleErrors);
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [tessera, browser] = await Promise.all([startTessera(), launchChromium()]);
    apiUrl = tessera.url;
    // The relying party, on a second origin of the same site.
    app = await serveAppOrigin((origin) => {
      redirectUri = `${origin}/callback`;
      const page = {
        type: 'html' as const,
        body: appPage({ api: apiUrl, clientId: CLIENT_ID, redirectUri }),
      };
      const challenge = createHash('sha256')
        .update(randomBytes(32).toString('base64url'))
        .digest('base64url');
      const framedAuthorize = `${apiUrl}/oauth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'framed',
        scope: 'openid',
      })}`;
      return { '/': page, '/callback': page, '/frame': { type: 'html', body: framingPage(framedAuthorize) } };
    });
    appUrl = app.url;
    const { admin, adminOk } = tessera;

    // The world, through the admin API (DESIGN §3.3).
    await adminOk('POST', '/environments/default/clients', {
      clientId: CLIENT_ID,
      name: 'E2E Shop',
      type: 'spa',
      redirectUris: [redirectUri],
      allowedOrigins: [appUrl],
      postLogoutRedirectUris: [`${appUrl}/`],
    });
    await adminOk('POST', '/environments/default/roles', {
      key: 'member',
      name: 'Member',
      permissions: ['orders:read'],
    });
    for (const tenant of tenants) await adminOk('POST', '/environments/default/tenants', tenant);
    const solo = await adminOk<{ id: string }>('POST', '/environments/default/users', {
      email: users.solo,
      password: PASSWORD,
      name: 'Solo User',
    });
    const multi = await adminOk<{ id: string }>('POST', '/environments/default/users', {
      email: users.multi,
      password: PASSWORD,
      name: 'Multi User',
    });
    await adminOk('PUT', `/environments/default/tenants/northwind/members/${solo.id}`, { roles: ['member'] });
    for (const tenant of tenants)
      await adminOk('PUT', `/environments/default/tenants/${tenant.id}/members/${multi.id}`, {
        roles: ['member'],
      });
    // Branding is recent: used when the admin API takes it, skipped (and said) when it refuses it.
    const branding = await admin('PATCH', '/environments/default', {
      branding: { name: 'Acme Cloud', primaryColor: '#0e7490' },
    });
    brandingApplied = branding.status === 200;
    if (!brandingApplied)
      console.warn(`PATCH branding refused (${branding.status}): ${JSON.stringify(branding.body)}`);
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
    await tessera?.stop();
  });

  it(
    'signs in on the hosted page and lands back in the app with a session that /auth/v1/refresh refreshes',
    async () => {
      const { context, page, consoleErrors } = await newContext();
      await openLoginPage(page);
      expect(await page.title()).toMatch(/^Sign in\b/);
      if (brandingApplied) expect(await page.textContent('body')).toContain('Acme Cloud');
      await fillLogin(page, users.solo, PASSWORD);

      const result = await callbackResult(page, consoleErrors);
      expect(result.failure, JSON.stringify(consoleErrors)).toBeUndefined();
      expect(result.stateMatches).toBe(true);
      expect(result.query.iss).toBe(apiUrl);
      expect(result.token?.status).toBe(200);
      expect(result.token?.body).toMatchObject({ token_type: 'Bearer', scope: 'openid email profile' });
      expect(result.nonceMatches).toBe(true);
      const { claims } = result;
      expect(claims).toMatchObject({ aud: CLIENT_ID, tenantId: 'northwind', email: users.solo });
      expect(claims?.sid).toEqual(expect.any(String));
      expect(result.idClaims).toMatchObject({ sid: claims?.sid, aud: CLIENT_ID, iss: apiUrl });

      // The claims are on the page, as the app shows them.
      const shown = JSON.parse((await page.textContent('#claims')) ?? '{}') as Record<string, unknown>;
      expect(shown).toMatchObject({ sid: claims?.sid, tenantId: 'northwind' });

      // The hosted login's cookie is the session API's: the app refreshes it, same session.
      expect(result.refresh?.failure, JSON.stringify(consoleErrors)).toBeUndefined();
      expect(result.refresh?.status).toBe(200);
      expect(result.refresh?.claims).toMatchObject({ sid: claims?.sid, tenantId: 'northwind' });

      // CK-02: HttpOnly — in the browser's jar, but not readable from a page of the same host.
      const cookies = await context.cookies(apiUrl);
      const refreshCookie = cookies.find((cookie) => /tessera_refresh$/.test(cookie.name));
      expect(refreshCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(await page.evaluate('document.cookie')).not.toContain('tessera_refresh');

      // And again, later, from the app: the rotated cookie still works.
      const again = (await page.evaluate('refreshSession()')) as RefreshResult;
      expect(again.status).toBe(200);
      expect(again.claims?.sid).toBe(claims?.sid);
      expect(consoleErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'shows the tenant picker to a user with two tenants, and the token carries the one picked',
    async () => {
      const { page, consoleErrors } = await newContext({ viewport: { width: 1280, height: 800 } });
      await openLoginPage(page);
      await fillLogin(page, users.multi, PASSWORD);
      await page.getByRole('heading', { name: 'Choose an organization' }).waitFor();
      const choices = page.locator('button[name=tenant_id]');
      expect(await choices.allTextContents()).toEqual(
        expect.arrayContaining(tenants.map((tenant) => tenant.name)),
      );
      expect(await choices.count()).toBe(2);
      await page.screenshot({ path: join(SCREENSHOTS, 'tenant-picker-desktop.png'), fullPage: true });

      const second = choices.nth(1);
      const pickedId = await second.getAttribute('value');
      const pickedName = (await second.textContent())?.trim();
      expect(tenants.find((tenant) => tenant.id === pickedId)?.name).toBe(pickedName);
      await submitForm(page, second);

      const result = await callbackResult(page, consoleErrors);
      expect(result.token?.status).toBe(200);
      expect(result.claims?.tenantId).toBe(pickedId);
      expect(result.claims?.tenantIds).toEqual(expect.arrayContaining(tenants.map((tenant) => tenant.id)));
      expect(result.refresh?.status).toBe(200);
      expect(result.refresh?.claims?.sid).toBe(result.claims?.sid);
    },
    TEST_TIMEOUT,
  );

  it(
    'prompt=none: straight back with a code when signed in, login_required when not',
    async () => {
      const signedIn = await newContext();
      const first = await signIn(signedIn.page, signedIn.consoleErrors);
      expect(first.token?.status).toBe(200);

      const loginPages: string[] = [];
      signedIn.page.on('request', (request) => {
        if (request.isNavigationRequest() && new URL(request.url()).pathname === '/oauth/login')
          loginPages.push(request.url());
      });
      await signedIn.page.goto(`${appUrl}/?prompt=none`);
      await signedIn.page.click('#sign-in');
      const silent = await callbackResult(signedIn.page, signedIn.consoleErrors);
      expect(loginPages).toEqual([]);
      expect(silent.query.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(silent.query.iss).toBe(apiUrl);
      expect(silent.stateMatches).toBe(true);
      expect(silent.token?.status).toBe(200);
      // SSO: the same browser session, not a second one.
      expect(silent.claims?.sid).toBe(first.claims?.sid);

      const fresh = await newContext();
      await fresh.page.goto(`${appUrl}/?prompt=none`);
      await fresh.page.click('#sign-in');
      const refused = await callbackResult(fresh.page, fresh.consoleErrors);
      expect(refused.query).toMatchObject({ error: 'login_required', iss: apiUrl });
      expect(refused.query.state).toEqual(expect.any(String));
      expect(refused.stateMatches).toBe(true);
      expect(refused.query.code).toBeUndefined();
      expect(refused.token).toBeUndefined();
    },
    TEST_TIMEOUT,
  );

  it(
    'a wrong password shows the error on the login page, which then still signs in',
    async () => {
      const { page, consoleErrors } = await newContext();
      await openLoginPage(page);
      await fillLogin(page, users.solo, 'not the password at all');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('The email or password is incorrect');
      expect(new URL(page.url()).origin).toBe(apiUrl);
      expect(await page.getByLabel('Email').inputValue()).toBe(users.solo);
      expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');

      await page.getByLabel('Password').fill(PASSWORD);
      await submitForm(page, page.getByRole('button', { name: 'Sign in' }));
      const result = await callbackResult(page, consoleErrors);
      expect(result.token?.status).toBe(200);
      expect(result.refresh?.status).toBe(200);
    },
    TEST_TIMEOUT,
  );

  it(
    'RP-initiated logout without id_token_hint asks first, then ends the session',
    async () => {
      const { context, page, consoleErrors } = await newContext();
      const result = await signIn(page, consoleErrors);
      expect(result.refresh?.status).toBe(200);

      const postLogout = `${appUrl}/`;
      await page.goto(
        `${apiUrl}/oauth/logout?${new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: postLogout })}`,
      );
      await page.getByRole('heading', { name: 'Sign out of E2E Shop?' }).waitFor();
      // Nothing ended on the GET.
      expect(await context.cookies(apiUrl)).toContainEqual(
        expect.objectContaining({ name: expect.stringMatching(/tessera_refresh$/) }),
      );

      await submitForm(page, page.getByRole('button', { name: 'Sign out' }));
      await page.waitForURL(postLogout);
      const after = (await page.evaluate('refreshSession()')) as RefreshResult;
      expect(after.status).toBe(401);
      expect(after.body?.error).toEqual(expect.any(String));
      expect(
        (await context.cookies(apiUrl)).filter((cookie) => /tessera_refresh$/.test(cookie.name)),
      ).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'CK-06: the login page does not render inside a frame on another origin',
    async () => {
      const { page } = await newContext();
      const loginResponse = page.waitForResponse(
        (response) => new URL(response.url()).pathname === '/oauth/login',
      );
      await page.goto(`${appUrl}/frame`);
      const headers = (await loginResponse).headers();
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['x-frame-options']).toBe('DENY');

      // Once the frame has committed a document (Chromium's error page when the framing is
      // refused, the login page were it not), look inside it.
      await expect
        .poll(() => page.frame({ name: 'login' })?.url() ?? 'about:blank')
        .not.toMatch(/^(about:blank)?$/);
      const frame = page.frame({ name: 'login' });
      expect(frame).not.toBeNull();
      const content = await frame?.content().catch(() => '');
      expect(content).not.toContain('type="password"');
      expect(await frame?.locator('input[type=password]').count()).toBe(0);
      expect(frame?.url()).not.toMatch(/\/oauth\/login/);
    },
    TEST_TIMEOUT,
  );

  it(
    'the login page at 1280×800 and 375×812: screenshots, no horizontal scroll, focus order',
    async () => {
      const desktop = await newContext({ viewport: { width: 1280, height: 800 } });
      await openLoginPage(desktop.page);
      await desktop.page.screenshot({ path: join(SCREENSHOTS, 'login-desktop.png'), fullPage: true });
      expect(await desktop.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);

      const { page, consoleErrors } = await newContext(PHONE);
      await openLoginPage(page);
      await page.screenshot({ path: join(SCREENSHOTS, 'login-phone.png'), fullPage: true });
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      const button = page.getByRole('button', { name: 'Sign in' });
      expect(await button.isVisible()).toBe(true);
      const box = await button.boundingBox();
      expect(box).not.toBeNull();
      if (box) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(375);
        expect(box.y + box.height).toBeLessThanOrEqual(812);
      }

      // Keyboard: email → password → the button.
      await page.getByLabel('Email').focus();
      expect(await focused(page)).toBe('input#email');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('input#password');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('button#:Sign in');
      // No CSP violation, no failed stylesheet.
      expect(consoleErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'the error state and the tenant picker at both widths: screenshots, no horizontal scroll',
    async () => {
      const desktop = await newContext({ viewport: { width: 1280, height: 800 } });
      await openLoginPage(desktop.page);
      await fillLogin(desktop.page, users.solo, 'wrong password, for the error state');
      await desktop.page.getByRole('alert').waitFor();
      await desktop.page.screenshot({ path: join(SCREENSHOTS, 'login-error-desktop.png'), fullPage: true });

      const { page } = await newContext(PHONE);
      await openLoginPage(page);
      await fillLogin(page, users.solo, 'wrong password, for the error state');
      await page.getByRole('alert').waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await page.screenshot({ path: join(SCREENSHOTS, 'login-error-phone.png'), fullPage: true });

      await fillLogin(page, users.multi, PASSWORD);
      await page.getByRole('heading', { name: 'Choose an organization' }).waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await page.screenshot({ path: join(SCREENSHOTS, 'tenant-picker-phone.png'), fullPage: true });
    },
    TEST_TIMEOUT,
  );
});
