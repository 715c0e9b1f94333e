import { describe, expect, it } from 'vitest';
import { clientUrlProblems, originProblem, redirectUriProblem } from './client-urls.js';

describe('originProblem', () => {
  it.each([
    'https://app.example.com',
    'https://app.example.com:8443',
    'http://localhost:5173',
    'http://127.0.0.1:3000',
    'http://[::1]:3000',
    'https://xn--bcher-kva.example',
  ])('accepts the exact origin %s', (origin) => {
    expect(originProblem(origin)).toBeNull();
  });

  it.each([
    ['a path', 'https://app.example.com/app'],
    ['a trailing slash', 'https://app.example.com/'],
    ['a wildcard', 'https://*.example.com'],
    ['upper case', 'https://App.example.com'],
    ['the default port', 'https://app.example.com:443'],
    ['a query', 'https://app.example.com?x=1'],
    ['credentials', 'https://user@app.example.com'],
    ['plain http off loopback', 'http://app.example.com'],
    ['a non-web scheme', 'file:///etc/passwd'],
    ['the opaque null origin', 'null'],
    ['a relative value', 'app.example.com'],
    ['a loopback look-alike', 'http://localhost.example.com'],
  ])('refuses %s', (_case, origin) => {
    expect(originProblem(origin)).not.toBeNull();
  });
});

describe('redirectUriProblem', () => {
  it.each([
    'https://app.example.com/callback',
    'https://app.example.com/callback?tenant=acme',
    'http://localhost:5173/callback',
    'http://127.0.0.1/cb',
  ])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeNull();
  });

  it.each([
    ['a fragment', 'https://app.example.com/callback#x'],
    ['an empty fragment', 'https://app.example.com/callback#'],
    ['a relative path', '/callback'],
    ['plain http off loopback', 'http://app.example.com/callback'],
    ['a wildcard', 'https://*.example.com/callback'],
    ['credentials', 'https://user:pw@app.example.com/callback'],
    ['javascript:', 'javascript:alert(1)'],
    ['a custom scheme', 'com.example.app:/callback'],
  ])('refuses %s', (_case, uri) => {
    expect(redirectUriProblem(uri)).not.toBeNull();
  });
});

describe('clientUrlProblems', () => {
  it('reports every problem at once, by field and index, without echoing values', () => {
    const problems = clientUrlProblems({
      allowedOrigins: ['https://ok.example.com', 'https://bad.example.com/'],
      redirectUris: ['http://evil.example.com/cb'],
      postLogoutRedirectUris: ['https://ok.example.com/bye', 'https://ok.example.com/bye'],
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^allowedOrigins\[1\] /);
    expect(problems[1]).toMatch(/^redirectUris\[0\] /);
    expect(problems[2]).toBe('postLogoutRedirectUris[1] is a duplicate.');
    expect(problems.join(' ')).not.toContain('example.com');
  });

  it('finds nothing in absent or empty lists', () => {
    expect(clientUrlProblems({})).toEqual([]);
    expect(clientUrlProblems({ allowedOrigins: [], redirectUris: [], postLogoutRedirectUris: [] })).toEqual(
      [],
    );
  });
});
