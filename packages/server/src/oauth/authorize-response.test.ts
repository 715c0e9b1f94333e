import { describe, expect, it } from 'vitest';
import { buildRedirect } from './authorize-response.js';

const ISS = 'https://auth.example.com';

describe('buildRedirect', () => {
  it('AS-14: appends code, state and iss (RFC 9207)', () => {
    expect(buildRedirect('https://app.example.com/cb', { code: 'c0de', state: 'xyz', iss: ISS })).toBe(
      'https://app.example.com/cb?code=c0de&state=xyz&iss=https%3A%2F%2Fauth.example.com',
    );
  });

  it('appends an error with its description and no code', () => {
    const url = buildRedirect('https://app.example.com/cb', {
      error: 'login_required',
      error_description: 'Sign in first.',
      iss: ISS,
    });
    expect(url).toBe(
      'https://app.example.com/cb?error=login_required&error_description=Sign+in+first.&iss=https%3A%2F%2Fauth.example.com',
    );
  });

  it.each([
    ['CRLF header injection', 'x\r\nSet-Cookie: a=b'],
    ['a script tag', '"><script>alert(1)</script>'],
    ['a fragment and an extra parameter', 'x#y&code=evil'],
    ['non-ASCII', 'é🙂'],
  ])('encodes %s in state, never raw', (_case, state) => {
    const url = buildRedirect('https://app.example.com/cb', { code: 'c', state, iss: ISS });
    expect(url).not.toMatch(/[\r\n<>"# ]/);
    const parsed = new URL(url);
    expect(parsed.searchParams.get('state')).toBe(state);
    expect(parsed.searchParams.getAll('code')).toEqual(['c']);
    expect(parsed.origin + parsed.pathname).toBe('https://app.example.com/cb');
  });

  it.each([
    [
      'a query of its own',
      'https://app.example.com/cb?tenant=acme',
      'https://app.example.com/cb?tenant=acme&code=c&iss=i',
    ],
    ['an empty query', 'https://app.example.com/cb?', 'https://app.example.com/cb?code=c&iss=i'],
    ['a query ending in &', 'https://app.example.com/cb?a=1&', 'https://app.example.com/cb?a=1&code=c&iss=i'],
    [
      'an upper-case host, kept byte for byte',
      'https://App.example.com/cb',
      'https://App.example.com/cb?code=c&iss=i',
    ],
  ])('keeps a registered URI with %s (RFC 6749 §3.1.2)', (_case, registered, expected) => {
    expect(buildRedirect(registered, { code: 'c', iss: 'i' })).toBe(expected);
  });

  it('refuses a redirect URI with a fragment (a programmer error)', () => {
    expect(() => buildRedirect('https://app.example.com/cb#x', { code: 'c', iss: ISS })).toThrow();
  });
});
