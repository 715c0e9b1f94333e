import { describe, expect, it } from 'vitest';
import { REDIRECT_PAYLOADS, REGISTERED } from './redirect-payloads.test-helpers.js';
import { matchPostLogoutRedirectUri, matchRegisteredRedirectUri } from './redirect-uri.js';

const client = {
  redirectUris: [REGISTERED],
  postLogoutRedirectUris: [REGISTERED],
};
const twoUris = ['https://app.example.com/cb', 'https://app.example.com/other'];

describe.each([
  [
    'matchRegisteredRedirectUri',
    (uris: string[], requested: string | undefined) =>
      matchRegisteredRedirectUri({ redirectUris: uris }, requested),
  ],
  [
    'matchPostLogoutRedirectUri',
    (uris: string[], requested: string | undefined) =>
      matchPostLogoutRedirectUri({ postLogoutRedirectUris: uris }, requested),
  ],
] as const)('%s', (_name, match) => {
  it('AS-01: accepts the exact registered value', () => {
    expect(match(client.redirectUris, REGISTERED)).toEqual({ ok: true, uri: REGISTERED });
  });

  it('accepts any one of several registered values, exactly', () => {
    expect(match(twoUris, 'https://app.example.com/other')).toEqual({
      ok: true,
      uri: 'https://app.example.com/other',
    });
  });

  it.each(REDIRECT_PAYLOADS)('AS-01/AS-10: refuses %s: %j', (_category, payload) => {
    expect(match(client.redirectUris, payload)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each([
    ['one registered URI: defaults to it', [REGISTERED], { ok: true, uri: REGISTERED }],
    ['several registered URIs: required', twoUris, { ok: false, reason: 'missing' }],
    ['none registered: refused', [], { ok: false, reason: 'missing' }],
  ] as const)('absent parameter, %s', (_case, uris, expected) => {
    expect(match([...uris], undefined)).toEqual(expected);
  });

  it('never matches anything for a client without registrations', () => {
    expect(match([], REGISTERED)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('matchRegisteredRedirectUri', () => {
  it('returns the stored string, not the requested one', () => {
    const requested = ['https://app.example.com', '/cb'].join('');
    const result = matchRegisteredRedirectUri(client, requested);
    expect(result.ok && result.uri).toBe(client.redirectUris[0]);
  });

  it('does not confuse redirect URIs with post-logout URIs', () => {
    const split = { redirectUris: [REGISTERED], postLogoutRedirectUris: ['https://app.example.com/bye'] };
    expect(matchRegisteredRedirectUri(split, 'https://app.example.com/bye').ok).toBe(false);
    expect(matchPostLogoutRedirectUri(split, REGISTERED).ok).toBe(false);
  });
});
