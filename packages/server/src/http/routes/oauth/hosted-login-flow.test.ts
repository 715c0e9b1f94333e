import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  authorizeQuery,
  callbackParams,
  pkcePair,
  REDIRECT_URI,
  redeem,
  signInThroughHostedLogin,
  testBrowser,
} from '@tessera/testing/hosted-login';
import {
  cookieFrom,
  insertClient,
  json,
  ORIGIN,
  seedWorld,
  sessionApi,
  type World,
} from '@tessera/testing/world';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const backends = await backendsUnderTest();

describe.each(backends)('hosted login: code + PKCE (%s)', (backend) => {
  let t: TestServer;
  let world: World;
  beforeEach(async () => {
    t = await createTestServer({ backend });
    world = await seedWorld(t);
  });
  afterEach(async () => t.close());

  it('signs in on the hosted page, returns with a code, and the code buys tokens the cookie then refreshes', async () => {
    const pkce = pkcePair();
    const browser = testBrowser(t);
    const start = await browser.authorize(authorizeQuery(pkce));
    expect(start.statusCode).toBe(303);
    expect(start.headers.location).toMatch(/^\/oauth\/login\?interaction=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);

    const page = await browser.follow(start);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain(`form-action 'self' ${ORIGIN};`);
    expect(page.body).toContain('<h1>Sign in</h1>');

    const done = await browser.submitLogin(page);
    expect(done.statusCode).toBe(303); // AS-09
    const params = callbackParams(done);
    expect(done.headers.location?.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    expect(params.get('state')).toBe('state-123');
    expect(params.get('iss')).toBe('http://localhost:4000'); // AS-14
    const code = params.get('code') ?? '';
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const tokens = await redeem(t, code, pkce);
    expect(tokens.statusCode).toBe(200);
    expect(tokens.headers['cache-control']).toBe('no-store');
    const body = json<Record<string, string | number>>(tokens);
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'openid email profile',
      id_token: expect.any(String),
    });
    const idToken = decodeJwt(String(body.id_token));
    expect(decodeProtectedHeader(String(body.id_token)).typ).toBe('JWT');
    const access = decodeJwt(String(body.access_token));
    expect(idToken).toMatchObject({
      iss: 'http://localhost:4000',
      sub: world.users.bob.id,
      aud: 'app',
      nonce: 'nonce-456',
      sid: access.sid,
      auth_time: t.clock.now(),
      email: 'bob@example.com',
      name: 'bob',
    });
    expect(access).toMatchObject({ sub: world.users.bob.id, tenantId: 'acme', aud: 'app' });

    // The hosted login set the same refresh cookie the session API refreshes.
    const refreshed = await sessionApi(t).refresh(browser.cookieHeader().cookie);
    expect(refreshed.statusCode).toBe(200);
    expect(decodeJwt(json<{ accessToken: string }>(refreshed).accessToken).sid).toBe(access.sid);
  });

  it('asks a user with several tenants which one, and the token carries the choice', async () => {
    const pkce = pkcePair();
    const browser = testBrowser(t);
    const page = await browser.follow(await browser.authorize(authorizeQuery(pkce)));
    const afterPassword = await browser.submitLogin(page, 'ada@example.com');
    expect(afterPassword.statusCode).toBe(303);
    const picker = await browser.follow(afterPassword);
    expect(picker.statusCode).toBe(200);
    expect(picker.body).toContain('Choose an organization');
    expect(picker.body).toContain('value="globex">GLOBEX</button>');
    const done = await browser.chooseTenant(picker, 'globex');
    expect(done.statusCode).toBe(303);
    const tokens = json<{ access_token: string }>(
      await redeem(t, callbackParams(done).get('code') ?? '', pkce),
    );
    expect(decodeJwt(tokens.access_token).tenantId).toBe('globex');
  });

  it('single sign-on: a live cookie goes straight back with a code for the same session, for a second app too', async () => {
    await insertClient(t, 'other');
    await t.deps.storage.updateClient('default', 'other', { redirectUris: [`${ORIGIN}/other`] });
    const login = await sessionApi(t).login({ tenantId: 'globex' });
    const sid = decodeJwt(json<{ accessToken: string }>(login).accessToken).sid;
    const browser = testBrowser(t);
    browser.jar.set('tessera_refresh', cookieFrom(login).split('=')[1] ?? '');

    const pkce = pkcePair();
    const back = await browser.authorize(
      authorizeQuery(pkce, { client_id: 'other', redirect_uri: `${ORIGIN}/other`, prompt: 'none' }),
    );
    expect(back.statusCode).toBe(303);
    const tokens = await redeem(t, callbackParams(back).get('code') ?? '', pkce, {
      client_id: 'other',
      redirect_uri: `${ORIGIN}/other`,
    });
    const access = decodeJwt(json<{ access_token: string }>(tokens).access_token);
    expect(access).toMatchObject({ sid, aud: 'other', tenantId: 'globex' });
    expect(await t.deps.storage.listLiveSessions('default', world.users.ada.id)).toHaveLength(1);
    // The second app refreshes the same browser session through the session API (ADR 0004).
    const refreshed = await sessionApi(t).refresh(browser.cookieHeader().cookie, { clientId: 'other' });
    expect(refreshed.statusCode).toBe(200);
  });

  it('prompt=none without a session returns login_required to the client, with state and iss', async () => {
    const browser = testBrowser(t);
    const back = await browser.authorize(authorizeQuery(pkcePair(), { prompt: 'none' }));
    expect(back.statusCode).toBe(303);
    const params = callbackParams(back);
    expect(Object.fromEntries(params)).toEqual({
      error: 'login_required',
      error_description: 'The user is not signed in.',
      state: 'state-123',
      iss: 'http://localhost:4000',
    });
  });

  it('prompt=login shows the form even with a live session, and the new login replaces the old session', async () => {
    const pkce = pkcePair();
    const first = await signInThroughHostedLogin(t, pkce);
    const oldSid = decodeJwt(
      json<{ access_token: string }>(await redeem(t, first.code, pkce)).access_token,
    ).sid;
    const again = await first.browser.authorize(authorizeQuery(pkce, { prompt: 'login' }));
    expect(again.headers.location).toMatch(/^\/oauth\/login\?interaction=/);
    const done = await first.browser.submitLogin(await first.browser.follow(again));
    const newSid = decodeJwt(
      json<{ access_token: string }>(await redeem(t, callbackParams(done).get('code') ?? '', pkce))
        .access_token,
    ).sid;
    expect(newSid).not.toBe(oldSid);
    expect((await t.deps.storage.getSession(String(oldSid)))?.endReason).toBe('replaced');
    expect(await t.deps.storage.listLiveSessions('default', world.users.bob.id)).toHaveLength(1);
  });
});
