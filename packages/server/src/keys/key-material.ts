/**
 * Signing-key material: generation, the public JWK and its `kid`, and encryption of the private
 * key at rest.
 */
import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { SigningAlgorithm } from '@tessera/protocol';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { openBytes, SEALED_FORMAT_VERSION, sealBytes } from './sealed-bytes.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** What signing needs: a private key and the `alg` and `kid` its tokens carry. */
export interface PrivateSigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateKey: KeyObject;
}

/** A public key as published in the JWKS. */
export interface PublicSigningJwk extends Record<string, unknown> {
  kid: string;
  alg: SigningAlgorithm;
  use: 'sig';
}

export interface GeneratedSigningKey extends PrivateSigningKey {
  readonly publicJwk: PublicSigningJwk;
  readonly createdAt: number;
}

/** What a private key is bound to when encrypted: it decrypts only for the same record. */
export interface PrivateKeyBinding {
  envId: string;
  kid: string;
}

/** Thrown when a stored private key cannot be decrypted. Its message names the key, never its bytes. */
export class SigningKeyDecryptionError extends Error {
  constructor(binding: PrivateKeyBinding, reason: string, options?: ErrorOptions) {
    super(`Cannot decrypt signing key ${binding.kid} of environment ${binding.envId}: ${reason}`, options);
    this.name = 'SigningKeyDecryptionError';
  }
}

/**
 * Generates a signing key pair for `alg`: ES256 on P-256, EdDSA on Ed25519, RS256 with a 3072-bit
 * modulus (DESIGN §2). The `kid` is the key's RFC 7638 thumbprint, so it names the key itself.
 * Asynchronous because RSA generation takes long enough to stall the event loop.
 *
 * @example
 * const key = await generateSigningKey('ES256', clock());
 * key.publicJwk; // { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' }
 */
export async function generateSigningKey(alg: SigningAlgorithm, now: number): Promise<GeneratedSigningKey> {
  const { publicKey, privateKey } = await generateKeyPairFor(alg);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const publicJwk: PublicSigningJwk = { ...jwk, kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk, createdAt: now };
}

function generateKeyPairFor(alg: SigningAlgorithm): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  switch (alg) {
    case 'ES256':
      return generateKeyPairAsync('ec', { namedCurve: 'P-256' });
    case 'EdDSA':
      return generateKeyPairAsync('ed25519');
    case 'RS256':
      return generateKeyPairAsync('rsa', { modulusLength: 3072, publicExponent: 0x10001 });
  }
}

/**
 * Encrypts a private key for storage: AES-256-GCM over its PKCS#8 DER encoding, a random 96-bit
 * IV, and the environment and `kid` as additional data, so a stored key cannot be swapped into
 * another record. Output: `v1.<iv>.<ciphertext>.<tag>`, each part base64url (`sealed-bytes.ts`).
 *
 * @example
 * const stored = encryptPrivateKey(key.privateKey, secrets.keyEncryptionKey, { envId, kid: key.kid });
 */
export function encryptPrivateKey(privateKey: KeyObject, kek: KeyObject, binding: PrivateKeyBinding): string {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  try {
    return sealBytes(der, kek, additionalData(binding));
  } finally {
    der.fill(0);
  }
}

/**
 * Decrypts a private key stored by {@link encryptPrivateKey}, for the same environment and `kid`.
 *
 * @throws SigningKeyDecryptionError when the format is unknown, the key-encryption key differs
 * (the master secret changed), or the stored value or its binding was altered.
 */
export function decryptPrivateKey(encrypted: string, kek: KeyObject, binding: PrivateKeyBinding): KeyObject {
  const opened = openBytes(encrypted, kek, additionalData(binding));
  if (!opened.ok && opened.reason === 'format') {
    throw new SigningKeyDecryptionError(
      binding,
      `the stored value is not in the ${SEALED_FORMAT_VERSION} format.`,
    );
  }
  if (!opened.ok) {
    throw new SigningKeyDecryptionError(
      binding,
      'authentication failed (a different master secret, or an altered or moved key record).',
      { cause: opened.cause },
    );
  }
  try {
    return createPrivateKey({ key: opened.plain, format: 'der', type: 'pkcs8' });
  } finally {
    opened.plain.fill(0);
  }
}

function additionalData(binding: PrivateKeyBinding): Buffer {
  // JSON of an array is unambiguous: no (envId, kid) pair encodes like another.
  return Buffer.from(JSON.stringify([binding.envId, binding.kid]), 'utf8');
}
