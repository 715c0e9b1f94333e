import { describe, expect, it } from 'vitest';
import { parseBasicCredentials, parseTokenRequest } from './token-request.js';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CODE_BODY = {
  grant_type: 'authorization_code',
  code: 'c0de',
  redirect_uri: 'https://app.example.com/cb',
  code_verifier: VERIFIER,
  client_id: 'app',
};

function basic(id: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

describe('parseTokenRequest: authorization_code', () => {
  it('parses a public client request', () => {
    expect(parseTokenRequest(CODE_BODY)).toEqual({
      grantType: 'authorization_code',
      code: 'c0de',
      redirectUri: 'https://app.example.com/cb',
      codeVerifier: VERIFIER,
      clientId: 'app',
      clientAuth: { method: 'none' },
    });
  });

  it('accepts single-element arrays from a form parser', () => {
    const body = Object.fromEntries(Object.entries(CODE_BODY).map(([name, value]) => [name, [value]]));
    expect(parseTokenRequest(body)).toMatchObject({ grantType: 'authorization_code', code: 'c0de' });
  });

  it.each([
    ['code', 'invalid_request'],
    ['redirect_uri', 'invalid_request'],
    ['code_verifier', 'invalid_request'],
    ['grant_type', 'invalid_request'],
    ['client_id', 'invalid_client'],
  ])('AS-02: a missing %s → %s', (name, error) => {
    const body: Record<string, string> = { ...CODE_BODY };
    delete body[name];
    expect(parseTokenRequest(body)).toMatchObject({ error });
    // RFC 6749 §3.1: an empty value is the same as none.
    expect(parseTokenRequest({ ...CODE_BODY, [name]: '' })).toMatchObject({ error });
  });

  it.each([
    ['42 characters', 'a'.repeat(42), 'invalid_grant'],
    ['43 characters', 'a'.repeat(43), undefined],
    ['128 characters', 'a'.repeat(128), undefined],
    ['129 characters', 'a'.repeat(129), 'invalid_grant'],
    ['a plus', `${'a'.repeat(42)}+`, 'invalid_grant'],
    ['a space', `${'a'.repeat(42)} `, 'invalid_grant'],
    ['a non-ASCII letter', `${'a'.repeat(42)}é`, 'invalid_grant'],
  ])('AS-05: a code_verifier of %s', (_case, codeVerifier, error) => {
    const result = parseTokenRequest({ ...CODE_BODY, code_verifier: codeVerifier });
    if (error === undefined) expect(result).toMatchObject({ grantType: 'authorization_code', codeVerifier });
    else expect(result).toEqual({ error, description: 'code_verifier is malformed.' });
  });
});

describe('parseTokenRequest: refresh_token', () => {
  it('parses a request with and without scope', () => {
    const body = { grant_type: 'refresh_token', refresh_token: 'rt', client_id: 'app' };
    expect(parseTokenRequest(body)).toEqual({
      grantType: 'refresh_token',
      refreshToken: 'rt',
      clientId: 'app',
      clientAuth: { method: 'none' },
    });
    expect(parseTokenRequest({ ...body, scope: 'openid' })).toMatchObject({ scope: 'openid' });
  });

  it('a missing refresh_token → invalid_request', () => {
    expect(parseTokenRequest({ grant_type: 'refresh_token', client_id: 'app' })).toMatchObject({
      error: 'invalid_request',
    });
  });
});

describe('parseTokenRequest: grant types', () => {
  it.each([
    'password',
    'client_credentials',
    'implicit',
    'token',
    'urn:ietf:params:oauth:grant-type:device_code',
    'urn:ietf:params:oauth:grant-type:jwt-bearer',
    'AUTHORIZATION_CODE',
    'authorization_code ',
    '__proto__',
  ])('AS-07: grant_type=%j → unsupported_grant_type', (grantType) => {
    expect(parseTokenRequest({ ...CODE_BODY, grant_type: grantType })).toEqual({
      error: 'unsupported_grant_type',
      description: 'The grant type is not supported.',
    });
  });
});

describe('parseTokenRequest: malformed bodies', () => {
  it.each([
    ['grant_type (ASVS 15.3.7)', { grant_type: ['refresh_token', 'authorization_code'] }],
    ['the same grant_type', { grant_type: ['authorization_code', 'authorization_code'] }],
    ['code', { code: ['a', 'b'] }],
    ['client_id', { client_id: ['app', 'evil'] }],
    ['unknown parameter', { extra: ['1', '2'] }],
  ])('AS-08: repeated %s → invalid_request', (_case, overrides) => {
    expect(parseTokenRequest({ ...CODE_BODY, ...overrides })).toMatchObject({ error: 'invalid_request' });
  });

  it.each([
    ['a number', 1],
    ['null', null],
    ['an object', { a: 1 }],
    ['a boolean', true],
    ['an empty array', []],
    ['a nested array', [['a']]],
  ])('type confusion: code as %s → invalid_request', (_case, code) => {
    expect(parseTokenRequest({ ...CODE_BODY, code })).toEqual({
      error: 'invalid_request',
      description: expect.any(String),
    });
  });

  it('a JSON __proto__ key is refused, not merged', () => {
    const body = JSON.parse(`{"__proto__":{"grant_type":"password"},"client_id":"app"}`);
    expect(parseTokenRequest(body)).toMatchObject({ error: 'invalid_request' });
  });
});

describe('parseTokenRequest: client authentication', () => {
  it('AS-11: client_secret_post', () => {
    expect(parseTokenRequest({ ...CODE_BODY, client_secret: 's3cret' })).toMatchObject({
      clientId: 'app',
      clientAuth: { method: 'client_secret_post', secret: 's3cret' },
    });
  });

  it('AS-11: client_secret_basic, with or without the same client_id in the body', () => {
    const { client_id: _omitted, ...withoutId } = CODE_BODY;
    const expected = { clientId: 'app', clientAuth: { method: 'client_secret_basic', secret: 's3cret' } };
    expect(parseTokenRequest(withoutId, basic('app', 's3cret'))).toMatchObject(expected);
    expect(parseTokenRequest(CODE_BODY, basic('app', 's3cret'))).toMatchObject(expected);
  });

  it('RFC 6749 §2.3.1: the Basic id and secret are form-urlencoded', () => {
    expect(parseTokenRequest({ ...CODE_BODY, client_id: 'a:b' }, basic('a:b', 'p%ss+w:rd é'))).toMatchObject({
      clientId: 'a:b',
      clientAuth: { secret: 'p%ss+w:rd é' },
    });
  });

  it('both Basic and client_secret in the body → invalid_request', () => {
    const result = parseTokenRequest({ ...CODE_BODY, client_secret: 's3cret' }, basic('app', 's3cret'));
    expect(result).toMatchObject({ error: 'invalid_request' });
  });

  it('a body client_id that differs from Basic → invalid_client', () => {
    expect(parseTokenRequest({ ...CODE_BODY, client_id: 'other' }, basic('app', 's3cret'))).toMatchObject({
      error: 'invalid_client',
    });
  });

  it('AS-11: no client identification at all → invalid_client', () => {
    const { client_id: _omitted, ...body } = CODE_BODY;
    expect(parseTokenRequest(body)).toMatchObject({ error: 'invalid_client' });
    expect(parseTokenRequest({ ...body, client_secret: 's3cret' })).toMatchObject({
      error: 'invalid_client',
    });
  });

  it.each([
    ['Bearer', 'Bearer abc'],
    ['no credentials', 'Basic'],
    ['not base64', 'Basic !!!!'],
    ['bad base64 length', 'Basic YWJj=='],
    ['no colon', `Basic ${Buffer.from('app').toString('base64')}`],
    ['an empty id', `Basic ${Buffer.from(':s3cret').toString('base64')}`],
    ['an empty secret', `Basic ${Buffer.from('app:').toString('base64')}`],
    ['a malformed escape', `Basic ${Buffer.from('app:%zz').toString('base64')}`],
  ])('a malformed Authorization header (%s) → invalid_client', (_case, header) => {
    expect(parseTokenRequest(CODE_BODY, header)).toEqual({
      error: 'invalid_client',
      description: 'Client authentication failed.',
    });
  });

  it('a client error never echoes the presented secret', () => {
    const result = parseTokenRequest({ ...CODE_BODY, client_id: 'other' }, basic('app', 'TOPSECRET'));
    expect(JSON.stringify(result)).not.toContain('TOPSECRET');
  });
});

describe('parseBasicCredentials', () => {
  it.each([
    ['a lower-case scheme', `basic ${Buffer.from('app:s').toString('base64')}`],
    ['extra spaces', `Basic   ${Buffer.from('app:s').toString('base64')}`],
  ])('accepts %s (RFC 7235: the scheme is case-insensitive)', (_case, header) => {
    expect(parseBasicCredentials(header)).toEqual({ clientId: 'app', secret: 's' });
  });

  it('splits at the first colon of the decoded pair', () => {
    expect(parseBasicCredentials(`Basic ${Buffer.from('app:a:b').toString('base64')}`)).toEqual({
      clientId: 'app',
      secret: 'a:b',
    });
  });
});
