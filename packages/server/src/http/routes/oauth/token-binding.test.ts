/**
 * `POST /oauth/token` binds what it redeems to the client (RT-07, AS-06, AS-05): a refresh token
 * works only for the confidential client it was issued to; a code whose client, redirect URI or
 * PKCE verifier does not match is refused without being consumed, so a third party that saw a code
 * can neither redeem it nor spoil it for the real client (contract notes, "A failed PKCE check").
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
  type TestBrowser,
  testBrowser,
  tokenRequest,
} from '@tessera/testing/hosted-login';
import { insertClient, json, seedWorld, sessionApi, type World } from '@tessera/testing/world';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashClientSecret } from '../../../service/admin/client-secret.js';

const backends = await backendsUnderTest();
const SECRET_A = 's3cret-a-'.padEnd(43, 'x');
const SECRET_B = 's3cret-b-'.padEnd(43, 'y');
const B_REDIRECT_URI = 'https://reports.example.com/callback';

const errorOf = (response: LightMyRequestResponse) => ({
  status: response.statusCode,
  error: json(response).error,
});

describe.each(backends)('RT-07: a refresh token works only for its client (%s)', (backend) => {
  let t: TestServer;
  let world: World;
  let basicA: string;
  let basicB: string;

  beforeEach(async () => {
    t = await createTestServer({ backend });
    world = await seedWorld(t);
    basicA = await insertConfidentialClient(t, SECRET_A);
    await t.deps.storage.insertClient({
      envId: 'default',
      clientId: 'reports',
      name: 'Reports',
      type: 'confidential',
      secretHash: hashClientSecret(SECRET_B),
      redirectUris: [B_REDIRECT_URI],
      allowedOrigins: [],
      postLogoutRedirectUris: [],
      createdAt: t.clock.now(),
    });
    basicB = `Basic ${Buffer.from(`reports:${SECRET_B}`).toString('base64')}`;
  });
  afterEach(async () => t.close());

  /** Authorizes `clientId` in `browser` (a login the first time, SSO after) and redeems its code. */
  async function grant(browser: TestBrowser, clientId: string, redirectUri: string, basic: string) {
    const pkce = pkcePair();
    const query = authorizeQuery(pkce, {
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: 'openid offline_access',
    });
    let answer = await browser.authorize(query);
    // The first time the login page, then single sign-on straight back.
    if (String(answer.headers.location).startsWith('/oauth/login'))
      answer = await browser.submitLogin(await browser.follow(answer));
    const code = callbackParams(answer).get('code') ?? '';
    const response = await tokenRequest(
      t,
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pkce.verifier },
      { authorization: basic },
    );
    expect(response.statusCode).toBe(200);
    return json<{ refresh_token: string }>(response).refresh_token;
  }

  const refreshAs = (basic: string, refreshToken: string) =>
    tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: basic });
  const bobsSessions = () => t.deps.storage.listLiveSessions('default', world.users.bob.id);

  it('RT-07: client B presenting client A’s refresh token gets invalid_grant, and nothing ends', async () => {
    const browser = testBrowser(t);
    const tokenA = await grant(browser, 'server-app', CONFIDENTIAL_REDIRECT_URI, basicA);
    const tokenB = await grant(browser, 'reports', B_REDIRECT_URI, basicB);
    expect(await bobsSessions()).toHaveLength(1);

    expect(errorOf(await refreshAs(basicB, tokenA))).toEqual({ status: 400, error: 'invalid_grant' });
    expect(errorOf(await refreshAs(basicA, tokenB))).toEqual({ status: 400, error: 'invalid_grant' });
    // A's token was not consumed and the session lives: each client still refreshes its own.
    expect((await refreshAs(basicA, tokenA)).statusCode).toBe(200);
    expect((await refreshAs(basicB, tokenB)).statusCode).toBe(200);
    expect((await sessionApi(t).refresh(browser.cookieHeader().cookie)).statusCode).toBe(200);
  });

  it('RT-07: the browser cookie’s refresh token is invalid_grant at the token endpoint, and nothing ends', async () => {
    const browser = testBrowser(t);
    await grant(browser, 'server-app', CONFIDENTIAL_REDIRECT_URI, basicA);
    const cookie = browser.cookieHeader().cookie ?? '';
    const cookieToken = /tessera_refresh=([^;]+)/.exec(cookie)?.[1] ?? '';
    expect(errorOf(await refreshAs(basicA, cookieToken))).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await bobsSessions()).toHaveLength(1);
    expect((await sessionApi(t).refresh(cookie)).statusCode).toBe(200);
  });

  it('RT-07: a spa’s refresh token is never redeemable at the token endpoint', async () => {
    await insertClient(t, 'other');
    const spa = await tokenRequest(t, {
      grant_type: 'refresh_token',
      refresh_token: 'x'.repeat(43),
      client_id: 'app',
    });
    expect(errorOf(spa)).toEqual({ status: 400, error: 'unauthorized_client' });
  });
});

describe.each(backends)('AS-05 / AS-06: a code that fails its binding is not consumed (%s)', (backend) => {
  let t: TestServer;
  let pkce: Pkce;
  beforeEach(async () => {
    t = await createTestServer({ backend });
    await seedWorld(t);
    await insertClient(t, 'other');
    pkce = pkcePair();
  });
  afterEach(async () => t.close());

  const bobsSessions = async () =>
    (await t.deps.storage.listLiveSessions('default', 'user-bob')).map((session) => session.id);

  it.each([
    ['a wrong verifier', () => ({ code_verifier: pkcePair().verifier })],
    ['another client (AS-06)', () => ({ client_id: 'other' })],
    ['another redirect URI (AS-02)', () => ({ redirect_uri: `${REDIRECT_URI}/other` })],
  ])(
    '%s is invalid_grant that changes nothing: the real client still redeems the code',
    async (_name, wrong) => {
      const { code, browser } = await signInThroughHostedLogin(t, pkce);
      const sessions = await bobsSessions();
      expect(errorOf(await redeem(t, code, pkce, wrong()))).toEqual({ status: 400, error: 'invalid_grant' });
      expect(await bobsSessions()).toEqual(sessions);
      const real = await redeem(t, code, pkce);
      expect(real.statusCode).toBe(200);
      expect((await sessionApi(t).refresh(browser.cookieHeader().cookie)).statusCode).toBe(200);
    },
  );

  it('a wrong verifier after the code was redeemed is invalid_grant and ends nothing', async () => {
    const { code, browser } = await signInThroughHostedLogin(t, pkce);
    expect((await redeem(t, code, pkce)).statusCode).toBe(200);
    const sessions = await bobsSessions();
    expect(errorOf(await redeem(t, code, pkce, { code_verifier: pkcePair().verifier }))).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
    expect(await bobsSessions()).toEqual(sessions);
    expect((await sessionApi(t).refresh(browser.cookieHeader().cookie)).statusCode).toBe(200);
  });

  it('AS-03: a matching second use after a successful redemption still ends the session', async () => {
    const { code, browser } = await signInThroughHostedLogin(t, pkce);
    expect((await redeem(t, code, pkce)).statusCode).toBe(200);
    expect(errorOf(await redeem(t, code, pkce))).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await bobsSessions()).toEqual([]);
    expect((await sessionApi(t).refresh(browser.cookieHeader().cookie)).statusCode).toBe(401);
  });
});
