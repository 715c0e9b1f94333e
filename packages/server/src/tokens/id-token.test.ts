import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, exportJWK, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signIdToken } from './id-token.js';

describe('signIdToken', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const claims = {
    iss: 'https://auth.example.com',
    sub: 'user-1',
    aud: 'app',
    exp: 1_700_000_300,
    iat: 1_700_000_000,
    auth_time: 1_699_999_000,
    nonce: 'n-0S6_WzA2Mj',
    sid: 'sid-1',
  };

  it('is a JWT typed "JWT" that verifies with the public key, with the nonce echoed', async () => {
    const token = signIdToken({ kid: 'k1', alg: 'ES256', privateKey }, claims);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: 'k1', typ: 'JWT' });
    const key = await importJWK({ ...(await exportJWK(publicKey)), alg: 'ES256' });
    const { payload } = await jwtVerify(token, key, {
      issuer: claims.iss,
      audience: 'app',
      currentDate: new Date(claims.iat * 1000),
    });
    expect(payload).toEqual(claims);
  });

  it('JWT-06: is refused where an access token is required (typ at+jwt)', async () => {
    const token = signIdToken({ kid: 'k1', alg: 'ES256', privateKey }, claims);
    const key = await importJWK({ ...(await exportJWK(publicKey)), alg: 'ES256' });
    await expect(
      jwtVerify(token, key, { typ: 'at+jwt', currentDate: new Date(claims.iat * 1000) }),
    ).rejects.toThrow();
  });
});
