/**
 * `POST /oauth/token` (DESIGN §3.2; security.md AS-02…AS-07, AS-11, AS-12): single-use codes bound
 * to client, redirect URI and verifier; confidential clients authenticated and refreshing by the
 * rules of §4.
 */

import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  authorizeQuery,
  CONFIDENTIAL_REDIRECT_URI,
  callbackParams,
  insertConfidentialClient,
  type Pkce,
  pkcePair,
  REDIRECT_URI,
  redeem,
  signInThroughHostedLogin,
  testBrowser,
  tokenRequest,
} from '@tessera/testing/hosted-login';
import { insertClient, json, ORIGIN, seedWorld, sessionApi } from '@tessera/testing/world';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const backends = await backendsUnderTest();
const SECRET = 's3cret-'.padEnd(43, 'x');

describe.each(backends)('POST /oauth/token: authorization_code (%s)', (backend) => {
  let t: TestServer;
  let pkce: Pkce;
  // One server for the describe: each test signs in for codes and sessions of its own.
  beforeAll(async () => {
    t = await createTestServer({ backend });
    await seedWorld(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    pkce = pkcePair();
  });

  const errorOf = (response: { statusCode: number; json(): unknown }) => ({
    status: response.statusCode,
    error: (response.json() as { error: string }).error,
  });

  it('AS-03: a second use is invalid_grant and ends the session the first use bought', async () => {
    const { code, browser } = await signInThroughHostedLogin(t, pkce);
    const first = await redeem(t, code, pkce);
    expect(first.statusCode).toBe(200);
    const { access_token } = json<{ access_token: string }>(first);
    expect(errorOf(await redeem(t, code, pkce))).toEqual({ status: 400, error: 'invalid_grant' });
    const refresh = await sessionApi(t).refresh(browser.cookieHeader().cookie);
    expect(refresh.statusCode).toBe(401);
    expect(json(refresh).error).toBe('session_revoked');
    expect((await sessionApi(t).bearer('GET', '/auth/v1/me', access_token)).statusCode).toBe(401);
  });

  it('AS-03: two concurrent redemptions of one code, 20 rounds: exactly one 200 each time', async () => {
    for (let round = 0; round < 20; round++) {
      const { code } = await signInThroughHostedLogin(t, pkce);
      const answers = await Promise.all([redeem(t, code, pkce), redeem(t, code, pkce)]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 400]);
    }
  });

  it('AS-04: a code is good for 60 s, not 61', async () => {
    const early = await signInThroughHostedLogin(t, pkce);
    t.clock.advance(59);
    expect((await redeem(t, early.code, pkce)).statusCode).toBe(200);
    const late = await signInThroughHostedLogin(t, pkce);
    t.clock.advance(61);
    expect(errorOf(await redeem(t, late.code, pkce))).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('AS-05: a wrong, short, long or illegal verifier is invalid_grant', async () => {
    for (const verifier of [pkcePair().verifier, 'a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}+`]) {
      const { code } = await signInThroughHostedLogin(t, pkce);
      expect(errorOf(await redeem(t, code, pkce, { code_verifier: verifier }))).toEqual({
        status: 400,
        error: 'invalid_grant',
      });
    }
    const { code } = await signInThroughHostedLogin(t, pkce);
    expect(errorOf(await redeem(t, code, pkce, { code_verifier: '' }))).toEqual({
      status: 400,
      error: 'invalid_request',
    });
  });

  it('AS-02: a redirect_uri other than the authorization request’s is invalid_grant; none is invalid_request', async () => {
    const { code } = await signInThroughHostedLogin(t, pkce);
    expect(errorOf(await redeem(t, code, pkce, { redirect_uri: `${REDIRECT_URI}/` }))).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
    const again = await signInThroughHostedLogin(t, pkce);
    expect(errorOf(await redeem(t, again.code, pkce, { redirect_uri: '' }))).toEqual({
      status: 400,
      error: 'invalid_request',
    });
  });

  it('AS-06: a code issued to one client is invalid_grant for another', async () => {
    await insertClient(t, 'other');
    const { code } = await signInThroughHostedLogin(t, pkce);
    expect(errorOf(await redeem(t, code, pkce, { client_id: 'other' }))).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
  });

  it('AS-07: password, client_credentials and implicit grants are unsupported', async () => {
    for (const grant_type of [
      'password',
      'client_credentials',
      'implicit',
      'urn:ietf:params:oauth:grant-type:device_code',
    ])
      expect(
        errorOf(await tokenRequest(t, { grant_type, client_id: 'app', username: 'a', password: 'b' })),
      ).toEqual({
        status: 400,
        error: 'unsupported_grant_type',
      });
  });

  it('garbage codes and malformed bodies are refused without changing anything', async () => {
    expect(errorOf(await redeem(t, 'x'.repeat(43), pkce))).toEqual({ status: 400, error: 'invalid_grant' });
    expect(errorOf(await redeem(t, 'not a code', pkce))).toEqual({ status: 400, error: 'invalid_grant' });
    const repeated = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=authorization_code&code=a&code=b&client_id=app&redirect_uri=x&code_verifier=y',
    });
    expect(errorOf(repeated)).toEqual({ status: 400, error: 'invalid_request' });
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=%E0%A4%A',
    });
    expect(malformed.statusCode).toBe(400);
    const plain = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'text/plain' },
      payload: 'grant_type=authorization_code',
    });
    expect(plain.statusCode).toBe(415);
    const array = await t.app.inject({ method: 'POST', url: '/oauth/token', payload: [] });
    expect(errorOf(array)).toEqual({ status: 400, error: 'invalid_request' });
  });

  it('takes a JSON body as well as a form', async () => {
    const { code } = await signInThroughHostedLogin(t, pkce);
    const response = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: pkce.verifier,
        client_id: 'app',
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers.pragma).toBe('no-cache');
  });

  it('CORS: the client’s own origin may call it; another origin may not', async () => {
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/oauth/token',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
    const evil = await t.app.inject({
      method: 'OPTIONS',
      url: '/oauth/token',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const { code } = await signInThroughHostedLogin(t, pkce);
    const fromEvil = await tokenRequest(
      t,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: pkce.verifier,
        client_id: 'app',
      },
      { origin: 'https://evil.example' },
    );
    expect(errorOf(fromEvil)).toEqual({ status: 401, error: 'invalid_client' });
  });
});

describe.each(backends)('POST /oauth/token: confidential clients (%s)', (backend) => {
  let t: TestServer;
  let basic: string;
  let pkce: Pkce;
  // One server for the describe: each test signs in for codes and tokens of its own.
  beforeAll(async () => {
    t = await createTestServer({ backend });
    await seedWorld(t);
    basic = await insertConfidentialClient(t, SECRET);
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    pkce = pkcePair();
  });

  async function confidentialCode(scope = 'openid email offline_access') {
    const browser = testBrowser(t);
    const page = await browser.follow(
      await browser.authorize(
        authorizeQuery(pkce, { client_id: 'server-app', redirect_uri: CONFIDENTIAL_REDIRECT_URI, scope }),
      ),
    );
    return { browser, code: callbackParams(await browser.submitLogin(page)).get('code') ?? '' };
  }

  const codeForm = (code: string) => ({
    grant_type: 'authorization_code',
    code,
    redirect_uri: CONFIDENTIAL_REDIRECT_URI,
    code_verifier: pkce.verifier,
  });

  it('gets a refresh token in the body, which rotates by the rules of §4 and shares the browser session', async () => {
    const { code, browser } = await confidentialCode();
    const first = json<Record<string, string>>(
      await tokenRequest(t, codeForm(code), { authorization: basic }),
    );
    expect(first.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.scope).toBe('openid email offline_access');
    const sid = decodeJwt(first.access_token ?? '').sid;

    const refresh = (refresh_token: string, extra: Record<string, string> = {}) =>
      tokenRequest(t, { grant_type: 'refresh_token', refresh_token, ...extra }, { authorization: basic });
    const second = await refresh(first.refresh_token ?? '');
    expect(second.statusCode).toBe(200);
    const rotated = json<Record<string, string>>(second);
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(rotated.id_token ?? '')).toMatchObject({ sid, aud: 'server-app' });
    expect(decodeJwt(rotated.access_token ?? '')).toMatchObject({
      sid,
      aud: 'server-app',
      client_id: 'server-app',
    });
    // Within the grace window the predecessor gets the same successor (§4.2).
    expect(json<Record<string, string>>(await refresh(first.refresh_token ?? '')).refresh_token).toBe(
      rotated.refresh_token,
    );
    // Outside it, the predecessor is theft: invalid_grant, and the whole browser session ends (§4.3).
    t.clock.advance(11);
    const stolen = await refresh(first.refresh_token ?? '');
    expect(stolen.statusCode).toBe(400);
    expect(json(stolen).error).toBe('invalid_grant');
    expect((await refresh(rotated.refresh_token ?? '')).statusCode).toBe(400);
    expect((await sessionApi(t).refresh(browser.cookieHeader().cookie)).statusCode).toBe(401);
  });

  it("a confidential client's refresh leaves the session's last IP alone: its IP is its server's", async () => {
    const { code } = await confidentialCode();
    const first = json<Record<string, string>>(
      await tokenRequest(t, codeForm(code), { authorization: basic }),
    );
    const sid = String(decodeJwt(first.access_token ?? '').sid);
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      remoteAddress: '203.0.113.5',
      headers: { 'content-type': 'application/json', authorization: basic },
      payload: JSON.stringify({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    });
    expect(refreshed.statusCode).toBe(200);
    expect(await t.deps.storage.getSession(sid)).toMatchObject({ lastIp: null, endedAt: null });
  });

  it('AS-11: a missing, wrong or doubled secret is 401 invalid_client; Basic gets WWW-Authenticate', async () => {
    const { code } = await confidentialCode();
    const none = await tokenRequest(t, { ...codeForm(code), client_id: 'server-app' });
    expect([none.statusCode, json(none).error]).toEqual([401, 'invalid_client']);
    const wrong = await tokenRequest(t, codeForm(code), {
      authorization: `Basic ${Buffer.from('server-app:wrong').toString('base64')}`,
    });
    expect([wrong.statusCode, json(wrong).error]).toEqual([401, 'invalid_client']);
    expect(wrong.headers['www-authenticate']).toBe('Basic realm="tessera", charset="UTF-8"');
    const post = await tokenRequest(t, {
      ...codeForm(code),
      client_id: 'server-app',
      client_secret: 'wrong',
    });
    expect([post.statusCode, json(post).error]).toEqual([401, 'invalid_client']);
    const both = await tokenRequest(
      t,
      { ...codeForm(code), client_secret: SECRET },
      { authorization: basic },
    );
    expect([both.statusCode, json(both).error]).toEqual([400, 'invalid_request']);
    const unknown = await tokenRequest(t, { ...codeForm(code), client_id: 'nobody' });
    expect([unknown.statusCode, json(unknown).error]).toEqual([401, 'invalid_client']);
    // The code was never redeemed by any of these: the right secret still gets it (client_secret_post).
    const right = await tokenRequest(t, {
      ...codeForm(code),
      client_id: 'server-app',
      client_secret: SECRET,
    });
    expect(right.statusCode).toBe(200);
  });

  it('a spa presenting a secret is invalid_client; a spa cannot use the refresh_token grant', async () => {
    const spa = await tokenRequest(t, {
      grant_type: 'refresh_token',
      refresh_token: 'x'.repeat(43),
      client_id: 'app',
    });
    expect([spa.statusCode, json(spa).error]).toEqual([400, 'unauthorized_client']);
    const secret = await tokenRequest(t, {
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: 'app',
      client_secret: 'x',
    });
    expect([secret.statusCode, json(secret).error]).toEqual([401, 'invalid_client']);
  });

  it('AS-12: a refresh may narrow the scopes, never widen them, and a refused one rotates nothing', async () => {
    const { code } = await confidentialCode('openid offline_access');
    const first = json<Record<string, string>>(
      await tokenRequest(t, codeForm(code), { authorization: basic }),
    );
    const wider = await tokenRequest(
      t,
      { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '', scope: 'openid email' },
      { authorization: basic },
    );
    expect([wider.statusCode, json(wider).error]).toEqual([400, 'invalid_scope']);
    const narrower = await tokenRequest(
      t,
      { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '', scope: 'offline_access' },
      { authorization: basic },
    );
    expect(narrower.statusCode).toBe(200);
    const body = json<Record<string, string>>(narrower);
    expect(body.scope).toBe('offline_access');
    expect(body.id_token).toBeUndefined();
  });
});
