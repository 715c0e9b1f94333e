/**
 * The account page (docs/account.md) over HTTP: who it takes as signed in (the refresh cookie,
 * judged like single sign-on), its own sign-in, and every form — each refused without this
 * session's token, from another site, or for another user's session, changing nothing.
 */
import type { TestServer } from '@tessera/testing/harness';
import { parseSetCookie } from '@tessera/testing/harness';
import { hiddenField, type TestBrowser, testBrowser } from '@tessera/testing/hosted-login';
import { ORIGIN, sessionApi } from '@tessera/testing/world';
import { addUser, startSeededServer, type TestUser } from '@tessera/testing/world-per-file';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_CONTENT_SECURITY_POLICY } from '../../login-ui/index.js';
import { LOGIN_THROTTLE_POLICY } from '../../throttle/throttle.js';

const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const NEW_PASSWORD = 'a brand new passphrase 42';

let t: TestServer;
beforeAll(async () => {
  t = await startSeededServer();
});
afterAll(async () => t?.close());

/** A browser signed in on the account page itself, with this user agent. */
async function signedInBrowser(user: TestUser, userAgent = CHROME_MAC) {
  const browser = testBrowser(t);
  const headers = { 'user-agent': userAgent };
  const form = await browser.request('GET', '/account', { headers });
  const done = await browser.request('POST', '/account/login', {
    form: { csrf_token: hiddenField(form.body, 'csrf_token'), email: user.email, password: user.password },
    headers,
  });
  expect(done.statusCode).toBe(303);
  return browser;
}

/** Another device, signed in through the session API; its refresh cookie `name=value`. */
async function apiSession(user: TestUser, userAgent = FIREFOX_LINUX): Promise<string> {
  const response = await sessionApi(t).login(
    { email: user.email, password: user.password },
    { origin: ORIGIN, 'user-agent': userAgent },
  );
  expect(response.statusCode).toBe(200);
  const cookie = parseSetCookie(response);
  return `${cookie?.name}=${cookie?.value}`;
}

async function refreshes(cookie: string): Promise<number> {
  return (await sessionApi(t).refresh(cookie)).statusCode;
}

async function liveSids(user: TestUser): Promise<string[]> {
  return (await t.deps.storage.listLiveSessions('default', user.id)).map((s) => s.id).sort();
}

/** The account page, and its CSRF token. */
async function accountPage(browser: TestBrowser) {
  const page = await browser.request('GET', '/account');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('<h1>Your account</h1>');
  return { page, csrf: hiddenField(page.body, 'csrf_token') };
}

/** The sid a page lists for the session on this device (the one row without a form). */
function sidsOnPage(body: string): string[] {
  return [...body.matchAll(/<input type="hidden" name="sid" value="([^"]+)">/g)].map((m) => m[1] ?? '');
}

describe('GET /account', () => {
  it('signed out: the sign-in form, posting to /account/login, with the login pages’ CSP and no-store', async () => {
    const browser = testBrowser(t);
    const response = await browser.request('GET', '/account');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe(LOGIN_CONTENT_SECURITY_POLICY);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.body).toContain('<form method="post" action="/account/login">');
    expect(response.body).toContain('Sign in to manage your');
    expect(response.body).not.toContain('interaction_id');
    expect(response.body).not.toMatch(/<script/i);
    expect(browser.jar.has('tessera_login')).toBe(true);
  });

  it('signed in: profile, tenants with roles, and the sessions with device, address and “This device”, under the same CSP', async () => {
    const user = await addUser(t, 'pat', [
      ['acme', 'admin'],
      ['globex', 'member'],
    ]);
    await apiSession(user, SAFARI_IPHONE);
    const browser = await signedInBrowser(user);
    const response = await browser.request('GET', '/account');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe(LOGIN_CONTENT_SECURITY_POLICY);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.body;
    expect(body).toContain(`<dd>${user.email}</dd>`);
    expect(body).toContain('<dd>pat</dd>');
    expect(body).toMatch(/ACME<\/span>\n<span class="chips"><span class="chip">admin<\/span>/);
    expect(body).toMatch(/GLOBEX<\/span>\n<span class="chips"><span class="chip">member<\/span>/);
    // This device first, marked, with no sign-out form of its own; the other one with its form.
    const titles = [...body.matchAll(/<span class="session-device">([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(titles).toEqual(['Chrome 131 on macOS', 'Safari 17 on iOS']);
    expect(body.match(/<span class="badge">This device<\/span>/g)).toHaveLength(1);
    expect(body).toContain('<span>127.0.0.1</span>');
    expect(body).toContain('Active now');
    expect(sidsOnPage(body)).toHaveLength(1);
    expect(body).toContain('aria-label="Sign out Safari 17 on iOS, 127.0.0.1"');
    expect(body).toContain('>Sign out everywhere else</button>');
    expect(body).toMatch(/<link rel="stylesheet" href="\/oauth\/assets\/account\.css\?v=[0-9a-f]{16}">/);
  });

  it('a session from the session API (the SPA’s cookie) is recognised, as single sign-on would', async () => {
    const user = await addUser(t, 'spa', [['acme', 'member']]);
    const cookie = await apiSession(user);
    const response = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
    expect(response.body).toContain('<h1>Your account</h1>');
    expect(response.body).toContain('<span class="session-device">Firefox 133 on Linux</span>');
  });

  it('looking at the page neither refreshes nor extends the session', async () => {
    const user = await addUser(t, 'idle', [['acme', 'member']]);
    const cookie = await apiSession(user);
    const [before] = await t.deps.storage.listLiveSessions('default', user.id);
    t.clock.advance(120);
    await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
    const [after] = await t.deps.storage.listLiveSessions('default', user.id);
    expect(after).toEqual(before);
    // The same refresh token still works: it was not rotated.
    expect(await refreshes(cookie)).toBe(200);
  });

  it('an ended, idle or expired session is signed out here: the sign-in form, and the lapsed one ends', async () => {
    const user = await addUser(t, 'lapse', [['globex', 'member']]);
    const ended = await apiSession(user);
    await sessionApi(t).logout(ended);
    const endedPage = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: ended } });
    expect(endedPage.body).toContain('action="/account/login"');

    await t.deps.storage.updateTenant('default', 'globex', { sessionPolicy: { idleTimeoutSeconds: 60 } });
    try {
      const idle = await apiSession(user);
      t.clock.advance(61);
      const idlePage = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: idle } });
      expect(idlePage.body).toContain('action="/account/login"');
      expect(await liveSids(user)).toEqual([]);
    } finally {
      await t.deps.storage.updateTenant('default', 'globex', { sessionPolicy: {} });
    }

    const garbled = await t.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie: 'tessera_refresh=not-a-token' },
    });
    expect(garbled.body).toContain('action="/account/login"');
  });

  it('?done= shows one fixed message, never the query’s own text', async () => {
    const user = await addUser(t, 'done', [['acme', 'member']]);
    const browser = await signedInBrowser(user);
    const known = await browser.request('GET', '/account?done=others_ended');
    expect(known.body).toContain('role="status">You are signed out everywhere else.');
    const hostile = await browser.request('GET', '/account?done=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(hostile.statusCode).toBe(200);
    expect(hostile.body).not.toContain('role="status"');
    expect(hostile.body).not.toContain('alert(1)');
    const inherited = await browser.request('GET', '/account?done=toString');
    expect(inherited.body).not.toContain('role="status"');
  });

  it('hostile names, emails, tenant names and roles render as text', async () => {
    const user = await addUser(t, 'hostile', []);
    await t.deps.storage.updateUser('default', user.id, { name: '<script>alert("name")</script>' });
    await t.deps.storage.insertTenant({
      envId: 'default',
      id: 'evil',
      name: '<img src=x onerror=alert("tenant")>',
      sessionPolicy: {},
      createdAt: t.clock.now(),
    });
    await t.deps.storage.putMembership({
      envId: 'default',
      tenantId: 'evil',
      userId: user.id,
      roles: ['"><b>role</b>'],
      createdAt: t.clock.now(),
    });
    const browser = await signedInBrowser(user, '"><svg onload=alert("ua")> Chrome/131.0 Safari/537.36');
    const { page } = await accountPage(browser);
    expect(page.body).not.toMatch(/<script>alert|<img src=x|<svg|<b>role/);
    expect(page.body).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(page.body).toContain('&lt;img src=x onerror=alert(&quot;tenant&quot;)&gt;');
    expect(page.body).toContain('&quot;&gt;&lt;b&gt;role&lt;/b&gt;');
  });
});

describe('POST /account/login', () => {
  it('signs in and comes back to /account only, with the refresh cookie and a session for this browser', async () => {
    const user = await addUser(t, 'login', [['acme', 'member']]);
    const browser = testBrowser(t);
    const form = await browser.request('GET', '/account?return_to=https://evil.example/');
    const done = await browser.request('POST', '/account/login?next=https://evil.example/', {
      form: { csrf_token: hiddenField(form.body, 'csrf_token'), email: user.email, password: user.password },
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/account');
    expect(browser.jar.has('tessera_refresh')).toBe(true);
    expect(browser.jar.has('tessera_device')).toBe(true);
    const [session] = await t.deps.storage.listLiveSessions('default', user.id);
    expect(session?.clientId).toBe('tessera:account');
    // The environment's spas join it through single sign-on, as after the hosted login.
    expect(await refreshes(`tessera_refresh=${browser.jar.get('tessera_refresh')}`)).toBe(200);
  });

  it('a wrong password: the form again with the credentials error, 400, and no session', async () => {
    const user = await addUser(t, 'wrong', [['acme', 'member']]);
    const browser = testBrowser(t);
    const form = await browser.request('GET', '/account');
    const response = await browser.request('POST', '/account/login', {
      form: {
        csrf_token: hiddenField(form.body, 'csrf_token'),
        email: user.email,
        password: 'not it at all',
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('role="alert">The email or password is incorrect');
    expect(response.body).toContain(`value="${user.email}"`);
    expect(browser.jar.has('tessera_refresh')).toBe(false);
    expect(await liveSids(user)).toEqual([]);
  });

  it('without the form’s token, with another purpose’s, or from another site: 403, and no session', async () => {
    const user = await addUser(t, 'forged', [['acme', 'member']]);
    const browser = testBrowser(t);
    const form = await browser.request('GET', '/account');
    const good = {
      csrf_token: hiddenField(form.body, 'csrf_token'),
      email: user.email,
      password: user.password,
    };
    const attempts: { form: Record<string, string>; headers?: Record<string, string> }[] = [
      { form: { ...good, csrf_token: '' } },
      { form: { ...good, csrf_token: 'x'.repeat(43) } },
      { form: good, headers: { 'sec-fetch-site': 'cross-site' } },
      { form: good, headers: { 'sec-fetch-site': 'same-site' } },
      { form: good, headers: { origin: 'https://evil.example' } },
    ];
    for (const attempt of attempts) {
      const response = await browser.request('POST', '/account/login', attempt);
      expect(response.statusCode).toBe(403);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    // A stranger's browser (no binding cookie) with the page's token.
    expect((await testBrowser(t).request('POST', '/account/login', { form: good })).statusCode).toBe(403);
    expect(await liveSids(user)).toEqual([]);
  });

  it('is throttled like every sign-in: 429 with Retry-After once the account’s budget is spent', async () => {
    const user = await addUser(t, 'throttled', [['acme', 'member']]);
    const browser = testBrowser(t);
    let last = { statusCode: 0, headers: {} as Record<string, unknown>, body: '' };
    for (let i = 0; i <= LOGIN_THROTTLE_POLICY.maxFailuresPerAccount; i++) {
      const form = await browser.request('GET', '/account');
      last = await browser.request('POST', '/account/login', {
        form: { csrf_token: hiddenField(form.body, 'csrf_token'), email: user.email, password: `wrong ${i}` },
      });
    }
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.body).toContain('Too many sign-in attempts');
  });
});

describe('POST /account/sessions/end', () => {
  it('signs out one other session of the user: its next refresh is refused', async () => {
    const user = await addUser(t, 'endone', [['acme', 'member']]);
    const other = await apiSession(user);
    const browser = await signedInBrowser(user);
    const { page, csrf } = await accountPage(browser);
    const [sid] = sidsOnPage(page.body);
    const response = await browser.request('POST', '/account/sessions/end', {
      form: { csrf_token: csrf, sid: sid ?? '' },
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account?done=session_ended');
    expect(await refreshes(other)).toBe(401);
    expect((await accountPage(browser)).page.body).not.toContain(sid);
  });

  it('this browser’s own sid signs this browser out, like “Sign out”', async () => {
    const user = await addUser(t, 'ownsid', [['acme', 'member']]);
    const browser = await signedInBrowser(user);
    const [own = ''] = await liveSids(user);
    const { csrf } = await accountPage(browser);
    const response = await browser.request('POST', '/account/sessions/end', {
      form: { csrf_token: csrf, sid: own },
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account?done=signed_out');
    expect(parseSetCookie(response)?.attributes['max-age']).toBe('0');
    expect(await liveSids(user)).toEqual([]);
  });

  it('another user’s sid answers exactly like an unknown one, and ends nothing', async () => {
    const user = await addUser(t, 'mine', [['acme', 'member']]);
    const victim = await addUser(t, 'theirs', [['acme', 'member']]);
    const victimCookie = await apiSession(victim);
    const [victimSid] = await liveSids(victim);
    const browser = await signedInBrowser(user);
    const { csrf } = await accountPage(browser);
    const foreign = await browser.request('POST', '/account/sessions/end', {
      form: { csrf_token: csrf, sid: victimSid ?? '' },
    });
    const unknown = await browser.request('POST', '/account/sessions/end', {
      form: { csrf_token: csrf, sid: 'no-such-session-id' },
    });
    for (const response of [foreign, unknown]) {
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/account?done=session_not_found');
    }
    expect(await refreshes(victimCookie)).toBe(200);
    expect(await liveSids(victim)).toEqual([victimSid]);
  });

  it('with a wrong token, another session’s token, or from another site: 403, and nothing ends', async () => {
    const user = await addUser(t, 'csrf', [['acme', 'member']]);
    const other = await apiSession(user);
    const browser = await signedInBrowser(user);
    const { page, csrf } = await accountPage(browser);
    const [sid = ''] = sidsOnPage(page.body);
    // The token of this user's other session (as its own page would carry it) is worthless here.
    const otherPage = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: other } });
    const otherToken = hiddenField(otherPage.body, 'csrf_token');
    expect(otherToken).not.toBe(csrf);
    const before = await liveSids(user);
    for (const attempt of [
      { form: { sid } },
      { form: { csrf_token: '', sid } },
      // Its last character changed (to a character it is not: `…A` would be the token itself 1 time in 64).
      { form: { csrf_token: `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}`, sid } },
      { form: { csrf_token: otherToken, sid } },
      { form: { csrf_token: csrf, sid }, headers: { origin: 'https://evil.example' } },
      { form: { csrf_token: csrf, sid }, headers: { origin: 'null' } },
      { form: { csrf_token: csrf, sid }, headers: { 'sec-fetch-site': 'cross-site' } },
      { form: { csrf_token: csrf, sid }, headers: { 'sec-fetch-site': 'same-site' } },
    ] as { form: Record<string, string>; headers?: Record<string, string> }[]) {
      const response = await browser.request('POST', '/account/sessions/end', attempt);
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('This page has expired');
    }
    expect(await liveSids(user)).toEqual(before);
    expect(await refreshes(other)).toBe(200);
  });

  it('after this session ended: back to the page (the sign-in), and nothing changes', async () => {
    const user = await addUser(t, 'gone', [['acme', 'member']]);
    const other = await apiSession(user);
    const browser = await signedInBrowser(user);
    const { page, csrf } = await accountPage(browser);
    const [sid = ''] = sidsOnPage(page.body);
    const [mine] = (await liveSids(user)).filter((s) => s !== sid);
    await t.deps.storage.endSession(mine ?? '', 'revoked', t.clock.now());
    const response = await browser.request('POST', '/account/sessions/end', {
      form: { csrf_token: csrf, sid },
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account');
    expect(await refreshes(other)).toBe(200);
  });
});

describe('POST /account/sessions/end-others and /account/logout', () => {
  it('“Sign out everywhere else” ends every other session of the user, and only those', async () => {
    const user = await addUser(t, 'others', [['acme', 'member']]);
    const bystander = await addUser(t, 'bystander', [['acme', 'member']]);
    const others = [await apiSession(user), await apiSession(user, SAFARI_IPHONE)];
    const bystanderCookie = await apiSession(bystander);
    const browser = await signedInBrowser(user);
    const { csrf } = await accountPage(browser);
    const response = await browser.request('POST', '/account/sessions/end-others', {
      form: { csrf_token: csrf },
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account?done=others_ended');
    for (const cookie of others) expect(await refreshes(cookie)).toBe(401);
    expect(await refreshes(bystanderCookie)).toBe(200);
    const after = await browser.request('GET', '/account?done=others_ended');
    expect(after.body).toContain('This is the only device signed in to your account.');
    expect(await liveSids(user)).toHaveLength(1);
  });

  it('“Sign out” ends this session, clears the cookie and shows the sign-in with a notice', async () => {
    const user = await addUser(t, 'bye', [['acme', 'member']]);
    const other = await apiSession(user);
    const browser = await signedInBrowser(user);
    const cookie = `tessera_refresh=${browser.jar.get('tessera_refresh')}`;
    const { csrf } = await accountPage(browser);
    const forged = await browser.request('POST', '/account/logout', { form: { csrf_token: 'nope' } });
    expect(forged.statusCode).toBe(403);
    expect(await refreshes(cookie)).toBe(200);
    const response = await browser.request('POST', '/account/logout', { form: { csrf_token: csrf } });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account?done=signed_out');
    expect(parseSetCookie(response)?.attributes['max-age']).toBe('0');
    expect(await refreshes(cookie)).toBe(401);
    expect(await refreshes(other)).toBe(200);
    const page = await browser.request('GET', '/account?done=signed_out');
    expect(page.body).toContain('role="status">You are signed out on this device.</div>');
    expect(page.body).toContain('action="/account/login"');
  });

  it('the forms are POST only: GET is 405 with Allow', async () => {
    for (const path of [
      '/account/login',
      '/account/logout',
      '/account/sessions/end',
      '/account/sessions/end-others',
      '/account/password',
    ]) {
      const response = await t.app.inject({ method: 'GET', url: path });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('POST');
    }
  });
});

describe('POST /account/password', () => {
  async function postPassword(browser: TestBrowser, csrf: string, fields: Partial<Record<string, string>>) {
    return browser.request('POST', '/account/password', {
      form: {
        csrf_token: csrf,
        current_password: fields.current ?? '',
        new_password: fields.next ?? NEW_PASSWORD,
        confirm_password: fields.confirm ?? fields.next ?? NEW_PASSWORD,
      },
    });
  }

  async function passwordWorks(user: TestUser, password: string): Promise<boolean> {
    const response = await sessionApi(t).login({ email: user.email, password });
    return response.statusCode === 200;
  }

  it('changes it: 303, every other session ends (password_changed), this one stays', async () => {
    const user = await addUser(t, 'change', [['acme', 'member']]);
    const other = await apiSession(user);
    const browser = await signedInBrowser(user);
    const cookie = `tessera_refresh=${browser.jar.get('tessera_refresh')}`;
    const { csrf } = await accountPage(browser);
    const [otherSid] = (await t.deps.storage.listLiveSessions('default', user.id))
      .filter((s) => s.clientId === 'app')
      .map((s) => s.id);
    const response = await postPassword(browser, csrf, { current: user.password });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account?done=password_changed');
    expect(await refreshes(other)).toBe(401);
    expect((await t.deps.storage.getSession(otherSid ?? ''))?.endReason).toBe('password_changed');
    expect(await refreshes(cookie)).toBe(200);
    expect((await browser.request('GET', '/account?done=password_changed')).body).toContain(
      'role="status">Your password is changed.',
    );
    expect(await passwordWorks(user, user.password)).toBe(false);
    expect(await passwordWorks(user, NEW_PASSWORD)).toBe(true);
  });

  it('each refusal is shown next to its field, 400, and changes nothing', async () => {
    const user = await addUser(t, 'refused', [['acme', 'member']]);
    const other = await apiSession(user);
    const browser = await signedInBrowser(user);
    const { csrf } = await accountPage(browser);
    const cases: [Partial<Record<string, string>>, string, string][] = [
      [{ current: '' }, 'current-password', 'Enter your current password.'],
      [{ current: 'not my password' }, 'current-password', 'The current password is incorrect.'],
      [{ current: user.password, next: 'short' }, 'new-password', 'Use at least 8 characters.'],
      [{ current: user.password, next: 'password123' }, 'new-password', 'one of the most common'],
      [
        { current: user.password, confirm: 'something else entirely' },
        'confirm-password',
        'The new passwords do not match.',
      ],
    ];
    for (const [fields, id, message] of cases) {
      const response = await postPassword(browser, csrf, fields);
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(
        `aria-describedby="${id === 'new-password' ? 'new-password-hint new-password-error' : `${id}-error`}" aria-invalid="true"`,
      );
      expect(response.body).toMatch(
        new RegExp(`<p class="field-error" id="${id}-error">[^<]*${message.replace('.', '\\.')}`),
      );
      expect(response.body).not.toContain('not my password');
    }
    expect(await refreshes(other)).toBe(200);
    expect(await passwordWorks(user, user.password)).toBe(true);
  });

  it('the current password is throttled like a sign-in: 429 with Retry-After, even when right', async () => {
    const user = await addUser(t, 'guess', [['acme', 'member']]);
    const browser = await signedInBrowser(user);
    const { csrf } = await accountPage(browser);
    for (let i = 0; i < LOGIN_THROTTLE_POLICY.maxFailuresPerKnownSource; i++)
      expect((await postPassword(browser, csrf, { current: `guess ${i}` })).statusCode).toBe(400);
    const response = await postPassword(browser, csrf, { current: user.password });
    expect(response.statusCode).toBe(429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.body).toContain('id="current-password-error">Too many attempts.');
    expect(await passwordWorks(user, NEW_PASSWORD)).toBe(false);
  });

  it('with a wrong token or from another site: 403, and the password stays', async () => {
    const user = await addUser(t, 'forgedpw', [['acme', 'member']]);
    const browser = await signedInBrowser(user);
    const { csrf } = await accountPage(browser);
    expect((await postPassword(browser, 'forged', { current: user.password })).statusCode).toBe(403);
    const crossSite = await browser.request('POST', '/account/password', {
      form: {
        csrf_token: csrf,
        current_password: user.password,
        new_password: NEW_PASSWORD,
        confirm_password: NEW_PASSWORD,
      },
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(await passwordWorks(user, user.password)).toBe(true);
  });
});

describe('events', () => {
  it('each ending from the page is recorded as session.ended, with its reason, for the user', async () => {
    const user = await addUser(t, 'recorded', [['acme', 'member']]);
    await apiSession(user);
    await apiSession(user, SAFARI_IPHONE);
    const browser = await signedInBrowser(user);
    const { page, csrf } = await accountPage(browser);
    const [one = '', two = ''] = sidsOnPage(page.body);
    await browser.request('POST', '/account/sessions/end', { form: { csrf_token: csrf, sid: one } });
    await browser.request('POST', '/account/password', {
      form: {
        csrf_token: csrf,
        current_password: user.password,
        new_password: NEW_PASSWORD,
        confirm_password: NEW_PASSWORD,
      },
    });
    const { items } = await t.deps.storage.listEvents(
      'default',
      { types: ['session.ended'], userId: user.id },
      { after: null, limit: 10 },
    );
    const reasons = Object.fromEntries(items.map((event) => [event.sid, event.details.reason]));
    expect(reasons).toEqual({ [one]: 'logout', [two]: 'password_changed' });
    const created = await t.deps.storage.listEvents(
      'default',
      { types: ['session.created'], userId: user.id },
      { after: null, limit: 10 },
    );
    expect(created.items.map((event) => event.clientId)).toContain('tessera:account');
  });
});

describe('another environment', () => {
  it('/e/{envId}/account uses that environment’s cookie, branding and paths', async () => {
    const admin = { authorization: `Bearer ${t.adminKey}` };
    const post = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/admin/v1${url}`, headers: admin, payload });
    await post('/environments', {
      id: 'acct',
      name: 'Accounts',
      branding: { name: 'Initech', primaryColor: '#0e7490' },
    });
    await post('/environments/acct/tenants', { id: 'main', name: 'Main' });
    const user = (
      await post('/environments/acct/users', { email: 'milton@example.com', password: 'stapler stapler 42' })
    ).json();
    await t.app.inject({
      method: 'PUT',
      url: `/admin/v1/environments/acct/tenants/main/members/${user.id}`,
      headers: admin,
      payload: { roles: [] },
    });
    const browser = testBrowser(t, '/e/acct');
    const form = await browser.request('GET', '/e/acct/account');
    expect(form.body).toContain('action="/e/acct/account/login"');
    expect(form.body).toContain('<span class="brand-name">Initech</span>');
    const done = await browser.request('POST', '/e/acct/account/login', {
      form: {
        csrf_token: hiddenField(form.body, 'csrf_token'),
        email: 'milton@example.com',
        password: 'stapler stapler 42',
      },
    });
    expect(done.headers.location).toBe('/e/acct/account');
    expect(browser.jar.has('tessera_refresh_acct')).toBe(true);
    const page = await browser.request('GET', '/e/acct/account');
    expect(page.body).toContain('action="/e/acct/account/logout"');
    expect(page.body).toContain('action="/e/acct/account/password"');
    expect(page.body).toMatch(/href="\/oauth\/assets\/brand\.css\?c=0e7490/);
    // The default environment does not take this cookie for one of its own.
    expect((await browser.request('GET', '/account')).body).toContain('action="/account/login"');
  });
});
