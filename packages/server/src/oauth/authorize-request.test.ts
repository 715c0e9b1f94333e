import { describe, expect, it } from 'vitest';
import type { AuthorizeRequestResult, LookupClient } from './authorize-request.js';
import { MAX_AUTHORIZE_QUERY_LENGTH, parseAuthorizeRequest } from './authorize-request.js';
import { REDIRECT_PAYLOADS, REGISTERED } from './redirect-payloads.test-helpers.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const clients = new Map([
  ['app', { clientId: 'app', redirectUris: [REGISTERED] }],
  ['multi', { clientId: 'multi', redirectUris: [REGISTERED, 'https://app.example.com/other'] }],
]);
const lookup: LookupClient = (clientId) => clients.get(clientId) ?? null;

const BASE: Record<string, string> = {
  client_id: 'app',
  redirect_uri: REGISTERED,
  response_type: 'code',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  state: 'st',
};

/** A query from `BASE` with `overrides` applied; `null` removes a parameter. */
function query(overrides: Record<string, string | null> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...BASE, ...overrides }))
    if (value !== null) params.set(name, value);
  return `?${params.toString()}`;
}

function parse(raw: string): AuthorizeRequestResult {
  return parseAuthorizeRequest(raw, lookup);
}

const ERROR_PAGE = { kind: 'error_page', error: 'invalid_request' } as const;

function redirectError(error: string, state: string | null = 'st') {
  return {
    kind: 'redirect_error',
    redirectUri: REGISTERED,
    error,
    ...(state === null ? {} : { state }),
  };
}

describe('parseAuthorizeRequest: valid requests', () => {
  it('accepts the minimal request', () => {
    expect(parse(query({ state: null }))).toEqual({
      kind: 'valid',
      request: {
        clientId: 'app',
        redirectUri: REGISTERED,
        codeChallenge: CHALLENGE,
        scopes: [],
        prompt: undefined,
      },
    });
  });

  it('carries every optional parameter', () => {
    const raw = query({
      scope: 'openid profile email offline_access',
      nonce: 'n-0S6_WzA2Mj',
      prompt: 'login',
      tenant_id: 'acme',
      login_hint: 'ada@example.com',
      response_mode: 'query',
    });
    expect(parse(raw)).toEqual({
      kind: 'valid',
      request: {
        clientId: 'app',
        redirectUri: REGISTERED,
        codeChallenge: CHALLENGE,
        state: 'st',
        nonce: 'n-0S6_WzA2Mj',
        scopes: ['openid', 'profile', 'email', 'offline_access'],
        prompt: 'login',
        tenantId: 'acme',
        loginHint: 'ada@example.com',
      },
    });
  });

  it('ignores unknown parameters (oidcc-ensure-request-with-unknown-parameter-succeeds)', () => {
    expect(parse(`${query()}&extra=1&claims_locales=fr&%3Cscript%3E=x`).kind).toBe('valid');
  });

  it('accepts an unencoded redirect_uri and a leading "?" or none', () => {
    const raw = query({ redirect_uri: null });
    expect(parse(`${raw}&redirect_uri=${REGISTERED}`).kind).toBe('valid');
    expect(parse(raw.slice(1)).kind).toBe('valid');
  });

  it.each([
    ['absent', null],
    ['empty (RFC 6749 §3.1: treated as omitted)', ''],
  ])('defaults a %s redirect_uri to the only registered one', (_case, redirectUri) => {
    const result = parse(query({ redirect_uri: redirectUri }));
    expect(result).toMatchObject({ kind: 'valid', request: { redirectUri: REGISTERED } });
  });

  it('keeps the state byte for byte, for buildRedirect to encode', () => {
    const state = `"><script>alert('1')</script>&x=%0d%0a é`;
    expect(parse(query({ state }))).toMatchObject({ kind: 'valid', request: { state } });
  });

  it.each([
    ['none', 'none'],
    ['login', 'login'],
    ['login consent', 'login'],
    ['consent', undefined],
    ['select_account', undefined],
    ['', undefined],
  ] as const)('prompt=%j → %s', (prompt, expected) => {
    expect(parse(query({ prompt }))).toMatchObject({ kind: 'valid', request: { prompt: expected } });
  });

  it.each([
    ['0', 0],
    ['3600', 3600],
    ['999999999', 999_999_999],
  ])('max_age=%s → %d seconds', (maxAge, seconds) => {
    expect(parse(query({ max_age: maxAge }))).toMatchObject({
      kind: 'valid',
      request: { maxAgeSeconds: seconds },
    });
  });

  it('drops duplicate scope entries and extra spaces', () => {
    const result = parse(query({ scope: 'openid  email openid' }));
    expect(result).toMatchObject({ kind: 'valid', request: { scopes: ['openid', 'email'] } });
  });

  it('accepts a state and a nonce of exactly 1024 characters', () => {
    const long = 'a'.repeat(1024);
    expect(parse(query({ state: long, nonce: long })).kind).toBe('valid');
  });

  it('accepts a tenant_id and a login_hint of exactly 256 characters', () => {
    const long = 'a'.repeat(256);
    expect(parse(query({ tenant_id: long, login_hint: long })).kind).toBe('valid');
  });

  it('accepts exactly 20 scope entries', () => {
    expect(parse(query({ scope: Array(20).fill('openid').join(' ') })).kind).toBe('valid');
  });
});

describe('parseAuthorizeRequest: error page, never a redirect', () => {
  // An empty value means omitted (RFC 6749 §3.1), tested above.
  it.each(REDIRECT_PAYLOADS.filter(([, payload]) => payload !== ''))(
    'AS-01: redirect_uri %s: %j',
    (_category, payload) => {
      const result = parse(query({ redirect_uri: payload }));
      expect(result).toMatchObject(ERROR_PAGE);
      expect(result).not.toHaveProperty('redirectUri');
    },
  );

  it.each([
    ['double-encoded traversal, raw', `redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%2F%252E%252E%2F`],
    ['encoded CRLF, raw', 'redirect_uri=https://app.example.com/cb%0d%0aSet-Cookie:%20x=y'],
    ['a plus that decodes to a space', 'redirect_uri=https://app.example.com/cb+'],
  ])('AS-01: redirect_uri %s', (_case, param) => {
    expect(parse(`${query({ redirect_uri: null })}&${param}`)).toMatchObject(ERROR_PAGE);
  });

  it('AS-01: a redirect_uri registered for another client', () => {
    const raw = query({ redirect_uri: 'https://app.example.com/other' });
    expect(parse(raw)).toMatchObject(ERROR_PAGE);
    expect(parse(query({ client_id: 'multi', redirect_uri: 'https://app.example.com/other' })).kind).toBe(
      'valid',
    );
  });

  it('a missing redirect_uri when the client has several', () => {
    expect(parse(query({ client_id: 'multi', redirect_uri: null }))).toMatchObject(ERROR_PAGE);
  });

  it.each([
    ['missing', null, 'invalid_request'],
    ['empty', '', 'invalid_request'],
    ['unknown (RFC 6749 §4.1.2.1)', 'evil', 'invalid_client'],
    ['of another case', 'APP', 'invalid_client'],
  ])('a client_id that is %s', (_case, clientId, error) => {
    expect(parse(query({ client_id: clientId }))).toMatchObject({ kind: 'error_page', error });
  });

  it('an unknown client_id is refused even with invalid later parameters', () => {
    expect(parse(query({ client_id: 'evil', response_type: 'token' }))).toMatchObject({
      kind: 'error_page',
      error: 'invalid_client',
    });
  });

  it.each([
    ['client_id', 'client_id=app'],
    ['client_id with another value', 'client_id=multi'],
    ['redirect_uri', `redirect_uri=${encodeURIComponent(REGISTERED)}`],
    ['redirect_uri with another value', 'redirect_uri=https%3A%2F%2Fevil.example%2Fcb'],
    ['code_challenge', `code_challenge=${CHALLENGE}`],
    ['scope', 'scope=openid'],
    ['state', 'state=other'],
    ['response_type', 'response_type=token'],
    ['unknown parameter', 'x=1&x=2'],
    ['empty parameter', 'scope=&scope='],
  ])('AS-08: repeated %s', (_case, extra) => {
    const raw = `${query({ scope: 'openid' })}&${extra}`;
    expect(parse(raw)).toMatchObject(ERROR_PAGE);
  });

  it('AS-08: a repeated unknown name is not echoed on the page', () => {
    const result = parse(`${query()}&%3Cscript%3E=1&%3Cscript%3E=2`);
    expect(result).toEqual({ ...ERROR_PAGE, description: 'A parameter is repeated.' });
  });

  it('a query over the size cap (a 64 KB state)', () => {
    expect(parse(query({ state: 'a'.repeat(65_536) }))).toMatchObject(ERROR_PAGE);
  });

  it('the size cap holds on both sides', () => {
    const pad = (length: number) => `${query()}&pad=${'a'.repeat(length - query().length - 5)}`;
    expect(pad(MAX_AUTHORIZE_QUERY_LENGTH)).toHaveLength(MAX_AUTHORIZE_QUERY_LENGTH);
    expect(parse(pad(MAX_AUTHORIZE_QUERY_LENGTH)).kind).toBe('valid');
    expect(parse(pad(MAX_AUTHORIZE_QUERY_LENGTH + 1))).toMatchObject(ERROR_PAGE);
  });

  it.each(['%', '%E0%A4%A', '%FF', '%ZZ'])('a malformed escape %j', (sequence) => {
    expect(parse(`${query()}&extra=${sequence}`)).toMatchObject(ERROR_PAGE);
  });
});

describe('parseAuthorizeRequest: errors sent to the registered redirect URI', () => {
  it.each([
    ['token', 'unsupported_response_type'],
    ['code token', 'unsupported_response_type'],
    ['id_token', 'unsupported_response_type'],
    ['code id_token', 'unsupported_response_type'],
    ['none', 'unsupported_response_type'],
    ['Code', 'unsupported_response_type'],
    [' code', 'unsupported_response_type'],
    [null, 'invalid_request'],
  ])('AS-07: response_type=%j → %s', (responseType, error) => {
    expect(parse(query({ response_type: responseType }))).toMatchObject(redirectError(error));
  });

  it.each([
    ['no code_challenge', { code_challenge: null }],
    ['an empty code_challenge', { code_challenge: '' }],
    ['code_challenge_method=plain', { code_challenge_method: 'plain' }],
    [
      'plain with the verifier as challenge',
      {
        code_challenge: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
        code_challenge_method: 'plain',
      },
    ],
    ['no code_challenge_method', { code_challenge_method: null }],
    ['code_challenge_method=s256', { code_challenge_method: 's256' }],
    ['a 42-character challenge', { code_challenge: CHALLENGE.slice(0, 42) }],
    ['a padded challenge', { code_challenge: `${CHALLENGE}=` }],
    ['a challenge with illegal characters', { code_challenge: CHALLENGE.replace('-', '+') }],
  ])('AS-05: %s → invalid_request', (_case, overrides) => {
    expect(parse(query(overrides))).toMatchObject(redirectError('invalid_request'));
  });

  it.each(['fragment', 'form_post', 'web_message', 'Query'])('response_mode=%s → invalid_request', (mode) => {
    expect(parse(query({ response_mode: mode }))).toMatchObject(redirectError('invalid_request'));
  });

  it.each([['foo'], ['none login'], ['login none'], ['none consent'], ['NONE']])(
    'prompt=%j → invalid_request',
    (prompt) => {
      expect(parse(query({ prompt }))).toMatchObject(redirectError('invalid_request'));
    },
  );

  it('a state over 1024 characters → invalid_request, without echoing the state', () => {
    const result = parse(query({ state: 'a'.repeat(1025) }));
    expect(result).toEqual({
      kind: 'redirect_error',
      redirectUri: REGISTERED,
      error: 'invalid_request',
      description: 'state is too long.',
    });
  });

  it.each([
    ['CRLF', 'x\r\nSet-Cookie: a=b'],
    ['NUL', 'x\u0000'],
    ['tab', 'x\ty'],
    ['DEL', 'x\u007F'],
    ['a C1 control', 'x\u0085'],
  ])('a state with %s → invalid_request, without echoing the state', (_case, state) => {
    const result = parse(query({ state }));
    expect(result).toMatchObject(redirectError('invalid_request', null));
    expect(result).not.toHaveProperty('state');
  });

  it.each([
    ['nonce', 'n\r\nx'],
    ['tenant_id', 'acme\u0000'],
    ['login_hint', 'ada@example.com\nBcc: x'],
  ])('a %s with control characters → invalid_request', (name, value) => {
    expect(parse(query({ [name]: value }))).toMatchObject(redirectError('invalid_request'));
  });

  it.each(['-1', '1.5', '1e3', ' 1', '01', 'abc', '9999999999'])('max_age=%j → invalid_request', (maxAge) => {
    expect(parse(query({ max_age: maxAge }))).toMatchObject(redirectError('invalid_request'));
  });

  it.each(['tenant_id', 'login_hint'])('a %s over 256 characters → invalid_request', (name) => {
    expect(parse(query({ [name]: 'a'.repeat(257) }))).toMatchObject(redirectError('invalid_request'));
  });

  it('a nonce over 1024 characters → invalid_request', () => {
    expect(parse(query({ nonce: 'n'.repeat(1025) }))).toMatchObject(redirectError('invalid_request'));
  });

  it.each([
    ['an unknown scope', 'openid admin'],
    ['a scope in another case', 'OPENID'],
    ['21 entries', Array(21).fill('openid').join(' ')],
  ])('AS-12: %s → invalid_scope', (_case, scope) => {
    expect(parse(query({ scope }))).toMatchObject(redirectError('invalid_scope'));
  });

  it('AS-12: 1000 scope entries → invalid_scope', () => {
    const raw = `${query()}&scope=${Array(1000).fill('openid').join('+')}`;
    expect(raw.length).toBeLessThanOrEqual(MAX_AUTHORIZE_QUERY_LENGTH);
    expect(parse(raw)).toMatchObject(redirectError('invalid_scope'));
  });

  it.each([
    ['request', 'request_not_supported'],
    ['request_uri', 'request_uri_not_supported'],
  ])('%s → %s (not silently ignored)', (name, error) => {
    expect(parse(query({ [name]: 'eyJhbGciOiJub25lIn0.e30.' }))).toMatchObject(redirectError(error));
  });

  it('an error without state carries no state', () => {
    expect(parse(query({ state: null, response_type: 'token' }))).toMatchObject(
      redirectError('unsupported_response_type', null),
    );
    expect(parse(query({ state: null, response_type: 'token' }))).not.toHaveProperty('state');
  });

  it('the redirect goes to the registered value, and the state is passed on raw for encoding', () => {
    const state = '"><script>alert(1)</script>';
    const result = parse(query({ state, response_type: 'token' }));
    expect(result).toMatchObject({ kind: 'redirect_error', redirectUri: REGISTERED, state });
  });

  it('error descriptions stay within the RFC 6749 §4.1.2.1 character set', () => {
    const cases = [
      query({ response_type: 'token' }),
      query({ code_challenge: null }),
      query({ scope: 'admin' }),
      query({ prompt: 'none login' }),
      query({ state: 'a'.repeat(1025) }),
      query({ request: 'x' }),
      query({ state: 'a\nb' }),
      query({ max_age: '-1' }),
      query({ tenant_id: '\u0000' }),
    ];
    for (const raw of cases) {
      const result = parse(raw);
      expect(result.kind).toBe('redirect_error');
      if (result.kind === 'redirect_error')
        expect(result.description).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
    }
  });
});
