import type { AccessTokenClaims } from '@tessera/protocol';
import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { seedWorld, type World } from '@tessera/testing/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUserinfo } from './userinfo.js';

describe.each(await backendsUnderTest())('the userinfo use case on %s', (backend) => {
  let t: TestServer;
  let world: World;
  beforeAll(async () => {
    t = await createTestServer({ backend });
    world = await seedWorld(t);
  });
  afterAll(async () => t.close());

  const claimsFor = (sub: string): AccessTokenClaims => ({
    iss: 'http://localhost',
    aud: 'app',
    sub,
    sid: 'session-1',
    tenantId: 'acme',
    tenantIds: ['acme', 'globex'],
    roles: [],
    permissions: [],
    email: 'stale@example.com',
    name: null,
    auth_time: 0,
    iat: 0,
    exp: 60,
    jti: 'jti-1',
    client_id: 'app',
  });

  it("answers the stored user's claims, with the session and tenants the token acts for", async () => {
    const result = await readUserinfo(t.deps, 'default', claimsFor(world.users.ada.id));
    expect(result).toEqual({
      kind: 'found',
      userinfo: {
        sub: world.users.ada.id,
        email: world.users.ada.email,
        name: 'ada',
        sid: 'session-1',
        tenantId: 'acme',
        tenantIds: ['acme', 'globex'],
      },
    });
  });

  it('returns an unknown user as an outcome, for the route to refuse', async () => {
    expect(await readUserinfo(t.deps, 'default', claimsFor('user-nobody'))).toEqual({ kind: 'unknown_user' });
    expect(await readUserinfo(t.deps, 'another-environment', claimsFor(world.users.ada.id))).toEqual({
      kind: 'unknown_user',
    });
  });
});
