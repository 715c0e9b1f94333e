/**
 * RP-initiated logout (AS-10, SES-16), revocation (RFC 7009) and introspection (RFC 7662, AS-11).
 */

import { createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  CONFIDENTIAL_REDIRECT_URI,
  formBody,
  hiddenField,
  insertConfidentialClient,
  pkcePair,
  redeem,
  signInThroughHostedLogin,
  testBrowser,
  tokenRequest,
} from '@tessera/testing/hosted-login';
import { cookieFrom, json, ORIGIN, seedWorld, sessionApi } from '@tessera/testing/world';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REDIRECT_PAYLOADS } from '../../../oauth/redirect-payloads.test-helpers.js';
import { MAX_TEXT_BYTES } from '../../../text-input.js';

const SECRET = 'another-secret-'.padEnd(43, 'y');
let t: TestServer;
let basic: string;
beforeEach(async () => {
  t = await createTestServer();
  await seedWorld(t);
  basic = await insertConfidentialClient(t, SECRET);
});
afterEach(async () => t.close());

async function signedIn() {
  const pkce = pkcePair();
  const { browser, code } = await signInThroughHostedLogin(t, pkce);
  const tokens = json<{ access_token: string; id_token: string }>(await redeem(t, code, pkce));
  return { browser, ...tokens };
}

const isLive = async (browser: ReturnType<typeof testBrowser>) =>
  (await sessionApi(t).refresh(browser.cookieHeader().cookie)).statusCode === 200;

describe('GET /oauth/logout', () => {
  it('with id_token_hint: ends the session, clears the cookie, returns to the registered URI with state', async () => {
    const { browser, id_token } = await signedIn();
    const query = new URLSearchParams({
      id_token_hint: id_token,
      post_logout_redirect_uri: ORIGIN,
      state: 'bye',
    });
    const response = await browser.request('GET', `/oauth/logout?${query}`);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${ORIGIN}?state=bye`);
    expect(String(response.headers['set-cookie'])).toMatch(/^tessera_refresh=; Path=\/; Max-Age=0/);
    const relogin = await sessionApi(t).login();
    expect(await isLive(browser)).toBe(false);
    expect(relogin.statusCode).toBe(200);
  });

  it('an ID token longer than the text rule allows a stored value (a long nonce and name) still works as id_token_hint', async () => {
    await t.deps.storage.updateUser('default', 'user-bob', { name: 'Bérénice '.repeat(22) });
    const pkce = pkcePair();
    const { browser, code } = await signInThroughHostedLogin(t, pkce, { nonce: 'n'.repeat(1024) });
    const { id_token } = json<{ id_token: string }>(await redeem(t, code, pkce));
    expect(id_token.length).toBeGreaterThan(MAX_TEXT_BYTES);
    const query = new URLSearchParams({ id_token_hint: id_token, post_logout_redirect_uri: ORIGIN });
    const response = await browser.request('GET', `/oauth/logout?${query}`);
    expect(response.statusCode).toBe(303);
    expect(await isLive(browser)).toBe(false);
  });

  it('a client_id that breaks the text rule is an error page, and nothing ends', async () => {
    const { browser } = await signedIn();
    const response = await browser.request('GET', '/oauth/logout?client_id=app%00');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(await isLive(browser)).toBe(true);
  });

  it('an expired id_token_hint still works; a forged or foreign one is an error page', async () => {
    const { browser, id_token } = await signedIn();
    t.clock.advance(3600);
    const forged = `${id_token.slice(0, -4)}AAAA`;
    const bad = await browser.request('GET', `/oauth/logout?id_token_hint=${forged}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers.location).toBeUndefined();
    const { accessToken } = json<{ accessToken: string }>(await sessionApi(t).login());
    expect((await browser.request('GET', `/oauth/logout?id_token_hint=${accessToken}`)).statusCode).toBe(400);
    const ok = await browser.request('GET', `/oauth/logout?id_token_hint=${id_token}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('You are signed out');
  });

  it('SES-16: without a hint it only asks; the confirmation post signs out', async () => {
    const { browser } = await signedIn();
    const query = `client_id=app&post_logout_redirect_uri=${encodeURIComponent(ORIGIN)}&state=s1`;
    const ask = await browser.request('GET', `/oauth/logout?${query}`);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Sign out of App?');
    expect(ask.headers['content-security-policy']).toContain(`form-action 'self' ${ORIGIN};`);
    expect(await isLive(browser)).toBe(true);

    const forged = await browser.request('POST', `/oauth/logout?${query}`, {
      form: { csrf_token: 'x'.repeat(43) },
    });
    expect(forged.statusCode).toBe(403);
    const withoutBinding = (browser.cookieHeader().cookie ?? '').replace(/tessera_login=[^;]+;? ?/, '');
    const stranger = await testBrowser(t).request('POST', `/oauth/logout?${query}`, {
      form: { csrf_token: hiddenField(ask.body, 'csrf_token') },
      headers: { cookie: withoutBinding },
    });
    expect(stranger.statusCode).toBe(403);
    expect(await isLive(browser)).toBe(true);

    const confirm = await browser.request('POST', `/oauth/logout?${query}`, {
      form: { csrf_token: hiddenField(ask.body, 'csrf_token') },
    });
    expect(confirm.statusCode).toBe(303);
    expect(confirm.headers.location).toBe(`${ORIGIN}?state=s1`);
    expect(await isLive(browser)).toBe(false);
  });

  it.each(REDIRECT_PAYLOADS)(
    'AS-10: post_logout_redirect_uri %s (%j) → error page, no Location',
    async (_c, payload) => {
      const response = await t.app.inject({
        method: 'GET',
        url: `/oauth/logout?client_id=app&post_logout_redirect_uri=${encodeURIComponent(payload)}`,
      });
      if (payload === '') {
        // Empty means omitted (RFC 6749 §3.1): the confirmation page, which redirects nowhere.
        expect(response.statusCode).toBe(200);
        return;
      }
      expect(response.statusCode).toBe(400);
      expect(response.headers.location).toBeUndefined();
    },
  );

  it('AS-10: a post_logout_redirect_uri without a client, or of another client, is refused', async () => {
    for (const query of [
      `post_logout_redirect_uri=${encodeURIComponent(ORIGIN)}`,
      `client_id=server-app&post_logout_redirect_uri=${encodeURIComponent(ORIGIN)}`,
      `client_id=nobody`,
      `client_id=app&client_id=app`,
    ]) {
      const response = await t.app.inject({ method: 'GET', url: `/oauth/logout?${query}` });
      expect(response.statusCode).toBe(400);
      expect(response.headers.location).toBeUndefined();
    }
  });
});

describe('POST /oauth/revoke', () => {
  const revoke = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/oauth/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: formBody(form),
    });

  it('a spa revoking its access token ends that session; anything else is 200 and changes nothing', async () => {
    const { browser, access_token } = await signedIn();
    const other = json<{ accessToken: string }>(await sessionApi(t).login({ email: 'ada@example.com' }));
    for (const token of ['garbage', 'x'.repeat(43), other.accessToken]) {
      const response = await revoke({ token, client_id: 'server-app', client_secret: SECRET });
      expect(response.statusCode).toBe(200);
    }
    expect(await isLive(browser)).toBe(true);
    expect((await revoke({ token: access_token, client_id: 'app' })).statusCode).toBe(200);
    expect(await isLive(browser)).toBe(false);
  });

  it('a confidential client revokes its refresh token; AS-11: without its secret it cannot', async () => {
    const pkce = pkcePair();
    const browser = testBrowser(t);
    const page = await browser.follow(
      await browser.authorize(
        new URLSearchParams({
          response_type: 'code',
          client_id: 'server-app',
          redirect_uri: CONFIDENTIAL_REDIRECT_URI,
          code_challenge: pkce.challenge,
          code_challenge_method: 'S256',
          scope: 'openid offline_access',
        }).toString(),
      ),
    );
    const done = await browser.submitLogin(page);
    const code = new URL(String(done.headers.location)).searchParams.get('code') ?? '';
    const tokens = json<{ refresh_token: string }>(
      await tokenRequest(
        t,
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: CONFIDENTIAL_REDIRECT_URI,
          code_verifier: pkce.verifier,
        },
        { authorization: basic },
      ),
    );
    const unauthenticated = await revoke({ token: tokens.refresh_token, client_id: 'server-app' });
    expect([unauthenticated.statusCode, json(unauthenticated).error]).toEqual([401, 'invalid_client']);
    expect(await t.deps.storage.listLiveSessions('default', 'user-bob')).toHaveLength(1);
    const missing = await revoke({}, { authorization: basic });
    expect([missing.statusCode, json(missing).error]).toEqual([400, 'invalid_request']);
    expect(
      (
        await revoke(
          { token: tokens.refresh_token, token_type_hint: 'refresh_token' },
          { authorization: basic },
        )
      ).statusCode,
    ).toBe(200);
    expect(await t.deps.storage.listLiveSessions('default', 'user-bob')).toHaveLength(0);
  });
});

describe('POST /oauth/introspect', () => {
  const introspect = (token: string, headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/oauth/introspect',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: formBody({ token }),
    });

  it('answers a live access token with its claims, and inactive the moment its session ends', async () => {
    const { browser, access_token } = await signedIn();
    const live = await introspect(access_token, { authorization: basic });
    expect(live.statusCode).toBe(200);
    expect(live.headers['cache-control']).toBe('no-store');
    expect(json(live)).toMatchObject({
      active: true,
      client_id: 'app',
      tenantId: 'acme',
      token_type: 'Bearer',
    });
    await sessionApi(t).logout(browser.cookieHeader().cookie);
    expect(json(await introspect(access_token, { authorization: basic }))).toEqual({ active: false });
  });

  it('answers a current refresh token active, a superseded or unknown one inactive', async () => {
    const login = await sessionApi(t).login();
    const token = cookieFrom(login).split('=')[1] ?? '';
    expect(json(await introspect(token, { authorization: basic }))).toMatchObject({ active: true });
    await sessionApi(t).refresh(cookieFrom(login));
    expect(json(await introspect(token, { authorization: basic }))).toEqual({ active: false });
    expect(json(await introspect('garbage', { authorization: basic }))).toEqual({ active: false });
  });

  it('AS-11: only an authenticated confidential client may ask', async () => {
    const { access_token } = await signedIn();
    const spa = await t.app.inject({
      method: 'POST',
      url: '/oauth/introspect',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ token: access_token, client_id: 'app' }),
    });
    expect([spa.statusCode, json(spa).error]).toEqual([401, 'invalid_client']);
    const wrong = await introspect(access_token, {
      authorization: `Basic ${Buffer.from('server-app:nope').toString('base64')}`,
    });
    expect([wrong.statusCode, json(wrong).error]).toEqual([401, 'invalid_client']);
  });
});
