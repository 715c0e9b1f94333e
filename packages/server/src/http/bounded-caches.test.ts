/**
 * Issue #9, defect 8 (a): per-request caches are bounded and never keyed by made-up input.
 * Unknown environment and client ids, as an anonymous attacker would send them, leave nothing
 * behind in the lookup cache or the keyring.
 */
import { randomBytes } from 'node:crypto';
import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { authorizeQuery, pkcePair } from '@tessera/testing/hosted-login';
import { ORIGIN, seedWorld } from '@tessera/testing/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const backends = await backendsUnderTest();
/** Enough to show growth (each would have been an entry); the bound asserted is a handful. */
const UNKNOWN_IDS = 3000;

const randomId = (length = 200) => randomBytes((length * 3) / 4).toString('base64url');

describe.each(backends)('bounded caches (%s)', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ backend });
    await seedWorld(t);
  });
  afterAll(async () => t.close());

  it('unknown environment ids on JWKS, discovery, the session API and authorize cache nothing', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).statusCode).toBe(200);
    const before = { keyring: t.deps.keyring.cachedEnvironments, lookups: t.deps.lookups.size };
    expect(before.keyring).toBe(1);
    const paths = [
      '/.well-known/jwks.json',
      '/.well-known/openid-configuration',
      '/oauth/authorize',
      '/auth/v1/revocations',
    ];
    for (let i = 0; i < UNKNOWN_IDS; i++) {
      const id = randomId();
      expect(id).toHaveLength(200);
      const response = await t.app.inject({ method: 'GET', url: `/e/${id}${paths[i % paths.length]}` });
      expect(response.statusCode).toBe(404);
    }
    expect(t.deps.keyring.cachedEnvironments).toBe(1);
    expect(t.deps.lookups.size).toBeLessThanOrEqual(before.lookups);
  });

  it('unknown client ids on authorize and login cache nothing', async () => {
    const pkce = pkcePair();
    for (let i = 0; i < UNKNOWN_IDS / 2; i++) {
      // Within the session API's id rule (128 characters), so the lookup is reached.
      const clientId = randomId(100);
      const authorize = await t.app.inject({
        method: 'GET',
        url: `/oauth/authorize?${authorizeQuery(pkce, { client_id: clientId })}`,
      });
      expect(authorize.statusCode).toBe(400);
      const login = await t.app.inject({
        method: 'POST',
        url: '/auth/v1/login',
        headers: { origin: ORIGIN },
        payload: { email: 'ada@example.com', password: 'x', clientId },
      });
      expect(login.statusCode).toBe(400);
    }
    // The existing environment and its client list may be cached; nothing per unknown client.
    expect(t.deps.lookups.size).toBeLessThanOrEqual(2);
    expect(t.deps.keyring.cachedEnvironments).toBe(1);
  });
});
