/**
 * A browser for hosted-login tests over `inject`: a cookie jar, redirects read by hand, and the
 * login page's hidden fields read from its HTML, as a user's browser would submit them.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { s256Challenge } from '../../server/src/oauth/pkce.js';
import { hashClientSecret } from '../../server/src/service/admin/client-secret.js';
import type { TestServer } from './harness.js';
import { ORIGIN, PASSWORD } from './world.js';

export const REDIRECT_URI = `${ORIGIN}/callback`;

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkcePair(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256Challenge(verifier) };
}

/** The query of a valid authorization request for client `app`, with overrides (`null` removes). */
export function authorizeQuery(pkce: Pkce, overrides: Record<string, string | null> = {}): string {
  const params: Record<string, string | null> = {
    response_type: 'code',
    client_id: 'app',
    redirect_uri: REDIRECT_URI,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    scope: 'openid email profile',
    state: 'state-123',
    nonce: 'nonce-456',
    ...overrides,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null) query.set(name, value);
  return query.toString();
}

/** The value of a hidden input in a page. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
  if (!match?.[1]) throw new Error(`no hidden field ${name} in the page`);
  return match[1];
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export type TestBrowser = ReturnType<typeof testBrowser>;

/** One browser: its cookies persist across requests, as a real one's would. */
export function testBrowser(t: TestServer, prefix = '') {
  const jar = new Map<string, string>();

  function remember(response: LightMyRequestResponse) {
    const header = response.headers['set-cookie'];
    for (const line of Array.isArray(header) ? header : header ? [header] : []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  function cookieHeader(): Record<string, string> {
    if (jar.size === 0) return {};
    return { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  async function request(
    method: 'GET' | 'POST',
    url: string,
    options: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const response = await t.app.inject({
      method,
      url: url.startsWith('http') ? new URL(url).pathname + new URL(url).search : url,
      headers: {
        ...cookieHeader(),
        ...(options.form && { 'content-type': 'application/x-www-form-urlencoded' }),
        ...options.headers,
      },
      ...(options.form && { payload: formBody(options.form) }),
    });
    remember(response);
    return response;
  }

  return {
    jar,
    request,
    cookieHeader,
    /** `GET /oauth/authorize?…`. */
    authorize: (query: string) => request('GET', `${prefix}/oauth/authorize?${query}`),
    /** Follows a 303 to the login page. */
    follow: (response: LightMyRequestResponse) => {
      const location = response.headers.location;
      if (response.statusCode !== 303 || typeof location !== 'string')
        throw new Error(`expected a 303, got ${response.statusCode}`);
      return request('GET', location);
    },
    /** Submits the login page's form with these credentials. */
    submitLogin: (page: LightMyRequestResponse, email = 'bob@example.com', password = PASSWORD) =>
      request('POST', `${prefix}/oauth/login`, {
        form: {
          csrf_token: hiddenField(page.body, 'csrf_token'),
          interaction_id: hiddenField(page.body, 'interaction_id'),
          email,
          password,
        },
      }),
    /** Picks a tenant on the picker page. */
    chooseTenant: (page: LightMyRequestResponse, tenantId: string) =>
      request('POST', `${prefix}/oauth/login`, {
        form: {
          csrf_token: hiddenField(page.body, 'csrf_token'),
          interaction_id: hiddenField(page.body, 'interaction_id'),
          tenant_id: tenantId,
        },
      }),
  };
}

/** The parameters of a redirect back to the client. */
export function callbackParams(response: LightMyRequestResponse): URLSearchParams {
  const location = response.headers.location;
  if (typeof location !== 'string') throw new Error(`no Location in a ${response.statusCode} response`);
  return new URL(location).searchParams;
}

/** `POST /oauth/token` with a form body. */
export function tokenRequest(
  t: TestServer,
  form: Record<string, string>,
  headers: Record<string, string> = {},
  prefix = '',
) {
  return t.app.inject({
    method: 'POST',
    url: `${prefix}/oauth/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: formBody(form),
  });
}

/** Runs the whole hosted login for bob (one tenant) and returns the code and the browser. */
export async function signInThroughHostedLogin(
  t: TestServer,
  pkce: Pkce,
  overrides: Record<string, string | null> = {},
) {
  const browser = testBrowser(t);
  const page = await browser.follow(await browser.authorize(authorizeQuery(pkce, overrides)));
  const done = await browser.submitLogin(page);
  return { browser, code: callbackParams(done).get('code') ?? '', response: done };
}

/** Redeems a code for client `app`. */
export function redeem(t: TestServer, code: string, pkce: Pkce, overrides: Record<string, string> = {}) {
  return tokenRequest(t, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: pkce.verifier,
    client_id: 'app',
    ...overrides,
  });
}

export const CONFIDENTIAL_REDIRECT_URI = 'https://server-app.example.com/callback';

/** Registers a confidential client `server-app` with this secret; returns its Basic credentials. */
export async function insertConfidentialClient(t: TestServer, secret: string): Promise<string> {
  await t.deps.storage.insertClient({
    envId: 'default',
    clientId: 'server-app',
    name: 'Server App',
    type: 'confidential',
    secretHash: hashClientSecret(secret),
    redirectUris: [CONFIDENTIAL_REDIRECT_URI],
    allowedOrigins: [],
    postLogoutRedirectUris: ['https://server-app.example.com/'],
    createdAt: t.clock.now(),
  });
  return `Basic ${Buffer.from(`server-app:${secret}`).toString('base64')}`;
}
