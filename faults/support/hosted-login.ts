/** The hosted login over real HTTP, as a browser clicks through it: a cookie jar, redirects by hand. */
import {
  authorizeQuery,
  formBody,
  hiddenField,
  type Pkce,
  REDIRECT_URI,
} from '@tessera/testing/hosted-login';
import { ORIGIN, PASSWORD } from './http.js';

const loopback = (url: string) => url.replace('//localhost:', '//127.0.0.1:');

/** Signs `email` in at `baseUrl` through /oauth/authorize and the login form; the code. */
export async function authorizationCode(baseUrl: string, email: string, pkce: Pkce): Promise<string> {
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(loopback(new URL(url, baseUrl).toString()), {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([n, v]) => `${n}=${v}`).join('; '),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return response;
  };
  const toLogin = await send(`/oauth/authorize?${authorizeQuery(pkce)}`);
  const page = await send(toLogin.headers.get('location')!);
  const html = await page.text();
  const done = await send('/oauth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody({
      csrf_token: hiddenField(html, 'csrf_token'),
      interaction_id: hiddenField(html, 'interaction_id'),
      email,
      password: PASSWORD,
    }),
  });
  const code = new URL(done.headers.get('location') ?? 'about:blank').searchParams.get('code');
  if (!code) throw new Error(`the hosted login gave no code: ${done.status} ${done.headers.get('location')}`);
  return code;
}

/** `POST /oauth/token` redeeming `code` for the spa client `app`. */
export async function redeem(
  baseUrl: string,
  code: string,
  pkce: Pkce,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${loopback(baseUrl)}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    body: formBody({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
      client_id: 'app',
    }),
  });
  return { status: response.status, body: await response.text() };
}
