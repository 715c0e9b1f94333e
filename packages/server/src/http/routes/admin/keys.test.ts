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

/** A key of the admin answer: its public JWK members, its role and its times. */
interface AdminKey extends Record<string, unknown> {
  kid: string;
  status: string;
  createdAt: string;
  activatesAt: string;
  retiredAt: string | null;
}

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

/** Private JWK members (RFC 7518 §6.2.2, §6.3.2, §6.4.1) and the stored key: none may appear. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'privateKey', 'privateKeyEncrypted'];

function kidOf(accessToken: string): string {
  const header = JSON.parse(Buffer.from(accessToken.split('.')[0] ?? '', 'base64url').toString('utf8'));
  return header.kid as string;
}

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;

  /**
   * The admin answer is the public JWKS, key for key and in its order, plus status and times;
   * `/.well-known/jwks.json` stays a plain JWKS.
   */
  async function expectSameKeysAsJwks(envId: string, keys: AdminKey[]): Promise<void> {
    const response = await admin.server.app.inject({
      method: 'GET',
      url: `/e/${envId}/.well-known/jwks.json`,
    });
    const jwks = response.json() as { keys: Record<string, unknown>[] };
    expect(keys.map(({ status, createdAt, activatesAt, retiredAt, ...jwk }) => jwk)).toEqual(jwks.keys);
    for (const key of jwks.keys) {
      for (const member of ['status', 'createdAt', 'activatesAt', 'retiredAt'])
        expect(key).not.toHaveProperty(member);
    }
    for (const key of [...keys, ...jwks.keys]) {
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    }
  }

  beforeAll(async () => {
    admin = await startAdmin({ backend });
  });
  afterAll(async () => {
    await admin?.close();
  });

  describe('GET …/keys', () => {
    it('shows a fresh environment’s one key as current, with its times and no private part', async () => {
      const environment = await createEnvironment(admin);
      const response = await admin.get(`/environments/${environment.id}/keys`);
      expect(response.statusCode).toBe(200);
      const { keys } = response.json() as { keys: AdminKey[] };
      expect(keys).toHaveLength(1);
      const now = iso(admin.server.clock.now());
      expect(keys[0]).toEqual({
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
        alg: 'ES256',
        use: 'sig',
        kid: expect.any(String),
        status: 'current',
        createdAt: now,
        activatesAt: now,
        retiredAt: null,
      });
      await expectSameKeysAsJwks(environment.id, keys);
    });

    it.each([
      ['EdDSA', { kty: 'OKP', crv: 'Ed25519', x: expect.any(String) }],
      ['RS256', { kty: 'RSA', n: expect.any(String), e: 'AQAB' }],
    ])('shows a %s key with its public members only', async (signingAlgorithm, members) => {
      const environment = await createEnvironment(admin, { tokenSettings: { signingAlgorithm } });
      const { keys } = (await admin.read(`/environments/${environment.id}/keys`)) as { keys: AdminKey[] };
      expect(keys).toEqual([
        expect.objectContaining({ ...members, alg: signingAlgorithm, status: 'current' }),
      ]);
      await expectSameKeysAsJwks(environment.id, keys);
    });

    it('after a rotation: the old key current, the new one next until it activates, then current and the old one retired', async () => {
      const environment = await createEnvironment(admin);
      const envId = environment.id;
      const [first] = ((await admin.read(`/environments/${envId}/keys`)) as { keys: AdminKey[] }).keys;
      const rotated = (await admin.post(`/environments/${envId}/keys/rotate`)).json() as {
        kid: string;
        activatesAt: string;
      };
      const rotatedAt = iso(admin.server.clock.now());

      const published = ((await admin.read(`/environments/${envId}/keys`)) as { keys: AdminKey[] }).keys;
      expect(
        published.map(({ kid, status, createdAt, activatesAt, retiredAt }) => ({
          kid,
          status,
          createdAt,
          activatesAt,
          retiredAt,
        })),
      ).toEqual([
        {
          kid: first?.kid,
          status: 'current',
          createdAt: first?.createdAt,
          activatesAt: first?.activatesAt,
          retiredAt: null,
        },
        {
          kid: rotated.kid,
          status: 'next',
          createdAt: rotatedAt,
          activatesAt: rotated.activatesAt,
          retiredAt: null,
        },
      ]);
      expect(Date.parse(rotated.activatesAt)).toBeGreaterThan(admin.server.clock.now() * 1000);
      await expectSameKeysAsJwks(envId, published);

      // One second before the activation nothing has changed; at it, the keys swap roles.
      admin.server.clock.set(Date.parse(rotated.activatesAt) / 1000 - 1);
      const before = ((await admin.read(`/environments/${envId}/keys`)) as { keys: AdminKey[] }).keys;
      expect(before.map((key) => [key.kid, key.status])).toEqual([
        [first?.kid, 'current'],
        [rotated.kid, 'next'],
      ]);
      admin.server.clock.set(Date.parse(rotated.activatesAt) / 1000);
      const after = ((await admin.read(`/environments/${envId}/keys`)) as { keys: AdminKey[] }).keys;
      expect(after.map(({ kid, status, retiredAt }) => ({ kid, status, retiredAt }))).toEqual([
        { kid: rotated.kid, status: 'current', retiredAt: null },
        { kid: first?.kid, status: 'retired', retiredAt: rotated.activatesAt },
      ]);
      await expectSameKeysAsJwks(envId, after);
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
