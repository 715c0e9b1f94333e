import { createPublicKey } from 'node:crypto';
import type { SigningAlgorithm } from '@tessera/protocol';
import { calculateJwkThumbprint } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decryptPrivateKey,
  encryptPrivateKey,
  type GeneratedSigningKey,
  generateSigningKey,
  SigningKeyDecryptionError,
} from './key-material.js';
import { deriveSecrets } from './secret.js';

const NOW = 1_700_000_000;
const kek = deriveSecrets(Buffer.alloc(32, 1)).keyEncryptionKey;
const otherKek = deriveSecrets(Buffer.alloc(32, 2)).keyEncryptionKey;
const keys = new Map<SigningAlgorithm, GeneratedSigningKey>();

beforeAll(async () => {
  // RSA-3072 generation is slow: once per file.
  for (const alg of ['ES256', 'EdDSA', 'RS256'] as const) keys.set(alg, await generateSigningKey(alg, NOW));
});

function key(alg: SigningAlgorithm): GeneratedSigningKey {
  const found = keys.get(alg);
  if (found === undefined) throw new Error(`no ${alg} test key`);
  return found;
}

describe('generateSigningKey', () => {
  it.each([
    ['ES256', 'ec', { namedCurve: 'prime256v1' }],
    ['EdDSA', 'ed25519', {}],
    ['RS256', 'rsa', { modulusLength: 3072, publicExponent: 65537n }],
  ] as const)('%s: a %s key', (alg, type, details) => {
    const generated = key(alg);
    expect(generated.alg).toBe(alg);
    expect(generated.createdAt).toBe(NOW);
    expect(generated.privateKey.type).toBe('private');
    expect(generated.privateKey.asymmetricKeyType).toBe(type);
    expect(generated.privateKey.asymmetricKeyDetails).toMatchObject(details);
  });

  it.each(['ES256', 'EdDSA', 'RS256'] as const)(
    '%s: the public JWK is the private key’s public half, with kid = RFC 7638 thumbprint, alg and use',
    async (alg) => {
      const { publicJwk, privateKey, kid } = key(alg);
      const expected = createPublicKey(privateKey).export({ format: 'jwk' });
      expect(publicJwk).toEqual({ ...expected, kid, alg, use: 'sig' });
      expect(kid).toBe(await calculateJwkThumbprint(expected, 'sha256'));
      expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(publicJwk).not.toHaveProperty(member);
    },
  );

  it('gives every new key its own kid', async () => {
    const again = await generateSigningKey('ES256', NOW);
    expect(again.kid).not.toBe(key('ES256').kid);
  });
});

describe('encryptPrivateKey / decryptPrivateKey', () => {
  const binding = { envId: 'default', kid: 'kid-1' };

  it.each(['ES256', 'EdDSA', 'RS256'] as const)('%s: round-trips the private key', (alg) => {
    const { privateKey } = key(alg);
    const stored = encryptPrivateKey(privateKey, kek, binding);
    expect(decryptPrivateKey(stored, kek, binding).equals(privateKey)).toBe(true);
  });

  it('writes v1.<iv>.<ciphertext>.<tag> with a 96-bit IV and a 128-bit tag, fresh IV each time', () => {
    const { privateKey } = key('ES256');
    const first = encryptPrivateKey(privateKey, kek, binding);
    const second = encryptPrivateKey(privateKey, kek, binding);
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
  });

  it('does not contain the key in the clear', () => {
    const { privateKey } = key('ES256');
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    const stored = encryptPrivateKey(privateKey, kek, binding);
    const ciphertext = Buffer.from(stored.split('.')[2] ?? '', 'base64url');
    expect(ciphertext.length).toBe(der.length);
    expect(ciphertext.equals(der)).toBe(false);
    expect(ciphertext.includes(der.subarray(-32))).toBe(false);
  });

  function expectRefused(
    stored: string,
    kekToUse = kek,
    bindingToUse = binding,
    reason = /authentication failed/,
  ) {
    let thrown: unknown;
    try {
      decryptPrivateKey(stored, kekToUse, bindingToUse);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SigningKeyDecryptionError);
    const message = (thrown as Error).message;
    expect(message).toContain(`signing key ${bindingToUse.kid} of environment ${bindingToUse.envId}`);
    expect(message).toMatch(reason);
    for (const part of stored.split('.').slice(1)) if (part.length >= 8) expect(message).not.toContain(part);
  }

  it('refuses a different key-encryption key (master secret changed)', () => {
    expectRefused(encryptPrivateKey(key('ES256').privateKey, kek, binding), otherKek);
  });

  it('refuses a key moved to another kid or another environment', () => {
    const stored = encryptPrivateKey(key('ES256').privateKey, kek, binding);
    expectRefused(stored, kek, { envId: 'default', kid: 'kid-2' });
    expectRefused(stored, kek, { envId: 'staging', kid: 'kid-1' });
    // The binding is encoded unambiguously: shifting characters between the fields changes it.
    const joined = encryptPrivateKey(key('ES256').privateKey, kek, { envId: 'ab', kid: 'c' });
    expectRefused(joined, kek, { envId: 'a', kid: 'bc' });
  });

  it('refuses an altered ciphertext, IV or tag', () => {
    const stored = encryptPrivateKey(key('ES256').privateKey, kek, binding);
    const parts = stored.split('.');
    for (const index of [1, 2, 3]) {
      const altered = [...parts];
      const bytes = Buffer.from(altered[index] ?? '', 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      altered[index] = bytes.toString('base64url');
      expectRefused(altered.join('.'));
    }
  });

  it.each([
    ['an unknown version', (s: string) => s.replace(/^v1\./, 'v2.')],
    ['a missing part', (s: string) => s.split('.').slice(0, 3).join('.')],
    ['an extra part', (s: string) => `${s}.AAAA`],
    ['a short IV', (s: string) => s.replace(/^v1\.[^.]+/, 'v1.AAAAAAAA')],
    ['a short tag', (s: string) => s.replace(/\.[^.]+$/, '.AAAAAAAA')],
    ['an empty string', () => ''],
  ])('refuses %s as a format error', (_, mangle) => {
    const stored = encryptPrivateKey(key('ES256').privateKey, kek, binding);
    expectRefused(mangle(stored), kek, binding, /not in the v1 format/);
  });
});
