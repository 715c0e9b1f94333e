import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  admin,
  adminPage,
  fieldError,
  formError,
  nextCursorOf,
  onUnauthorized,
  parseLinkHeader,
  queryString,
  signIn,
  toApiError,
} from './api';

describe('parseLinkHeader', () => {
  it.each([
    [
      'the admin API’s next link',
      '</admin/v1/environments/default/users?cursor=abc&limit=2>; rel="next"',
      { next: '/admin/v1/environments/default/users?cursor=abc&limit=2' },
    ],
    ['an unquoted relation', '</a>; rel=next', { next: '/a' }],
    [
      'several links, commas inside a URL',
      '</a?x=1,2>; rel="next", </b>; rel="prev"',
      { next: '/a?x=1,2', prev: '/b' },
    ],
    ['a link with several relations', '</a>; rel="next last"', { next: '/a', last: '/a' }],
    ['other parameters around rel', '</a>; title="x;y"; rel="next"; type="text/html"', { next: '/a' }],
    ['letter case of the relation', '</a>; REL="Next"', { next: '/a' }],
    ['the first link of a relation wins', '</a>; rel="next", </b>; rel="next"', { next: '/a' }],
    ['no header', null, {}],
    ['garbage', 'not a link header', {}],
    ['a link without rel', '</a>; title="x"', {}],
  ])('%s', (_name, header, expected) => {
    expect(parseLinkHeader(header)).toEqual(expected);
  });
});

describe('nextCursorOf', () => {
  it('reads the cursor of the next page, decoded', () => {
    expect(nextCursorOf('</admin/v1/x?cursor=a%2Bb%3D&limit=5>; rel="next"')).toBe('a+b=');
  });
  it('is null on the last page, or when the next link has no cursor', () => {
    expect(nextCursorOf(null)).toBeNull();
    expect(nextCursorOf('</admin/v1/x?limit=5>; rel="prev"')).toBeNull();
    expect(nextCursorOf('</admin/v1/x?limit=5>; rel="next"')).toBeNull();
  });
});

describe('toApiError', () => {
  it('keeps the admin API’s error, message and field', () => {
    const error = toApiError(400, {
      error: 'invalid_request',
      message: 'Invalid request: redirectUris[0] must be an absolute URL.',
      field: '/redirectUris/0',
    });
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.message, error.field]).toEqual([
      400,
      'invalid_request',
      'Invalid request: redirectUris[0] must be an absolute URL.',
      '/redirectUris/0',
    ]);
  });
  it('has no field when the API names none', () => {
    expect(toApiError(409, { error: 'conflict', message: 'Conflict.' }).field).toBeNull();
  });
  it.each([
    ['an HTML page from a proxy', 502, '<html><script>alert(1)</script></html>', 'The server answered 502.'],
    ['no body', 503, null, 'The server is unavailable. Try again shortly.'],
    ['a body of another shape', 404, { error: 404, message: ['x'] }, 'Not found.'],
    [
      'a field that is not text',
      400,
      { error: 'invalid_request', message: 'm', field: 3 },
      'The request was refused.',
    ],
  ])('uses a generic message for %s', (_name, status, body, message) => {
    const error = toApiError(status, body);
    expect(error.message).toBe(message);
    expect(error.code).toBe(`http_${status}`);
  });
});

describe('fieldError and formError', () => {
  const error = new ApiError(400, 'invalid_request', 'Must be an absolute URL.', '/redirectUris/1');
  it('finds the error of a field, or of a field inside it', () => {
    expect(fieldError(error, '/redirectUris/1')).toBe('Must be an absolute URL.');
    expect(fieldError(error, '/redirectUris')).toBe('Must be an absolute URL.');
    expect(fieldError(error, '/redirectUris/0')).toBeNull();
    expect(fieldError(error, '/redirect')).toBeNull();
  });
  it('matches a query parameter by name', () => {
    const query = new ApiError(400, 'invalid_request', 'Bad since.', 'since');
    expect(fieldError(query, 'since')).toBe('Bad since.');
    expect(fieldError(query, '/since')).toBe('Bad since.');
  });
  it('shows an error once: beside its field, else for the form', () => {
    expect(formError(error, ['/redirectUris'])).toBeNull();
    expect(formError(error, ['/name'])).toBe('Must be an absolute URL.');
    expect(formError(new Error('boom'), ['/name'])).toBe('Something went wrong. Try again.');
    expect(formError(null, [])).toBeNull();
  });
});

describe('queryString', () => {
  it('keeps only values that are set, escaped', () => {
    expect(
      queryString({ type: 'admin.*,session.ended', userId: '', sid: null, limit: 50, x: undefined }),
    ).toBe('?type=admin.*%2Csession.ended&limit=50');
    expect(queryString({ a: '' })).toBe('');
  });
});

describe('requests', () => {
  const calls: { url: string; init: RequestInit }[] = [];
  function answer(response: Response) {
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return response;
    });
  }
  afterEach(() => {
    vi.unstubAllGlobals();
    calls.length = 0;
    onUnauthorized(() => {});
  });

  it('sends the CSRF header on every call, and JSON bodies as JSON', async () => {
    answer(new Response(JSON.stringify({ id: 't1' }), { status: 201 }));
    await admin('/environments/default/tenants', { method: 'POST', body: { name: 'Acme' } });
    const [call] = calls;
    expect(call?.url).toBe('/admin/v1/environments/default/tenants');
    expect(call?.init.headers).toMatchObject({
      'x-tessera-request': '1',
      'content-type': 'application/json',
    });
    expect(call?.init.credentials).toBe('same-origin');
    expect(call?.init.body).toBe('{"name":"Acme"}');
  });

  it('reads a page and its next cursor from the Link header', async () => {
    answer(
      new Response('[{"id":"u1"}]', {
        headers: { link: '</admin/v1/environments/default/users?cursor=c2&limit=1>; rel="next"' },
      }),
    );
    expect(await adminPage('/environments/default/users?limit=1')).toEqual({
      items: [{ id: 'u1' }],
      nextCursor: 'c2',
    });
  });

  it('turns a 401 into a return to sign-in', async () => {
    const signedOut = vi.fn();
    onUnauthorized(signedOut);
    answer(new Response('{"error":"unauthorized","message":"Unauthorized."}', { status: 401 }));
    await expect(admin('/environments')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(signedOut).toHaveBeenCalledOnce();
  });

  it('does not treat a wrong admin key at sign-in as an ended session', async () => {
    const signedOut = vi.fn();
    onUnauthorized(signedOut);
    answer(new Response('{"error":"unauthorized","message":"Unauthorized."}', { status: 401 }));
    await expect(signIn('wrong')).rejects.toMatchObject({ status: 401 });
    expect(signedOut).not.toHaveBeenCalled();
    expect(calls[0]?.url).toBe('/console/api/session');
  });

  it('maps a network failure to a readable error', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(admin('/environments')).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });
});
