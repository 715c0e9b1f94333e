/**
 * The hosted login (DESIGN §3.2; ADR 0004) driven by an independent relying-party library,
 * openid-client (built on oauth4webapi), over real HTTP against a listening server, as issue #3
 * asks: discovery, code + PKCE through the hosted page, ID-token validation, userinfo, refresh,
 * revocation, introspection and RP-initiated logout. Every protocol check on the client side is
 * the library's, not ours. Checklist ids: docs/requirements.md §1.4–1.5.
 */
import { createServer } from 'node:net';
import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { hiddenField } from '@tessera/testing/hosted-login';
import { ORIGIN, PASSWORD, seedWorld, type World } from '@tessera/testing/world';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const backends = await backendsUnderTest();

/** The confidential relying party: a server-side app on a loopback address (never contacted). */
const RP = 'http://localhost:8765';
const RP_CALLBACK = `${RP}/rp/callback`;
const RP_SIGNED_OUT = `${RP}/rp/signed-out`;
/** The seeded `spa` client `app` (testing/world.ts). */
const SPA_CALLBACK = `${ORIGIN}/callback`;
const SCOPE = 'openid email profile';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      probe.close(() => resolve(address.port));
    });
  });
}

interface StoredCookie {
  value: string;
  attributes: string[];
}

/** A browser over real HTTP: a cookie jar, no automatic redirects, same-origin form posts. */
function httpBrowser(issuer: string) {
  const jar = new Map<string, StoredCookie>();

  async function request(
    url: string | URL,
    options: { method?: 'GET' | 'POST'; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (jar.size > 0) headers.cookie = [...jar].map(([name, { value }]) => `${name}=${value}`).join('; ');
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      // What a browser sends when our own login page posts its form.
      headers.origin = new URL(issuer).origin;
      headers['sec-fetch-site'] = 'same-origin';
    }
    const response = await fetch(new URL(url, issuer), {
      method: options.method ?? (options.form ? 'POST' : 'GET'),
      headers,
      redirect: 'manual',
      ...(options.form && { body: new URLSearchParams(options.form).toString() }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || attributes.some((a) => /^max-age=0$/i.test(a))) jar.delete(name);
      else jar.set(name, { value, attributes: attributes.map((a) => a.toLowerCase()) });
    }
    return response;
  }

  return { jar, request };
}

type Browser = ReturnType<typeof httpBrowser>;

/** An authorization request as the library builds it, with its PKCE verifier, state and nonce. */
async function startAuthorization(config: client.Configuration, redirectUri: string) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, checks: { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce } };
}

/**
 * Follows the authorization URL to the hosted login page, signs bob in through its form, and
 * returns the callback URL the browser is sent to (the relying party's "current URL").
 */
async function signInOnHostedPage(browser: Browser, authorizationUrl: URL): Promise<URL> {
  const start = await browser.request(authorizationUrl);
  expect(start.status).toBe(303);
  const loginPath = start.headers.get('location') ?? '';
  expect(loginPath).toMatch(/^\/oauth\/login\?interaction=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  expect(browser.jar.has('tessera_login')).toBe(true);

  const page = await browser.request(loginPath);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const html = await page.text();

  const done = await browser.request('/oauth/login', {
    form: {
      csrf_token: hiddenField(html, 'csrf_token'),
      interaction_id: hiddenField(html, 'interaction_id'),
      email: 'bob@example.com',
      password: PASSWORD,
    },
  });
  expect(done.status).toBe(303); // AS-09: 303 after the credentials POST, never 307
  expect(browser.jar.has('tessera_refresh')).toBe(true);
  return new URL(done.headers.get('location') ?? '');
}

/** The OAuth error code a library call was refused with (RFC 6749 §5.2 body). */
async function oauthError(promise: Promise<unknown>): Promise<{ error: string; status: number }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof client.ResponseBodyError) return { error: error.error, status: error.status };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

describe.each(backends)('hosted login through openid-client (%s)', (backend) => {
  let t: TestServer;
  let world: World;
  let issuer: string;
  let rpClientId: string;
  let rpSecret: string;
  /** The confidential relying party's configuration, from discovery. */
  let rp: client.Configuration;
  let browser: Browser;

  const discover = (clientId: string, auth: client.ClientAuth, metadata?: Partial<client.ClientMetadata>) =>
    client.discovery(new URL(issuer), clientId, metadata, auth, {
      execute: [client.allowInsecureRequests],
    });

  // One server for the file: every test signs bob in from a browser of its own and registers a
  // relying party of its own, and reads only the sessions and tokens it made.
  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://localhost:${port}`;
    t = await createTestServer({ backend, env: { TESSERA_PUBLIC_URL: issuer } });
    await t.app.listen({ port, host: '127.0.0.1' });
    world = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  beforeEach(async () => {
    // Each test starts at the real time, as on a server of its own: the library checks the ID
    // token's `iat` against it, and an earlier test may have moved the server's clock on.
    t.clock.set(Math.floor(Date.now() / 1000));

    // The confidential client, registered through the admin API as an operator would.
    const registered = await fetch(`${issuer}/admin/v1/environments/default/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Relying party',
        type: 'confidential',
        redirectUris: [RP_CALLBACK],
        allowedOrigins: [],
        postLogoutRedirectUris: [RP_SIGNED_OUT],
      }),
    });
    expect(registered.status, await registered.clone().text()).toBe(201);
    ({ clientId: rpClientId, clientSecret: rpSecret } = (await registered.json()) as {
      clientId: string;
      clientSecret: string;
    });
    rp = await discover(rpClientId, client.ClientSecretBasic(rpSecret));
    browser = httpBrowser(issuer);
  });

  /** The whole code + PKCE flow for the confidential client, validated by the library. */
  async function confidentialLogin() {
    const { url, checks } = await startAuthorization(rp, RP_CALLBACK);
    const callback = await signInOnHostedPage(browser, url);
    const tokens = await client.authorizationCodeGrant(rp, callback, checks);
    return { tokens, checks, callback };
  }

  const introspect = async (token: string) => (await client.tokenIntrospection(rp, token)).active;

  it('AS-15: discovery — the library accepts the metadata; the issuer is exact and S256 the only PKCE method', async () => {
    const metadata = rp.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.supportsPKCE()).toBe(true);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata).toMatchObject({
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      userinfo_endpoint: `${issuer}/oauth/userinfo`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      end_session_endpoint: `${issuer}/oauth/logout`,
    });
  });

  it('the issuer is configured, not taken from the Host: discovery at another name for the server is refused', async () => {
    const otherName = new URL(issuer);
    otherName.hostname = '127.0.0.1';
    await expect(
      client.discovery(otherName, rpClientId, undefined, client.ClientSecretBasic(rpSecret), {
        execute: [client.allowInsecureRequests],
      }),
    ).rejects.toMatchObject({ code: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' });
  });

  it('AS-05, AS-09, AS-14: a confidential client signs bob in with code + PKCE on the hosted page; the library validates the ID token', async () => {
    const { url, checks } = await startAuthorization(rp, RP_CALLBACK);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const loginTime = t.clock.now();
    const callback = await signInOnHostedPage(browser, url);
    expect(`${callback.origin}${callback.pathname}`).toBe(RP_CALLBACK);
    expect(callback.searchParams.get('iss')).toBe(issuer); // RFC 9207
    expect(callback.searchParams.get('state')).toBe(checks.expectedState);

    // Checks iss and state in the callback, then the ID token's signature (JWKS), iss, aud,
    // exp, iat and nonce.
    const tokens = await client.authorizationCodeGrant(rp, callback, checks);
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(300);
    expect(tokens.scope).toBe(SCOPE);
    expect(tokens.refresh_token).toMatch(/\S/);
    const access = decodeJwt(tokens.access_token);
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      iss: issuer,
      sub: world.users.bob.id,
      aud: rpClientId,
      nonce: checks.expectedNonce,
      sid: access.sid,
      auth_time: loginTime,
      email: 'bob@example.com',
      name: 'bob',
    });
    expect(access).toMatchObject({
      iss: issuer,
      sub: world.users.bob.id,
      aud: rpClientId,
      client_id: rpClientId,
    });

    // OIDC Core §5.3.2: userinfo's sub must equal the ID token's (the library checks it).
    const userinfo = await client.fetchUserInfo(rp, tokens.access_token, claims?.sub ?? '');
    expect(userinfo).toMatchObject({ sub: world.users.bob.id, email: 'bob@example.com', name: 'bob' });

    // RFC 7662: both tokens are live, and say whose they are.
    const introspected = await client.tokenIntrospection(rp, tokens.access_token);
    expect(introspected).toMatchObject({
      active: true,
      iss: issuer,
      sub: world.users.bob.id,
      client_id: rpClientId,
      sid: access.sid,
    });
    expect(await client.tokenIntrospection(rp, tokens.refresh_token ?? '')).toMatchObject({
      active: true,
      sub: world.users.bob.id,
      sid: access.sid,
    });
  });

  it('RT-01, RT-02, RT-03: refresh rotates; the predecessor within the grace replays the successor; after it, invalid_grant ends the session', async () => {
    const { tokens: first } = await confidentialLogin();
    const oldRefresh = first.refresh_token ?? '';

    const second = await client.refreshTokenGrant(rp, oldRefresh);
    const newRefresh = second.refresh_token ?? '';
    expect(newRefresh).toMatch(/\S/);
    expect(newRefresh).not.toBe(oldRefresh);
    // OIDC Core §12.2: a refreshed ID token keeps iss, sub, aud, auth_time (and here the sid).
    const firstClaims = first.claims();
    expect(second.claims()).toMatchObject({
      iss: issuer,
      sub: world.users.bob.id,
      aud: rpClientId,
      auth_time: firstClaims?.auth_time,
      sid: firstClaims?.sid,
    });
    expect(await introspect(oldRefresh)).toBe(false); // superseded
    expect(await introspect(newRefresh)).toBe(true);

    // RT-03: a retry within the grace window gets the same successor, not a new branch.
    t.clock.advance(5);
    const retried = await client.refreshTokenGrant(rp, oldRefresh);
    expect(retried.refresh_token).toBe(newRefresh);

    // RT-02: outside the grace window the predecessor is theft: refused, and the session ends.
    t.clock.advance(6);
    expect(await oauthError(client.refreshTokenGrant(rp, oldRefresh))).toEqual({
      error: 'invalid_grant',
      status: 400,
    });
    expect(await oauthError(client.refreshTokenGrant(rp, newRefresh))).toMatchObject({
      error: 'invalid_grant',
    });
    expect(await introspect(newRefresh)).toBe(false);
    expect(await introspect(second.access_token)).toBe(false);
  });

  it('AS-05: the token endpoint refuses a wrong PKCE verifier with invalid_grant', async () => {
    const { url, checks } = await startAuthorization(rp, RP_CALLBACK);
    const callback = await signInOnHostedPage(browser, url);
    const wrong = { ...checks, pkceCodeVerifier: client.randomPKCECodeVerifier() };
    expect(await oauthError(client.authorizationCodeGrant(rp, callback, wrong))).toEqual({
      error: 'invalid_grant',
      status: 400,
    });
  });

  it('prompt=none: without a session the library reads login_required (with state and iss) from the callback', async () => {
    const { url, checks } = await startAuthorization(rp, RP_CALLBACK);
    url.searchParams.set('prompt', 'none');
    const back = await browser.request(url);
    expect(back.status).toBe(303);
    const callback = new URL(back.headers.get('location') ?? '');
    expect(`${callback.origin}${callback.pathname}`).toBe(RP_CALLBACK);
    const refused = await client.authorizationCodeGrant(rp, callback, checks).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(client.AuthorizationResponseError);
    expect(refused).toMatchObject({ error: 'login_required' });
  });

  it("single sign-on: with the hosted login's cookie, prompt=none comes straight back with a code for the same session", async () => {
    const { tokens: first } = await confidentialLogin();
    const { url, checks } = await startAuthorization(rp, RP_CALLBACK);
    url.searchParams.set('prompt', 'none');
    const back = await browser.request(url);
    expect(back.status).toBe(303);
    const tokens = await client.authorizationCodeGrant(
      rp,
      new URL(back.headers.get('location') ?? ''),
      checks,
    );
    expect(tokens.claims()).toMatchObject({
      sub: world.users.bob.id,
      nonce: checks.expectedNonce,
      sid: first.claims()?.sid,
      auth_time: first.claims()?.auth_time,
    });
  });

  it('AS-03: a code is single use; redeeming it again fails and revokes what the first redemption issued', async () => {
    const { tokens, checks, callback } = await confidentialLogin();
    expect(await oauthError(client.authorizationCodeGrant(rp, callback, checks))).toEqual({
      error: 'invalid_grant',
      status: 400,
    });
    expect(await oauthError(client.refreshTokenGrant(rp, tokens.refresh_token ?? ''))).toMatchObject({
      error: 'invalid_grant',
    });
    expect(await introspect(tokens.access_token)).toBe(false);
  });

  it('RT-09: RFC 7009 revocation of the refresh token ends it; the refresh is then refused and introspection says inactive', async () => {
    const { tokens } = await confidentialLogin();
    const refreshToken = tokens.refresh_token ?? '';
    expect(await introspect(refreshToken)).toBe(true);
    // This time with client_secret_post, the other advertised method.
    const viaPost = await discover(rpClientId, client.ClientSecretPost(rpSecret));
    await client.tokenRevocation(viaPost, refreshToken, { token_type_hint: 'refresh_token' });
    expect(await introspect(refreshToken)).toBe(false);
    expect(await introspect(tokens.access_token)).toBe(false);
    expect(await oauthError(client.refreshTokenGrant(rp, refreshToken))).toMatchObject({
      error: 'invalid_grant',
    });
    // RFC 7009 §2.2: revoking an already invalid token is still a 200.
    await expect(client.tokenRevocation(rp, refreshToken)).resolves.toBeUndefined();
  });

  it('AS-10: RP-initiated logout with id_token_hint returns to the registered URI with state, and ends the session', async () => {
    const { tokens } = await confidentialLogin();
    const idToken = tokens.id_token ?? '';
    const url = client.buildEndSessionUrl(rp, {
      id_token_hint: idToken,
      post_logout_redirect_uri: RP_SIGNED_OUT,
      state: 'after-logout',
    });
    expect(url.origin + url.pathname).toBe(`${issuer}/oauth/logout`);

    const response = await browser.request(url);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${RP_SIGNED_OUT}?state=after-logout`);
    // The browser's cookie belonged to that session: it is cleared.
    expect(browser.jar.has('tessera_refresh')).toBe(false);

    expect(await introspect(tokens.access_token)).toBe(false);
    expect(await introspect(tokens.refresh_token ?? '')).toBe(false);
    expect(await oauthError(client.refreshTokenGrant(rp, tokens.refresh_token ?? ''))).toMatchObject({
      error: 'invalid_grant',
    });
    // RFC 6750 §3: the access token of the ended session gets a Bearer invalid_token challenge.
    const refused = await client.fetchUserInfo(rp, tokens.access_token, client.skipSubjectCheck).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(client.WWWAuthenticateChallengeError);
    expect(refused).toMatchObject({
      status: 401,
      cause: [{ scheme: 'bearer', parameters: { error: 'invalid_token' } }],
    });
  });

  it('RP-initiated logout without id_token_hint asks for confirmation and ends nothing on the GET', async () => {
    const { tokens } = await confidentialLogin();
    const url = client.buildEndSessionUrl(rp, { post_logout_redirect_uri: RP_SIGNED_OUT, state: 's' });
    const response = await browser.request(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(browser.jar.has('tessera_refresh')).toBe(true);
    expect(await introspect(tokens.access_token)).toBe(true);
  });

  it('AS-10: an unregistered post_logout_redirect_uri is an error page, not a redirect, and nothing ends', async () => {
    const { tokens } = await confidentialLogin();
    const url = client.buildEndSessionUrl(rp, {
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: `${RP}/elsewhere`,
    });
    const response = await browser.request(url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await introspect(tokens.access_token)).toBe(true);
  });

  it('AS-11: a wrong client secret is invalid_client at the token, introspection and revocation endpoints', async () => {
    const { url, checks } = await startAuthorization(rp, RP_CALLBACK);
    const callback = await signInOnHostedPage(browser, url);
    const impostor = await discover(rpClientId, client.ClientSecretPost('not-the-secret'));
    expect(await oauthError(client.authorizationCodeGrant(impostor, callback, checks))).toEqual({
      error: 'invalid_client',
      status: 401,
    });
    // The code was not spent by the failed attempt: the real client still redeems it.
    const tokens = await client.authorizationCodeGrant(rp, callback, checks);
    expect(await oauthError(client.tokenIntrospection(impostor, tokens.access_token))).toEqual({
      error: 'invalid_client',
      status: 401,
    });
    expect(await oauthError(client.tokenRevocation(impostor, tokens.refresh_token ?? ''))).toEqual({
      error: 'invalid_client',
      status: 401,
    });
    expect(await introspect(tokens.refresh_token ?? '')).toBe(true);
  });

  it('AS-14: the library refuses a callback whose iss or state is wrong, or that lacks iss', async () => {
    const { url, checks } = await startAuthorization(rp, RP_CALLBACK);
    const callback = await signInOnHostedPage(browser, url);
    const tampered = (name: string, value: string | null) => {
      const copy = new URL(callback);
      if (value === null) copy.searchParams.delete(name);
      else copy.searchParams.set(name, value);
      return copy;
    };

    for (const wrong of [
      tampered('iss', 'https://attacker.example'),
      tampered('iss', `${issuer}/`),
      tampered('iss', null),
      tampered('state', client.randomState()),
      tampered('state', null),
    ]) {
      await expect(client.authorizationCodeGrant(rp, wrong, checks)).rejects.toMatchObject({
        code: 'OAUTH_INVALID_RESPONSE',
      });
    }
    // A wrong expected nonce is caught in the ID token (that attempt spends the code).
    await expect(
      client.authorizationCodeGrant(rp, callback, { ...checks, expectedNonce: client.randomNonce() }),
    ).rejects.toMatchObject({ code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' });
  });

  it('AS-14: the refusals happen before the code is sent anywhere: the untampered callback still redeems', async () => {
    const { url, checks } = await startAuthorization(rp, RP_CALLBACK);
    const callback = await signInOnHostedPage(browser, url);
    const wrongIss = new URL(callback);
    wrongIss.searchParams.set('iss', 'https://attacker.example');
    await expect(client.authorizationCodeGrant(rp, wrongIss, checks)).rejects.toThrow();
    const tokens = await client.authorizationCodeGrant(rp, callback, checks);
    expect(tokens.claims()?.nonce).toBe(checks.expectedNonce);
  });

  it('public spa client `app`: code + PKCE with auth method none; no refresh_token in the body, it stays in the HttpOnly cookie', async () => {
    const spa = await discover('app', client.None());
    const { url, checks } = await startAuthorization(spa, SPA_CALLBACK);
    const callback = await signInOnHostedPage(browser, url);
    expect(callback.searchParams.get('iss')).toBe(issuer);

    const tokens = await client.authorizationCodeGrant(spa, callback, checks);
    expect(tokens.refresh_token).toBeUndefined();
    const access = decodeJwt(tokens.access_token);
    expect(tokens.claims()).toMatchObject({
      iss: issuer,
      sub: world.users.bob.id,
      aud: 'app',
      nonce: checks.expectedNonce,
      sid: access.sid,
    });
    const userinfo = await client.fetchUserInfo(spa, tokens.access_token, world.users.bob.id);
    expect(userinfo.sub).toBe(world.users.bob.id);

    // The refresh token is in the cookie the hosted login set: HttpOnly, and refreshable.
    const cookie = browser.jar.get('tessera_refresh');
    expect(cookie?.attributes).toContain('httponly');
    const refreshed = await fetch(`${issuer}/auth/v1/refresh`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tessera-request': '1',
        origin: ORIGIN,
        cookie: `tessera_refresh=${cookie?.value}`,
      },
      body: JSON.stringify({ clientId: 'app' }),
    });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { accessToken: string };
    expect(decodeJwt(body.accessToken).sid).toBe(access.sid);
  });
});
