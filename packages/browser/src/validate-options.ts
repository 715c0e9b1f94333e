/** `createAuthClient`'s options, checked once with a clear error, and normalised. */
import { TesseraAuthError } from './errors.js';
import type { AuthClientOptions } from './types.js';

export interface ClientOptions {
  /** Without a trailing slash. */
  baseUrl: string;
  clientId: string;
  hostedLogin: boolean;
  redirectUri: string | undefined;
  keepSessionAlive: boolean;
  disableSilentRefresh: boolean;
  perTenant: boolean;
}

function httpUrl(value: unknown): URL | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** @throws TesseraAuthError `invalid_options`, naming the option and what it must be. */
export function validateOptions(options: AuthClientOptions): ClientOptions {
  const fail = (message: string) => new TesseraAuthError('invalid_options', message);
  const base = httpUrl(options?.baseUrl);
  if (base === null || base.search !== '' || base.hash !== '')
    throw fail(
      'baseUrl must be an absolute http(s) URL without query or fragment, e.g. "https://auth.example.com".',
    );
  if (typeof options.clientId !== 'string' || options.clientId === '')
    throw fail('clientId must be the client id registered in the environment.');
  if (options.redirectUri !== undefined) {
    const redirect = httpUrl(options.redirectUri);
    if (redirect === null || redirect.hash !== '')
      throw fail('redirectUri must be an absolute http(s) URL without fragment, registered for the client.');
  }
  const auth = options.authOptions ?? {};
  return {
    baseUrl: base.href.replace(/\/$/, ''),
    clientId: options.clientId,
    hostedLogin: options.hostedLogin === true,
    redirectUri: options.redirectUri,
    keepSessionAlive: auth.keepSessionAlive === true,
    disableSilentRefresh: auth.disableSilentRefresh === true,
    perTenant: auth.enableSessionPerTenant === true,
  };
}
