/** `/admin/v1/environments/{envId}/keys` (DESIGN §3.2 JWKS, §3.3). */

import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  claimsOf,
  createEnvironment,
  createLoginSetup,
  expectError,
  login,
  startAdmin,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();

function kidOf(accessToken: string): string {
  const header = JSON.parse(Buffer.from(accessToken.split('.')[0] ?? '', 'base64url').toString('utf8'));
  return header.kid as string;
}

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
  });
  afterAll(async () => {
    await admin?.close();
  });

  describe('GET …/keys', () => {
    it('shows the public keys the environment publishes, and no private part', async () => {
      const environment = await createEnvironment(admin);
      const response = await admin.get(`/environments/${environment.id}/keys`);
      expect(response.statusCode).toBe(200);
      const jwks = response.json();
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: expect.any(String) });
      expect(jwks.keys[0]).not.toHaveProperty('d');
      const published = await admin.server.app.inject({
        method: 'GET',
        url: `/e/${environment.id}/.well-known/jwks.json`,
      });
      expect(published.json()).toEqual(jwks);
    });

    it('answers an unknown environment with 404 not_found', async () => {
      expectError(await admin.get('/environments/nope/keys'), 404, 'not_found');
    });
  });

  describe('POST …/keys/rotate', () => {
    it('publishes a next key now and signs with it after the JWKS cache window', async () => {
      const { envId, clientId, user } = await createLoginSetup(admin);
      const [current] = ((await admin.read(`/environments/${envId}/keys`)) as { keys: { kid: string }[] })
        .keys;

      const response = await admin.post(`/environments/${envId}/keys/rotate`);
      expect(response.statusCode, response.body).toBe(200);
      const rotated = response.json();
      expect(rotated).toEqual({ kid: expect.any(String), alg: 'ES256', activatesAt: expect.any(String) });
      const activatesAt = Date.parse(rotated.activatesAt) / 1000;
      expect(activatesAt).toBeGreaterThan(admin.server.clock.now());

      const kids = (
        (await admin.read(`/environments/${envId}/keys`)) as { keys: { kid: string }[] }
      ).keys.map((k) => k.kid);
      expect(kids).toEqual(expect.arrayContaining([current?.kid, rotated.kid]));

      const before = await login(admin, { envId, clientId, email: user.email });
      expect(kidOf(before.accessToken)).toBe(current?.kid);
      admin.server.clock.set(activatesAt + 1);
      const after = await login(admin, { envId, clientId, email: user.email });
      expect(kidOf(after.accessToken)).toBe(rotated.kid);
      expect(claimsOf(after.accessToken).sub).toBe(user.id);
    });

    it('answers an unknown environment with 404 not_found', async () => {
      expectError(await admin.post('/environments/nope/keys/rotate'), 404, 'not_found');
    });
  });
});
