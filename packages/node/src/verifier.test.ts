/**
 * The verifier against hostile tokens (security.md §1.3 JWT-*, §1.9 MW-01…03, §2.1), with real keys
 * and a local issuer whose JWKS endpoint records every request. "Refused before any key lookup" is
 * shown by a fresh verifier that made no JWKS fetch: crypto needs the key, the key needs the fetch.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TOKEN_LENGTH } from './compact-jws.js';
import { TesseraVerifyError, type VerifyErrorCode } from './errors.js';
import * as api from './index.js';
import {
  b64url,
  encodePart,
  generateTestKey,
  type LocalIssuer,
  recordingFetch,
  signBytes,
  signJws,
  startLocalIssuer,
  type TestKey,
} from './testing/local-issuer.js';
import { createVerifier, type Verifier } from './verifier.js';

const NOW = Math.floor(Date.now() / 1000);
const clock = { now: () => NOW };

let issuer: LocalIssuer;
let verifier: Verifier;
let fetched: ReturnType<typeof recordingFetch>;
const verifiers: Verifier[] = [];

function makeVerifier(options: Partial<Parameters<typeof createVerifier>[0]> = {}): Verifier {
  const v = createVerifier({ issuer: issuer.url, audience: 'app', fetch: fetched.fetch, clock, ...options });
  verifiers.push(v);
  return v;
}

/** The error code `verify` refuses `token` with, or `accepted`. */
async function outcome(token: string, v: Verifier = verifier): Promise<VerifyErrorCode | 'accepted'> {
  try {
    await v.verify(token);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(TesseraVerifyError);
    return (error as TesseraVerifyError).code;
  }
}

const token = (options: Parameters<LocalIssuer['token']>[0] = {}) => issuer.token({ now: NOW, ...options });
const claims = (overrides: Record<string, unknown> = {}) => issuer.claims(overrides, NOW);
const header = (overrides: Record<string, unknown> = {}) => ({
  alg: 'ES256',
  kid: issuer.key.kid,
  typ: 'at+jwt',
  ...overrides,
});
const signed = (h: object | string, p: object | string) => signJws(h, p, issuer.key.privateKey, 'ES256');
const segments = (t: string) => t.split('.') as [string, string, string];

let rsaPair: TestKey | undefined;
/**
 * A 2048-bit RSA key under a kid of its own, published for `alg`. The pair is generated once for the
 * file (each costs up to a second on a busy machine): these tests are about the algorithm a key is
 * used with, not about the key.
 */
function rsaKey(alg: 'RS256' | 'PS256'): TestKey {
  rsaPair ??= generateTestKey('RS256', undefined, 2048);
  const kid = `${alg.toLowerCase()}-${randomBytes(4).toString('hex')}`;
  return { ...rsaPair, kid, alg, publicJwk: { ...rsaPair.publicJwk, kid, alg } };
}

beforeEach(async () => {
  issuer = await startLocalIssuer();
  fetched = recordingFetch();
  verifier = makeVerifier();
});

afterEach(async () => {
  vi.useRealTimers();
  for (const v of verifiers.splice(0)) await v.close();
  await issuer.close();
});

describe('a valid token', () => {
  it('verifies, returns its claims, and costs one JWKS fetch for many verifications', async () => {
    const t = token({ claims: { sub: 'user-bob', roles: ['member'] } });
    for (let i = 0; i < 20; i++) {
      await expect(verifier.verify(t)).resolves.toMatchObject({
        iss: issuer.url,
        sub: 'user-bob',
        tenantId: 'acme',
        roles: ['member'],
      });
    }
    expect(issuer.jwksRequests()).toBe(1);
    expect(fetched.urls).toEqual([`${issuer.url}/.well-known/jwks.json`]);
  });

  it('refuses a missing or empty token with token_missing', async () => {
    await expect(verifier.verify(undefined)).rejects.toMatchObject({ code: 'token_missing', status: 401 });
    await expect(verifier.verify('')).rejects.toMatchObject({ code: 'token_missing' });
    await expect(verifier.verify(null)).rejects.toMatchObject({ code: 'token_missing' });
  });
});

describe('JWT-01: the signature is verified before any claim is used', () => {
  it('refuses a flipped bit in any of 64 random signature positions', async () => {
    const [h, p, s] = segments(token());
    const signature = Buffer.from(s, 'base64url');
    for (let i = 0; i < 64; i++) {
      const tampered = Buffer.from(signature);
      const bit = Math.floor(Math.random() * tampered.length * 8);
      tampered[bit >> 3]! ^= 1 << (bit & 7);
      expect(await outcome(`${h}.${p}.${b64url(tampered)}`)).toBe('token_invalid');
    }
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const [h, , s] = segments(token());
    const forged = encodePart(claims({ sub: 'user-root', roles: ['owner'] }));
    expect(await outcome(`${h}.${forged}.${s}`)).toBe('token_invalid');
  });

  it('refuses a signature of random bytes of the right length', async () => {
    const [h, p] = segments(token());
    expect(await outcome(`${h}.${p}.${b64url(randomBytes(64))}`)).toBe('token_invalid');
  });
});

describe('JWT-02 / §2.1 alg:none and HMAC-with-the-public-key: refused before any key lookup', () => {
  const noneVariants = ['none', 'None', 'NONE', 'nOnE'];

  it.each(noneVariants)('alg %s with an empty signature, a present one, and no trailing dot', async (alg) => {
    const h = encodePart(header({ alg }));
    const p = encodePart(claims());
    expect(await outcome(`${h}.${p}.`)).toBe('token_malformed');
    expect(await outcome(`${h}.${p}`)).toBe('token_malformed');
    expect(await outcome(`${h}.${p}.${b64url(randomBytes(64))}`)).toBe('token_invalid');
    expect(issuer.jwksRequests()).toBe(0);
  });

  it('HS256/384/512 keyed with the public key as PEM (also with whitespace or CRLF), SPKI DER, JWK and JWKS text', async () => {
    const pem = issuer.key.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const der = issuer.key.publicKey.export({ type: 'spki', format: 'der' });
    const jwkText = JSON.stringify(issuer.key.publicJwk);
    const secrets: (string | Buffer)[] = [
      pem,
      `  ${pem}`,
      `\n${pem}`,
      pem.replace(/\n/g, '\r\n'),
      pem.trim(),
      der,
      jwkText,
      JSON.stringify({ keys: [issuer.key.publicJwk] }),
      Buffer.from(String(issuer.key.publicJwk.x), 'base64url'),
    ];
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      for (const secret of secrets) {
        expect(await outcome(signJws(header({ alg }), claims(), secret as Buffer, alg))).toBe(
          'token_invalid',
        );
      }
    }
    expect(issuer.jwksRequests()).toBe(0);
  });

  it('HS256 keyed with an RSA key as PEM, JWK text and raw n, when RS256 is pinned', async () => {
    const rsa = rsaKey('RS256');
    issuer.published = [rsa];
    const rs = makeVerifier({ algorithms: ['RS256'] });
    const secrets: (string | Buffer)[] = [
      rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      JSON.stringify(rsa.publicJwk),
      Buffer.from(String(rsa.publicJwk.n), 'base64url'),
      String(rsa.publicJwk.n),
    ];
    for (const secret of secrets) {
      const forged = signJws(header({ alg: 'HS256', kid: rsa.kid }), claims(), secret as Buffer, 'HS256');
      expect(await outcome(forged, rs)).toBe('token_invalid');
    }
    expect(await outcome(issuer.token({ key: rsa, now: NOW }), rs)).toBe('accepted');
  });
});

describe('JWT-02 / §2.1 algorithm swap: only the pinned algorithm, even with a real published key', () => {
  it.each(['RS256', 'PS256', 'ES384', 'EdDSA'] as const)('%s when ES256 is pinned', async (alg) => {
    const other = alg === 'RS256' || alg === 'PS256' ? rsaKey(alg) : generateTestKey(alg);
    issuer.published = [issuer.key, other];
    expect(await outcome(issuer.token({ key: other, now: NOW }))).toBe('token_invalid');
    // The same token passes a verifier that pins its algorithm: it is the pin that refuses it.
    expect(await outcome(issuer.token({ key: other, now: NOW }), makeVerifier({ algorithms: [alg] }))).toBe(
      'accepted',
    );
  });

  it('ES256 when only RS256 is pinned', async () => {
    expect(await outcome(token(), makeVerifier({ algorithms: ['RS256'] }))).toBe('token_invalid');
  });
});

describe('JWT-03 / §2.1 key from the header: jwk, jku, x5u, x5c are ignored, and nothing is fetched', () => {
  let attacker: Server;
  let attackerUrl: string;
  let attackerHits = 0;

  beforeEach(async () => {
    attackerHits = 0;
    attacker = createServer((_request, response) => {
      attackerHits++;
      response.end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => attacker.close(resolve));
  });

  it.each(['jwk', 'jku', 'x5u', 'x5c'])(
    'a token signed by an attacker key that carries %s',
    async (member) => {
      const evil = generateTestKey('ES256', issuer.key.kid);
      const values: Record<string, unknown> = {
        jwk: evil.publicJwk,
        jku: `${attackerUrl}/jwks.json`,
        x5u: `${attackerUrl}/cert.pem`,
        x5c: [evil.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')],
      };
      for (const kid of [issuer.key.kid, 'attacker-kid']) {
        const forged = signJws(header({ kid, [member]: values[member] }), claims(), evil.privateKey, 'ES256');
        expect(await outcome(forged)).toBe('token_invalid');
      }
      expect(attackerHits).toBe(0);
      expect(fetched.urls.every((url) => url === `${issuer.url}/.well-known/jwks.json`)).toBe(true);
    },
  );
});

describe('JWT-04 / §2.1 kid injection: an opaque lookup key, no stampede', () => {
  it.each([
    ['../../dev/null'],
    ['/proc/self/environ'],
    ["' OR 1=1--"],
    ["' OR '1'='1"],
    [null],
    [42],
    [{ $ne: '' }],
    [['a']],
    [''],
    ['k'.repeat(300)],
  ])('kid %j is refused', async (kid) => {
    expect(await outcome(signed(header({ kid }), claims()))).toBe('token_invalid');
    expect(issuer.jwksRequests()).toBeLessThanOrEqual(1);
  });

  it('a 10 KB kid is refused by the size cap', async () => {
    expect(await outcome(signed(header({ kid: 'k'.repeat(10_240) }), claims()))).toBe('token_malformed');
  });

  it('a missing kid is refused', async () => {
    expect(await outcome(signed(header({ kid: undefined }), claims()))).toBe('token_invalid');
  });
});

describe('JWT-05: exp and nbf with a leeway of at most 60 s; exp required', () => {
  it('exp: the default leeway (30 s) accepts 29 s past and refuses 30 s and 61 s past', async () => {
    expect(await outcome(token({ claims: { exp: NOW - 29, iat: NOW - 300 } }))).toBe('accepted');
    expect(await outcome(token({ claims: { exp: NOW - 30, iat: NOW - 300 } }))).toBe('token_expired');
    expect(await outcome(token({ claims: { exp: NOW - 61, iat: NOW - 300 } }))).toBe('token_expired');
  });

  it('exp: a leeway of 60 s accepts 30 s and 59 s past, refuses 60 s and 61 s past', async () => {
    const lenient = makeVerifier({ clockToleranceSeconds: 60 });
    expect(await outcome(token({ claims: { exp: NOW - 30, iat: NOW - 300 } }), lenient)).toBe('accepted');
    expect(await outcome(token({ claims: { exp: NOW - 59, iat: NOW - 300 } }), lenient)).toBe('accepted');
    expect(await outcome(token({ claims: { exp: NOW - 60, iat: NOW - 300 } }), lenient)).toBe(
      'token_expired',
    );
    expect(await outcome(token({ claims: { exp: NOW - 61, iat: NOW - 300 } }), lenient)).toBe(
      'token_expired',
    );
  });

  it('a leeway of 0 refuses a token at its exp second', async () => {
    const exact = makeVerifier({ clockToleranceSeconds: 0 });
    expect(await outcome(token({ claims: { exp: NOW + 1 } }), exact)).toBe('accepted');
    expect(await outcome(token({ claims: { exp: NOW } }), exact)).toBe('token_expired');
  });

  it('nbf: 30 s ahead is accepted, 31 s and 61 s ahead are refused', async () => {
    expect(await outcome(token({ claims: { nbf: NOW + 30 } }))).toBe('accepted');
    expect(await outcome(token({ claims: { nbf: NOW + 31 } }))).toBe('token_not_yet_valid');
    expect(await outcome(token({ claims: { nbf: NOW + 61 } }))).toBe('token_not_yet_valid');
    expect(await outcome(token({ claims: { nbf: 'now' } }))).toBe('claim_invalid');
  });

  it.each([
    ['missing', undefined, 'claim_invalid'],
    ['a string', String(NOW + 300), 'claim_invalid'],
    ['a float', NOW + 300.5, 'claim_invalid'],
    ['1e308', 1e308, 'claim_invalid'],
    ['negative', -1, 'token_expired'],
    ['beyond a day after iat', NOW + 86_401, 'claim_invalid'],
    ['before iat', NOW - 1, 'claim_invalid'],
  ] as const)('exp %s is refused', async (_name, exp, code) => {
    const lenient = makeVerifier({ clockToleranceSeconds: 60 });
    expect(await outcome(token({ claims: { exp } }), lenient)).toBe(code);
  });

  it('iat: up to the leeway ahead is accepted, further ahead or far future refused', async () => {
    expect(await outcome(token({ claims: { iat: NOW + 30, exp: NOW + 330 } }))).toBe('accepted');
    expect(await outcome(token({ claims: { iat: NOW + 31, exp: NOW + 331 } }))).toBe('claim_invalid');
    expect(await outcome(token({ claims: { iat: NOW + 86_400 * 365, exp: NOW + 86_400 * 365 + 300 } }))).toBe(
      'claim_invalid',
    );
    expect(await outcome(token({ claims: { iat: 'yesterday' } }))).toBe('claim_invalid');
  });
});

describe('JWT-06 / §2.1 explicit typing: only at+jwt', () => {
  it.each([
    [undefined],
    ['JWT'],
    ['jwt'],
    ['id_token'],
    ['id_token+jwt'],
    ['logout+jwt'],
    ['application/jwt'],
    ['state+jwt'],
    ['at+jwt '],
    ['at+jwt; charset=utf-8'],
    [['at+jwt']],
    [7],
  ])('typ %j is refused', async (typ) => {
    expect(await outcome(signed(header({ typ }), claims()))).toBe('token_invalid');
  });

  it('typ application/at+jwt and AT+JWT are accepted (RFC 9068 §4; media types ignore case)', async () => {
    expect(await outcome(signed(header({ typ: 'application/at+jwt' }), claims()))).toBe('accepted');
    expect(await outcome(signed(header({ typ: 'AT+JWT' }), claims()))).toBe('accepted');
  });
});

describe('JWT-07 / JWT-09: aud names this resource server', () => {
  it('refuses another audience and a missing one', async () => {
    expect(await outcome(token({ claims: { aud: 'billing-api' } }))).toBe('audience_mismatch');
    expect(await outcome(token({ claims: { aud: undefined } }))).toBe('audience_mismatch');
    expect(await outcome(token({ claims: { aud: ['billing-api', 'reports'] } }))).toBe('audience_mismatch');
    expect(await outcome(token({ claims: { aud: 42 } }))).toBe('audience_mismatch');
  });

  it('accepts an array that contains the audience (RFC 7519 §4.1.3, the documented policy)', async () => {
    expect(await outcome(token({ claims: { aud: ['billing-api', 'app'] } }))).toBe('accepted');
  });

  it('an allowlist of several audiences accepts each', async () => {
    const both = makeVerifier({ audience: ['app', 'admin-console'] });
    expect(await outcome(token({ claims: { aud: 'admin-console' } }), both)).toBe('accepted');
    expect(await outcome(token({ claims: { aud: 'app' } }), both)).toBe('accepted');
    expect(await outcome(token({ claims: { aud: 'other' } }), both)).toBe('audience_mismatch');
  });

  it('JWT-09: with one signing key, a token minted for RS-A is refused at RS-B', async () => {
    const rsA = makeVerifier({ audience: 'rs-a' });
    const rsB = makeVerifier({ audience: 'rs-b' });
    const forA = token({ claims: { aud: 'rs-a' } });
    expect(await outcome(forA, rsA)).toBe('accepted');
    expect(await outcome(forA, rsB)).toBe('audience_mismatch');
  });
});

describe('JWT-08: iss matches exactly', () => {
  it('refuses a trailing slash, http for https, another case, another issuer, and none', async () => {
    const url = new URL(issuer.url);
    for (const iss of [
      `${issuer.url}/`,
      issuer.url.replace('http:', 'https:'),
      `http://LOCALHOST:${url.port}`,
      `http://127.0.0.1:${url.port}/other`,
      'https://evil.example',
      undefined,
      ['x'],
    ]) {
      expect(await outcome(token({ claims: { iss } }))).toBe('issuer_mismatch');
    }
  });

  it('a configured issuer with a trailing slash is normalized as the server writes it', async () => {
    expect(await outcome(token(), makeVerifier({ issuer: `${issuer.url}/` }))).toBe('accepted');
  });
});

describe('JWT-10: the user is iss + sub, never the email', () => {
  it('two tokens with one email and two subs are two users', async () => {
    const a = await verifier.verify(token({ claims: { sub: 'user-1', email: 'same@example.com' } }));
    const b = await verifier.verify(token({ claims: { sub: 'user-2', email: 'same@example.com' } }));
    expect([a.iss, a.sub]).not.toEqual([b.iss, b.sub]);
  });
});

describe('JWT-11 / §2.1 claims: required and typed', () => {
  it.each([
    ['sid', undefined],
    ['sid', ''],
    ['sid', ['a']],
    ['sid', { id: 'a' }],
    ['sid', 7],
    ['tenantId', undefined],
    ['tenantId', ''],
    ['tenantId', ['acme']],
    ['tenantId', { id: 'acme' }],
    ['sub', undefined],
    ['sub', ''],
    ['sub', 1],
    ['jti', undefined],
    ['client_id', undefined],
    ['iat', undefined],
    ['tenantIds', undefined],
    ['tenantIds', 'acme'],
    ['tenantIds', ['acme', 1]],
    ['roles', undefined],
    ['roles', [null]],
    ['permissions', 'users:read'],
    ['email', 7],
    ['name', ['Ada']],
    ['auth_time', 'today'],
  ])('%s = %j is refused', async (claim, value) => {
    expect(await outcome(token({ claims: { [claim]: value } }))).toBe('claim_invalid');
  });

  it('name null is accepted (a user without a display name)', async () => {
    expect(await outcome(token({ claims: { name: null } }))).toBe('accepted');
  });
});

describe('JWT-12: weak keys are refused', () => {
  it('an RS256 token from a 1024-bit RSA key in the JWKS is refused (fails closed)', async () => {
    const weak = generateTestKey('RS256', undefined, 1024);
    issuer.published = [weak];
    const code = await outcome(
      issuer.token({ key: weak, now: NOW }),
      makeVerifier({ algorithms: ['RS256'] }),
    );
    expect(code).toBe('internal_error');
  });
});

describe('JWT-13 / §2.1 crit and b64', () => {
  it.each([
    [{ crit: ['exp'], exp: NOW + 300 }],
    [{ crit: ['unknown'], unknown: true }],
    [{ crit: [] }],
    [{ b64: false, crit: ['b64'] }],
    [{ b64: false }],
    [{ b64: true }],
  ])('%j is refused before any key lookup', async (extra) => {
    expect(await outcome(signed(header(extra), claims()))).toBe('token_invalid');
    expect(issuer.jwksRequests()).toBe(0);
  });
});

describe('JWT-14 / §2.1 duplicate names', () => {
  it.each([
    ['header alg, then none', `{"alg":"ES256","alg":"none","kid":"KID","typ":"at+jwt"}`, null],
    ['header typ twice', `{"alg":"ES256","kid":"KID","typ":"JWT","typ":"at+jwt"}`, null],
    [
      'header alg spelled with uppercase-hex escapes',
      `{"alg":"ES256","\\u0061\\u006C\\u0067":"none","kid":"KID","typ":"at+jwt"}`,
      null,
    ],
    ['payload sub twice', null, 'sub'],
    ['payload tenantId twice', null, 'tenantId'],
  ])('%s is refused, never last-wins', async (_name, headerText, claim) => {
    const h = headerText ? headerText.replace('KID', issuer.key.kid) : header();
    let p: string | object = claims();
    if (claim) {
      const json = JSON.stringify(claims());
      p = `${json.slice(0, -1)},"${claim}":"someone-else"}`;
    }
    expect(await outcome(signed(h, p))).toBe('token_malformed');
  });
});

describe('JWT-14 / §2.1 encoding', () => {
  it('padding, + and /, whitespace and newlines inside, and non-canonical spare bits are refused', async () => {
    // A payload and a signature with characters that base64 spells + and / ('~' at the end of a
    // 3-byte group encodes as '-'; a signature lacks both in about 7 % of tokens, so draw again).
    let t = token({ claims: { name: 'Ada~~~' } });
    while (!/[-_]/.test(segments(t)[2])) t = token({ claims: { name: 'Ada~~~' } });
    expect(segments(t)[1]).toMatch(/[-_]/);
    const [h, p, s] = segments(t);
    const variants = [
      `${h}=.${p}.${s}`,
      `${h}.${p}==.${s}`,
      `${h}.${p}.${s}=`,
      `${h}.${Buffer.from(p, 'base64url').toString('base64')}.${s}`,
      `${h}.${p}.${Buffer.from(s, 'base64url').toString('base64').replace(/=+$/, '')}`,
      `${h} .${p}.${s}`,
      `${h}.${p.slice(0, 10)}\n${p.slice(10)}.${s}`,
      ` ${t}`,
      `${t}\n`,
      `${h}.${p}.${s.slice(0, -1)}${nudgeSpareBits(s.at(-1)!)}`,
    ];
    for (const variant of variants) {
      expect(variant).not.toBe(t);
      expect(await outcome(variant)).toBe('token_malformed');
    }
  });

  it('non-UTF-8 bytes and a BOM are refused even when correctly signed', async () => {
    const json = Buffer.from(JSON.stringify(claims({ name: 'XX' })));
    const at = json.indexOf('XX');
    json[at] = 0xff;
    json[at + 1] = 0xfe;
    const input = `${encodePart(header())}.${b64url(json)}`;
    expect(await outcome(`${input}.${b64url(signBytes(input, issuer.key.privateKey, 'ES256'))}`)).toBe(
      'token_malformed',
    );
    expect(await outcome(signed(`\uFEFF${JSON.stringify(header())}`, claims()))).toBe('token_malformed');
    expect(await outcome(signed(header(), `\uFEFF${JSON.stringify(claims())}`))).toBe('token_malformed');
  });

  it('a header re-encoded with escapes after signing is refused (the signature covers the bytes)', async () => {
    const [, p, s] = segments(token());
    const escaped = JSON.stringify(header()).replace('"ES256"', '"\\u0045S256"');
    expect(await outcome(`${encodePart(escaped)}.${p}.${s}`)).toBe('token_invalid');
  });
});

describe('JWT-15 / §2.1 structure, JWE bombs and size: refused before any key lookup', () => {
  it.each([
    ['2 segments', (t: string) => t.split('.').slice(0, 2).join('.')],
    ['4 segments', (t: string) => `${t}.${t.split('.')[2]}`],
    ['5 segments (JWE)', (t: string) => `${t}.AAAA.BBBB`],
    ['an empty payload', (t: string) => `${t.split('.')[0]}..${t.split('.')[2]}`],
    [
      'the JWS JSON serialization',
      (t: string) =>
        JSON.stringify({ protected: t.split('.')[0], payload: t.split('.')[1], signature: t.split('.')[2] }),
    ],
    [
      `${MAX_TOKEN_LENGTH + 1} characters`,
      (t: string) => `${t}${'A'.repeat(MAX_TOKEN_LENGTH + 1 - t.length)}`,
    ],
    ['16 KB', () => `${'A'.repeat(8 * 1024)}.${'B'.repeat(8 * 1024)}.C`],
    ['100 KB', () => `${'A'.repeat(50 * 1024)}.${'B'.repeat(50 * 1024)}.C`],
    ['1 MB', () => `${'A'.repeat(512 * 1024)}.${'B'.repeat(512 * 1024)}.C`],
  ])('%s', async (_name, make) => {
    expect(await outcome(make(token()))).toBe('token_malformed');
    expect(issuer.jwksRequests()).toBe(0);
  });

  it.each([
    ['an array', '[1,2]'],
    ['a number', '42'],
    ['null', 'null'],
    ['a string', '"at+jwt"'],
    ['JSON nested 3000 deep', `{"alg":"ES256","x":${'['.repeat(3000)}${']'.repeat(3000)}}`],
  ])('a header that is %s', async (_name, text) => {
    expect(await outcome(signed(text, claims()))).toBe('token_malformed');
    expect(await outcome(signed(header(), text))).toBe('token_malformed');
    expect(issuer.jwksRequests()).toBe(0);
  });

  it('a nested JWT (cty: JWT) is refused', async () => {
    const inner = token();
    expect(await outcome(signed(header({ cty: 'JWT' }), JSON.stringify(inner)))).toBe('token_malformed');
    expect(await outcome(signed(header({ cty: 'JWT' }), claims()))).toBe('token_invalid');
  });

  it('PBES2 with p2c = 2147483647, as a JWE and as a JWS header, does no work', async () => {
    const bomb = {
      alg: 'PBES2-HS256+A128KW',
      enc: 'A128GCM',
      p2c: 2_147_483_647,
      p2s: b64url(randomBytes(16)),
    };
    const jwe = `${encodePart(bomb)}.${b64url(randomBytes(24))}.${b64url(randomBytes(12))}.${b64url(randomBytes(32))}.${b64url(randomBytes(16))}`;
    expect(await outcome(jwe)).toBe('token_malformed');
    expect(await outcome(`${encodePart(bomb)}.${encodePart(claims())}.${b64url(randomBytes(32))}`)).toBe(
      'token_invalid',
    );
    expect(await outcome(signed(header({ p2c: 2_147_483_647, p2s: 'AAAA' }), claims()))).toBe(
      'token_invalid',
    );
    expect(issuer.jwksRequests()).toBe(0);
  });

  it('zip: DEF and enc are refused', async () => {
    expect(await outcome(signed(header({ zip: 'DEF' }), claims()))).toBe('token_invalid');
    expect(await outcome(signed(header({ enc: 'A256GCM' }), claims()))).toBe('token_invalid');
    expect(issuer.jwksRequests()).toBe(0);
  });
});

describe('§2.1 zero and invalid ECDSA signatures', () => {
  it('r = s = 0 (64 zero bytes) is refused (CVE-2022-21449 class)', async () => {
    const [h, p] = segments(token());
    expect(await outcome(`${h}.${p}.${b64url(Buffer.alloc(64))}`)).toBe('token_invalid');
  });

  it('a DER-encoded signature instead of raw r||s is refused', async () => {
    const [h, p] = segments(token());
    const der = signBytes(`${h}.${p}`, issuer.key.privateKey, 'ES256');
    const { sign } = await import('node:crypto');
    const derSignature = sign('sha256', Buffer.from(`${h}.${p}`), {
      key: issuer.key.privateKey,
      dsaEncoding: 'der',
    });
    expect(der.length).toBe(64);
    expect(await outcome(`${h}.${p}.${b64url(derSignature)}`)).toBe('token_invalid');
  });

  it('a high-S copy of a valid token carries the same claims (revocation is by sid, not by token bytes)', async () => {
    const t = token();
    const [h, p, s] = segments(t);
    const malleated = b64url(highS(Buffer.from(s, 'base64url')));
    expect(malleated).not.toBe(s);
    // ECDSA accepts both (r, s) and (r, n − s): nothing may key on the token's bytes. The strict-mode
    // test refuses the high-S copy of a revoked token by its sid (revocation-feed.test.ts).
    const original = await verifier.verify(t);
    await expect(verifier.verify(`${h}.${p}.${malleated}`)).resolves.toEqual(original);
  });
});

// jose ages its cache and cooldown on Date: the tests move Date, not the sockets' timers.
describe('JWT-16: key rotation', () => {
  it('a next key published before it signs is picked up by one refetch; a removed key is refused', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const rotating = makeVerifier({ jwksCooldownSeconds: 1, jwksCacheMaxAgeSeconds: 1 });
    const first = token();
    expect(await outcome(first, rotating)).toBe('accepted');
    const next = generateTestKey('ES256');
    issuer.published = [issuer.key, next];
    vi.setSystemTime(Date.now() + 1100);
    expect(await outcome(first, rotating)).toBe('accepted');
    const fetchesBefore = issuer.jwksRequests();
    expect(await outcome(issuer.token({ key: next, now: NOW }), rotating)).toBe('accepted');
    expect(issuer.jwksRequests()).toBe(fetchesBefore);
    issuer.published = [next];
    vi.setSystemTime(Date.now() + 1100);
    expect(await outcome(first, rotating)).toBe('token_invalid');
  });

  it('an unknown kid after the cooldown costs exactly one refetch, then verifies', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const rotating = makeVerifier({ jwksCooldownSeconds: 1 });
    expect(await outcome(token(), rotating)).toBe('accepted');
    const next = generateTestKey('ES256');
    issuer.published = [next, issuer.key];
    vi.setSystemTime(Date.now() + 1100);
    const before = issuer.jwksRequests();
    expect(await outcome(issuer.token({ key: next, now: NOW }), rotating)).toBe('accepted');
    expect(issuer.jwksRequests()).toBe(before + 1);
  });
});

describe('MW-01: one verify call, no decode-only path', () => {
  it('the package exports nothing that decodes without verifying', () => {
    expect(Object.keys(api).filter((name) => /decode|unsafe|dangerous/i.test(name))).toEqual([]);
    expect(Object.keys(api).sort()).toEqual([
      'TesseraVerifyError',
      'VERIFY_ERROR_CODES',
      'VERIFY_ERROR_STATUS',
      'createVerifier',
      'isTesseraVerifyError',
      'requirePermissions',
      'requireRoles',
      'requireTenant',
      'tesseraExpress',
      'tesseraFastify',
    ]);
  });
});

describe('MW-02: the JWKS is cached, with a cooldown, and a failure fails closed', () => {
  // How long they take is measured in bench/verifier-waits.mjs.
  it('1000 tokens with a random kid at once cost at most one JWKS fetch', async () => {
    const codes = await Promise.all(
      Array.from({ length: 1000 }, () =>
        outcome(signed(header({ kid: randomBytes(8).toString('hex') }), claims())),
      ),
    );
    expect(new Set(codes)).toEqual(new Set(['token_invalid']));
    expect(issuer.jwksRequests()).toBeLessThanOrEqual(1);
    expect(fetched.urls.length).toBeLessThanOrEqual(1);
  });

  it('with the JWKS down, cached keys verify until the cache max-age, then every token fails closed', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const cached = makeVerifier({ jwksCacheMaxAgeSeconds: 300 });
    const t = token();
    expect(await outcome(t, cached)).toBe('accepted');
    issuer.jwksMode = 'down';
    vi.setSystemTime(Date.now() + 299_000);
    expect(await outcome(t, cached)).toBe('accepted');
    expect(issuer.jwksRequests()).toBe(1);
    vi.setSystemTime(Date.now() + 2_000);
    await expect(cached.verify(t)).rejects.toMatchObject({ code: 'jwks_unavailable', status: 503 });
    expect(issuer.jwksRequests()).toBe(2);
    // Failing fast: no refetch for a few seconds, every request answered at once.
    for (let i = 0; i < 50; i++) expect(await outcome(t, cached)).toBe('jwks_unavailable');
    expect(issuer.jwksRequests()).toBe(2);
    issuer.jwksMode = 'ok';
    vi.setSystemTime(Date.now() + 5_001);
    expect(await outcome(t, cached)).toBe('accepted');
    expect(issuer.jwksRequests()).toBe(3);
  });

  it.each(['malformed', 'html', 'redirect'] as const)(
    'a %s JWKS answer never replaces the good cache',
    async (mode) => {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
      const cached = makeVerifier({ jwksCacheMaxAgeSeconds: 60, jwksCooldownSeconds: 1 });
      const t = token();
      expect(await outcome(t, cached)).toBe('accepted');
      issuer.jwksMode = mode;
      vi.setSystemTime(Date.now() + 2_000);
      // An unknown kid after the cooldown makes jose refetch; the bad answer changes nothing.
      expect(await outcome(signed(header({ kid: 'unknown' }), claims()), cached)).toBe('jwks_unavailable');
      expect(await outcome(t, cached)).toBe('accepted');
    },
  );

  it('a JWKS that does not answer in time is jwks_unavailable, and the next requests do not wait', async () => {
    issuer.jwksMode = 'slow';
    const slow = makeVerifier({ jwksTimeoutSeconds: 1 });
    // jose's own timeout (AbortSignal.timeout, 1 s at least) ends the first; bench/verifier-waits.mjs times both.
    await expect(slow.verify(token())).rejects.toMatchObject({ code: 'jwks_unavailable' });
    expect(issuer.jwksRequests()).toBe(1);
    // The next one is refused without asking the JWKS again, so without waiting for it.
    await expect(slow.verify(token())).rejects.toMatchObject({ code: 'jwks_unavailable' });
    expect(issuer.jwksRequests()).toBe(1);
  });
});

describe('MW-03: fails closed on any internal error', () => {
  it('a fetch that throws is jwks_unavailable (503)', async () => {
    const broken = makeVerifier({
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    await expect(broken.verify(token())).rejects.toMatchObject({ code: 'jwks_unavailable', status: 503 });
  });

  it('a fetch that returns garbage, or throws a non-Error, is jwks_unavailable', async () => {
    const garbage = makeVerifier({ fetch: async () => new Response('{"keys":"nope"}', { status: 200 }) });
    await expect(garbage.verify(token())).rejects.toMatchObject({ code: 'jwks_unavailable' });
    const odd = makeVerifier({ fetch: () => Promise.reject('a string') });
    await expect(odd.verify(token())).rejects.toMatchObject({ code: 'jwks_unavailable' });
  });

  it('a clock that throws is internal_error, never an accepted token', async () => {
    const broken = makeVerifier({
      clock: {
        now: () => {
          throw new Error('clock broke');
        },
      },
    });
    await expect(broken.verify(token())).rejects.toMatchObject({ code: 'internal_error', status: 500 });
  });

  it('an unknown alg is refused with 401, not an exception of another kind', async () => {
    expect(await outcome(signed(header({ alg: 'ES257' }), claims()))).toBe('token_invalid');
  });

  it('every error is a TesseraVerifyError with a generic message that never contains the token', async () => {
    const t = token({ claims: { exp: NOW - 3600, iat: NOW - 3900 } });
    const error = await verifier.verify(t).catch((e: unknown) => e as TesseraVerifyError);
    expect(error).toBeInstanceOf(TesseraVerifyError);
    expect(error.message).not.toContain(t.slice(0, 20));
    expect(error.message).toBe('The access token has expired.');
  });
});

/** Flips an unused bit of the last base64url character: it decodes to the same bytes. */
function nudgeSpareBits(last: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return alphabet[alphabet.indexOf(last) ^ 1]!;
}

/** (r, s) → (r, n − s) on P-256: the other valid signature of the same message. */
function highS(signature: Buffer): Buffer {
  const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
  const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
  const flipped = (n - s).toString(16).padStart(64, '0');
  return Buffer.concat([signature.subarray(0, 32), Buffer.from(flipped, 'hex')]);
}
