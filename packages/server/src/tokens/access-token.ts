/**
 * Access-token minting (DESIGN §5): a compact JWS built directly on node:crypto. It is on the hot
 * path of every refresh; `bench/sign.mjs` measures it against jose's `SignJWT`.
 */
import { type KeyObject, randomBytes, type SignKeyObjectInput, sign } from 'node:crypto';
import type { AccessTokenClaims, AccessTokenHeader, SigningAlgorithm } from '@tessera/protocol';
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
 * Signs `claims` as a compact JWS with the header `{alg, kid, typ: 'at+jwt'}` (RFC 9068).
 * Synchronous: signing takes 30–50 µs (ES256, EdDSA) to about 2 ms (RS256-3072); see bench/sign.mjs.
 *
 * @throws TypeError when the key does not fit its `alg` (a programming error).
 *
 * @example
 * const accessToken = signAccessToken(await keyring.signer(envId), { iss, aud, sub, sid, …, jti: generateJti() });
 */
export function signAccessToken(key: PrivateSigningKey, claims: AccessTokenClaims): string {
  const profile = PROFILES[key.alg];
  assertKeyFits(key.privateKey, key.alg, profile);
  const header: AccessTokenHeader = { alg: key.alg, kid: key.kid, typ: 'at+jwt' };
  const signingInput = `${encodeJson(header)}.${encodeJson(claims)}`;
  const signature = sign(profile.digest, Buffer.from(signingInput, 'utf8'), {
    key: key.privateKey,
    ...profile.options,
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

const JTI_BYTES = 16;
/** Random bytes are drawn 4 KiB at a time: one system call per 256 tokens instead of per token. */
const JTI_POOL_BYTES = 4096;
let jtiPool = Buffer.alloc(0);
let jtiOffset = 0;

/** A unique token id (`jti`): 128 bits from the CSPRNG, base64url (22 chars). */
export function generateJti(): string {
  if (jtiOffset + JTI_BYTES > jtiPool.length) {
    jtiPool = randomBytes(JTI_POOL_BYTES);
    jtiOffset = 0;
  }
  const jti = jtiPool.toString('base64url', jtiOffset, jtiOffset + JTI_BYTES);
  jtiOffset += JTI_BYTES;
  return jti;
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
