/**
 * Validation of a `/oauth/authorize` request (DESIGN §3.2; RFC 6749 §4.1.1; RFC 7636; OpenID
 * Connect Core §3.1.2.1). Pure: the caller passes the raw query and a synchronous client lookup.
 *
 * The order of checks is the security property: until `client_id` and `redirect_uri` are proven,
 * every failure is an error *page* (RFC 6749 §4.1.2.1, AS-01, AS-08); only after that may an error
 * travel back to the client's registered redirect URI.
 */
import type { ClientRecord } from '../storage/records.js';
import type { AuthorizeErrorCode, AuthorizeErrorPageCode } from './errors.js';
import { parseFormUrlEncoded } from './form-urlencoded.js';
import { isValidCodeChallenge } from './pkce.js';
import { matchRegisteredRedirectUri } from './redirect-uri.js';
import { parseScope, type Scope } from './scope.js';

/** A raw query longer than this is refused outright (a 64 KB `state`, security.md §2.3). */
export const MAX_AUTHORIZE_QUERY_LENGTH = 8192;
/** The longest `state` echoed back to the client. */
export const MAX_STATE_LENGTH = 1024;
/** The longest `nonce` carried into the ID token. */
export const MAX_NONCE_LENGTH = 1024;
/** The longest `tenant_id` or `login_hint`: an email address is at most 254 characters. */
export const MAX_HINT_LENGTH = 256;

// OpenID Connect Core §3.1.2.1: max_age is a non-negative integer number of seconds.
const MAX_AGE = /^(0|[1-9][0-9]{0,8})$/;

const PROMPT_VALUES = new Set(['none', 'login', 'consent', 'select_account']);
const KNOWN_PARAMETERS = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'code_challenge',
  'code_challenge_method',
  'state',
  'nonce',
  'scope',
  'prompt',
  'tenant_id',
  'login_hint',
  'max_age',
  'request',
  'request_uri',
]);

/** A validated authorization request. */
export interface AuthorizeRequest {
  clientId: string;
  /** The registered value that matched, never the request's bytes. */
  redirectUri: string;
  codeChallenge: string;
  state?: string;
  nonce?: string;
  scopes: Scope[];
  /** `none`: answer without UI; `login`: always show the form. Other prompts need no action. */
  prompt: 'none' | 'login' | undefined;
  tenantId?: string;
  loginHint?: string;
  /** OpenID Connect `max_age`: the service re-authenticates when `auth_time` is older. */
  maxAgeSeconds?: number;
}

/** The outcome of {@link parseAuthorizeRequest}. */
export type AuthorizeRequestResult =
  | { kind: 'error_page'; error: AuthorizeErrorPageCode; description: string }
  | {
      kind: 'redirect_error';
      redirectUri: string;
      error: AuthorizeErrorCode;
      description?: string;
      state?: string;
    }
  | { kind: 'valid'; request: AuthorizeRequest };

/** Finds a client of the current environment by id; `null` when there is none. */
export type LookupClient = (clientId: string) => Pick<ClientRecord, 'clientId' | 'redirectUris'> | null;

/**
 * Parses and validates the raw query of an authorization request. Unknown parameters are ignored
 * (OIDF `oidcc-ensure-request-with-unknown-parameter-succeeds`); a repeated one is not.
 *
 * @example
 * const result = parseAuthorizeRequest(url.search, (id) => clientsById.get(id) ?? null);
 * switch (result.kind) {
 *   case 'error_page': return renderError(result);
 *   case 'redirect_error': return redirect(buildRedirect(result.redirectUri, { ... }));
 *   case 'valid': return continueLogin(result.request);
 * }
 */
export function parseAuthorizeRequest(rawQuery: string, lookupClient: LookupClient): AuthorizeRequestResult {
  const trusted = resolveRedirect(rawQuery, lookupClient);
  return trusted.kind === 'error_page' ? trusted : validateParameters(trusted);
}

interface TrustedRedirect {
  kind: 'trusted';
  param: (name: string) => string | undefined;
  clientId: string;
  redirectUri: string;
}

/** Phase 1: everything that must hold before a redirect may happen (RFC 6749 §4.1.2.1 ¶1). */
function resolveRedirect(
  rawQuery: string,
  lookupClient: LookupClient,
): TrustedRedirect | Extract<AuthorizeRequestResult, { kind: 'error_page' }> {
  if (rawQuery.length > MAX_AUTHORIZE_QUERY_LENGTH)
    return errorPage('invalid_request', 'The authorization request is too large.');
  const parsed = parseFormUrlEncoded(rawQuery);
  if (!parsed.ok) {
    if (parsed.reason === 'malformed') return errorPage('invalid_request', 'The query is malformed.');
    // Only known names are echoed: the description is shown on a page.
    const name = KNOWN_PARAMETERS.has(parsed.name) ? `The "${parsed.name}" parameter` : 'A parameter';
    return errorPage('invalid_request', `${name} is repeated.`);
  }
  // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
  const param = (name: string) => parsed.params.get(name) || undefined;

  const clientId = param('client_id');
  if (clientId === undefined) return errorPage('invalid_request', 'The "client_id" parameter is missing.');
  const client = lookupClient(clientId);
  if (client === null) return errorPage('invalid_client', 'The client is unknown.');
  const redirect = matchRegisteredRedirectUri(client, param('redirect_uri'));
  if (!redirect.ok)
    return errorPage(
      'invalid_request',
      redirect.reason === 'missing'
        ? 'The "redirect_uri" parameter is missing.'
        : 'The "redirect_uri" is not registered for this client.',
    );
  return { kind: 'trusted', param, clientId: client.clientId, redirectUri: redirect.uri };
}

/** Phase 2: the redirect URI is trusted, so errors go back to the client. */
function validateParameters({ param, clientId, redirectUri }: TrustedRedirect): AuthorizeRequestResult {
  const state = param('state');
  const stateProblem = state === undefined ? null : textProblem('state', state, MAX_STATE_LENGTH);
  // An unusable state is not echoed: the client would reflect it, or choke on it.
  if (stateProblem !== null)
    return { kind: 'redirect_error', redirectUri, error: 'invalid_request', description: stateProblem };
  const fail = (error: AuthorizeErrorCode, description: string): AuthorizeRequestResult => ({
    kind: 'redirect_error',
    redirectUri,
    error,
    description,
    ...(state === undefined ? {} : { state }),
  });

  const responseType = param('response_type');
  if (responseType === undefined) return fail('invalid_request', 'response_type is missing.');
  if (responseType !== 'code')
    return fail('unsupported_response_type', 'Only response_type=code is supported.');
  const responseMode = param('response_mode');
  if (responseMode !== undefined && responseMode !== 'query')
    return fail('invalid_request', 'Only response_mode=query is supported.');
  // OpenID Connect Core §6: an OP that ignores a request object would act on unsigned parameters.
  if (param('request') !== undefined)
    return fail('request_not_supported', 'Request objects are not supported.');
  if (param('request_uri') !== undefined)
    return fail('request_uri_not_supported', 'request_uri is not supported.');

  const codeChallenge = param('code_challenge');
  if (codeChallenge === undefined) return fail('invalid_request', 'code_challenge is required.');
  if (param('code_challenge_method') !== 'S256')
    return fail('invalid_request', 'code_challenge_method must be S256.');
  if (!isValidCodeChallenge(codeChallenge)) return fail('invalid_request', 'code_challenge is malformed.');

  const scope = parseScope(param('scope'));
  if (!scope.ok)
    return fail(
      'invalid_scope',
      scope.reason === 'too_many' ? 'Too many scopes.' : 'A scope is not supported.',
    );

  const prompt = parsePrompt(param('prompt'));
  if (!prompt.ok) return fail('invalid_request', prompt.description);

  const maxAge = param('max_age');
  if (maxAge !== undefined && !MAX_AGE.test(maxAge))
    return fail('invalid_request', 'max_age must be a non-negative integer.');

  const nonce = param('nonce');
  const tenantId = param('tenant_id');
  const loginHint = param('login_hint');
  for (const [name, value, maxLength] of [
    ['nonce', nonce, MAX_NONCE_LENGTH],
    ['tenant_id', tenantId, MAX_HINT_LENGTH],
    ['login_hint', loginHint, MAX_HINT_LENGTH],
  ] as const) {
    const problem = value === undefined ? null : textProblem(name, value, maxLength);
    if (problem !== null) return fail('invalid_request', problem);
  }

  return {
    kind: 'valid',
    request: {
      clientId,
      redirectUri,
      codeChallenge,
      scopes: scope.scopes,
      prompt: prompt.prompt,
      ...(state === undefined ? {} : { state }),
      ...(nonce === undefined ? {} : { nonce }),
      ...(tenantId === undefined ? {} : { tenantId }),
      ...(loginHint === undefined ? {} : { loginHint }),
      ...(maxAge === undefined ? {} : { maxAgeSeconds: Number(maxAge) }),
    },
  };
}

function parsePrompt(
  raw: string | undefined,
): { ok: true; prompt: AuthorizeRequest['prompt'] } | { ok: false; description: string } {
  const values = (raw ?? '').split(' ').filter((value) => value !== '');
  if (values.some((value) => !PROMPT_VALUES.has(value)))
    return { ok: false, description: 'prompt has an unsupported value.' };
  // OpenID Connect Core §3.1.2.1: none with any other value is an error.
  if (values.includes('none'))
    return values.length === 1
      ? { ok: true, prompt: 'none' }
      : { ok: false, description: 'prompt=none must be alone.' };
  return { ok: true, prompt: values.includes('login') ? 'login' : undefined };
}

/**
 * Why a text parameter cannot be used — too long, or carrying control characters — or `null`.
 *
 * @example
 * textProblem('state', '\r\nSet-Cookie: x', 1024) // 'state contains control characters.'
 */
export function textProblem(name: string, value: string, maxLength: number): string | null {
  if (value.length > maxLength) return `${name} is too long.`;
  // security.md §2.4: CR, LF, NUL and other C0/C1 controls never flow on into headers, pages or storage.
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `${name} contains control characters.`;
  }
  return null;
}

function errorPage(
  error: AuthorizeErrorPageCode,
  description: string,
): Extract<AuthorizeRequestResult, { kind: 'error_page' }> {
  return { kind: 'error_page', error, description };
}
