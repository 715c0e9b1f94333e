import { createPublicKey } from 'node:crypto';
import type { AccessTokenClaims, SigningAlgorithm } from '@tessera/protocol';
import { createLocalJWKSet, importJWK, type JSONWebKeySet, type JWK, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedSigningKey, generateSigningKey } from '../keys/key-material.js';
import { createKeyring } from '../keys/keyring.js';
import { MemorySigningKeyStore } from '../keys/memory-signing-key-store.test-helpers.js';
import { deriveSecrets } from '../keys/secret.js';
import { ManualClock } from '../service/clock.js';
import { generateJti, signAccessToken } from './access-token.js';

const NOW = 1_700_000_000;
const ALGORITHMS = ['ES256', 'EdDSA', 'RS256'] as const;
const SIGNATURE_BYTES = { ES256: 64, EdDSA: 64, RS256: 384 } as const;
const keys = new Map<SigningAlgorithm, GeneratedSigningKey>();

beforeAll(async () => {
  // RSA-3072 generation is slow: once per file.
  for (const alg of ALGORITHMS) keys.set(alg, await generateSigningKey(alg, NOW));
});

function key(alg: SigningAlgorithm): GeneratedSigningKey {
  const found = keys.get(alg);
  if (found === undefined) throw new Error(`no ${alg} test key`);
  return found;
}

const claims: AccessTokenClaims = {
  iss: 'https://auth.example.com',
  aud: 'app',
  sub: 'user-1',
  sid: 'sid-1',
  tenantId: 'acme',
  tenantIds: ['acme', 'globex'],
  roles: ['admin'],
  permissions: ['invoices:read', 'invoices:write'],
  email: 'zoë@example.com',
  name: 'Zoë Ångström',
  auth_time: NOW - 60,
  iat: NOW,
  exp: NOW + 300,
  jti: 'jti-1',
  client_id: 'app',
};

function verify(token: string, alg: SigningAlgorithm, jwk: JWK = key(alg).publicJwk, algorithms = [alg]) {
  return importJWK(jwk, alg).then((publicKey) =>
    jwtVerify(token, publicKey, {
      algorithms,
      typ: 'at+jwt',
      issuer: claims.iss,
      audience: claims.aud,
      currentDate: new Date(NOW * 1000),
    }),
  );
}

function segments(token: string): [string, string, string] {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return [header, payload, signature];
}

describe('signAccessToken', () => {
  it.each(ALGORITHMS)('%s: verifies with jose and the published JWK, claims intact', async (alg) => {
    const token = signAccessToken(key(alg), claims);
    const { payload, protectedHeader } = await verify(token, alg);
    expect(protectedHeader).toEqual({ alg, kid: key(alg).kid, typ: 'at+jwt' });
    expect(payload).toEqual(claims);
  });

  it.each(ALGORITHMS)('%s: the header is exactly {alg, kid, typ}; the signature has the JWA size', (alg) => {
    const [header, , signature] = segments(signAccessToken(key(alg), claims));
    expect(Buffer.from(header, 'base64url').toString()).toBe(
      JSON.stringify({ alg, kid: key(alg).kid, typ: 'at+jwt' }),
    );
    expect(Buffer.from(signature, 'base64url')).toHaveLength(SIGNATURE_BYTES[alg]);
  });

  it.each(ALGORITHMS)('%s: a tampered payload fails verification', async (alg) => {
    const [header, , signature] = segments(signAccessToken(key(alg), claims));
    const forged = Buffer.from(JSON.stringify({ ...claims, tenantId: 'globex' })).toString('base64url');
    await expect(verify(`${header}.${forged}.${signature}`, alg)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it.each(ALGORITHMS)('%s: a flipped signature bit fails verification', async (alg) => {
    const [header, payload, signature] = segments(signAccessToken(key(alg), claims));
    const bytes = Buffer.from(signature, 'base64url');
    bytes[10] = (bytes[10] ?? 0) ^ 0x01;
    await expect(verify(`${header}.${payload}.${bytes.toString('base64url')}`, alg)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('fails verification under another key of the same algorithm', async () => {
    const other = await generateSigningKey('ES256', NOW);
    const token = signAccessToken(key('ES256'), claims);
    await expect(verify(token, 'ES256', other.publicJwk)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('is refused by a verifier that does not allow its algorithm', async () => {
    const token = signAccessToken(key('ES256'), claims);
    await expect(verify(token, 'ES256', key('ES256').publicJwk, ['EdDSA'])).rejects.toMatchObject({
      code: 'ERR_JOSE_ALG_NOT_ALLOWED',
    });
  });

  it.each([
    ['an RSA key labelled ES256', 'ES256', 'RS256'],
    ['an EC key labelled EdDSA', 'EdDSA', 'ES256'],
    ['an Ed25519 key labelled RS256', 'RS256', 'EdDSA'],
  ] as const)('refuses %s', (_, alg, keyAlg) => {
    const mislabelled = { kid: 'k', alg, privateKey: key(keyAlg).privateKey };
    expect(() => signAccessToken(mislabelled, claims)).toThrow(
      new TypeError(`The signing key does not fit ${alg}.`),
    );
  });

  it('refuses a public key', () => {
    const publicOnly = {
      kid: 'k',
      alg: 'ES256' as const,
      privateKey: createPublicKey(key('ES256').privateKey),
    };
    expect(() => signAccessToken(publicOnly, claims)).toThrow(TypeError);
  });
});

describe('signing across a rotation', () => {
  it('signs with the current kid while the next key is published, then with the next key on time', async () => {
    const store = new MemorySigningKeyStore();
    const clock = new ManualClock(NOW);
    const keyring = createKeyring({ store, secrets: deriveSecrets(Buffer.alloc(32, 1)), clock });
    await keyring.ensureKey('default', 'ES256');
    const [current] = store.kids();
    const next = await keyring.rotate('default', 'EdDSA');
    const jwks = createLocalJWKSet((await keyring.jwks('default')) as JSONWebKeySet);
    const options = { typ: 'at+jwt', issuer: claims.iss, audience: claims.aud };

    const before = signAccessToken(await keyring.signer('default'), claims);
    const verifiedBefore = await jwtVerify(before, jwks, { ...options, currentDate: new Date(NOW * 1000) });
    expect(verifiedBefore.protectedHeader).toMatchObject({ kid: current, alg: 'ES256' });

    // A verifier that cached the JWKS before the rotation took effect still verifies the new kid.
    clock.set(next.activatesAt);
    const at = clock.now();
    const after = signAccessToken(await keyring.signer('default'), { ...claims, iat: at, exp: at + 300 });
    const verifiedAfter = await jwtVerify(after, jwks, { ...options, currentDate: new Date(at * 1000) });
    expect(verifiedAfter.protectedHeader).toMatchObject({ kid: next.kid, alg: 'EdDSA' });
  });
});

describe('generateJti', () => {
  it('is 128 random bits, base64url, unique', () => {
    const jtis = Array.from({ length: 1000 }, generateJti);
    for (const jti of jtis) expect(jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(jtis).size).toBe(1000);
  });
});
