/**
 * Compact JWS signing on node:crypto (RFC 7515), shared by every token Tessera signs. Each token
 * kind has its own `typ`, so that no verifier can take one kind for another (RFC 8725 §3.11).
 */
import { type KeyObject, type SignKeyObjectInput, sign } from 'node:crypto';
import type { SigningAlgorithm } from '@tessera/protocol';
import type { PrivateSigningKey } from '../keys/key-material.js';

interface AlgorithmProfile {
  keyType: string;
  digest: string | null;
  options: Omit<SignKeyObjectInput, 'key'>;
}

// RFC 7518 §3.1: ES256 is ECDSA P-256 + SHA-256 with the signature as r || s (not DER);
// EdDSA (RFC 8037) hashes internally; RS256 is RSASSA-PKCS1-v1_5 + SHA-256.
const PROFILES: Record<SigningAlgorithm, AlgorithmProfile> = {
  ES256: { keyType: 'ec', digest: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  EdDSA: { keyType: 'ed25519', digest: null, options: {} },
  RS256: { keyType: 'rsa', digest: 'sha256', options: {} },
};

/**
 * Signs `claims` with the header `{alg, kid, typ}`.
 *
 * @throws TypeError when the key does not fit its `alg` (a programming error).
 */
export function signCompactJws(key: PrivateSigningKey, typ: string, claims: object): string {
  const profile = PROFILES[key.alg];
  assertKeyFits(key.privateKey, key.alg, profile);
  const signingInput = `${encodeJson({ alg: key.alg, kid: key.kid, typ })}.${encodeJson(claims)}`;
  const signature = sign(profile.digest, Buffer.from(signingInput, 'utf8'), {
    key: key.privateKey,
    ...profile.options,
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

function encodeJson(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function assertKeyFits(privateKey: KeyObject, alg: SigningAlgorithm, profile: AlgorithmProfile): void {
  // Without this, an RSA key labelled ES256 would yield a token no verifier accepts.
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== profile.keyType) {
    throw new TypeError(`The signing key does not fit ${alg}.`);
  }
}
