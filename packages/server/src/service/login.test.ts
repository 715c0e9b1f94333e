/**
 * The login use case's answers as values: each refusal kind the session API and the hosted login
 * translate, and that a refusal creates nothing. The HTTP answers are session-login.test.ts's; the
 * storage's side of the session limit is the conformance suite's (both backends), so SQLite here.
 */

import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { PASSWORD, seedWorld, type World } from '@tessera/testing/world';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserRecord } from '../engine/records.js';
import { type LoginInput, login, openSession } from './login.js';

describe('the login use case', () => {
  let t: TestServer;
  let world: World;
  beforeEach(async () => {
    t = await createTestServer();
    world = await seedWorld(t);
  });
  afterEach(async () => t.close());

  async function loginAs(overrides: Partial<LoginInput> = {}) {
    const client = await t.deps.storage.getClient('default', 'app');
    return login(t.deps, {
      envId: 'default',
      client: client!,
      email: world.users.ada.email,
      password: PASSWORD,
      userAgent: null,
      ip: '203.0.113.7',
      browserRefreshToken: undefined,
      ...overrides,
    });
  }
  const liveSessions = (userId = world.users.ada.id) => t.deps.storage.listLiveSessions('default', userId);

  it('logs in: the tokens, the refresh token and the session it opened', async () => {
    const outcome = await loginAs({ tenantId: 'globex' });
    expect(outcome).toMatchObject({
      kind: 'logged_in',
      response: { tokenType: 'Bearer', tenantId: 'globex' },
      session: { userId: world.users.ada.id, defaultTenantId: 'globex' },
    });
    expect(outcome.kind === 'logged_in' && outcome.refreshExpiresAt).toBeGreaterThan(t.clock.now());
    expect(await liveSessions()).toHaveLength(1);
  });

  it('refuses a client the session API does not serve, before the password is even checked', async () => {
    const app = await t.deps.storage.getClient('default', 'app');
    const confidential = { ...app!, clientId: 'server-app', type: 'confidential' as const };
    // A wrong password too: the refusal comes first, and costs the account no throttle budget.
    for (let i = 0; i < 12; i++) {
      expect(await loginAs({ client: confidential, password: 'wrong' })).toEqual({
        kind: 'refused',
        error: 'unauthorized_client',
      });
    }
    expect((await loginAs()).kind).toBe('logged_in');
  });

  it('refuses a wrong password, and an unknown account the same way', async () => {
    expect(await loginAs({ password: 'wrong password' })).toEqual({
      kind: 'refused',
      error: 'invalid_credentials',
    });
    expect(await loginAs({ email: 'nobody@example.com' })).toEqual({
      kind: 'refused',
      error: 'invalid_credentials',
    });
    expect(await liveSessions()).toHaveLength(0);
  });

  it('refuses a throttled account with the seconds to wait, even with the right password', async () => {
    for (let i = 0; i < 10; i++) await loginAs({ password: `wrong ${i}` });
    const outcome = await loginAs();
    expect(outcome).toEqual({
      kind: 'refused',
      error: 'rate_limited',
      retryAfterSeconds: expect.any(Number),
    });
    expect(
      outcome.kind === 'refused' && outcome.error === 'rate_limited' && outcome.retryAfterSeconds,
    ).toBeGreaterThan(0);
    expect(await liveSessions()).toHaveLength(0);
  });

  it('refuses a disabled user once the password is right', async () => {
    await t.deps.storage.setUserStatus({
      envId: 'default',
      userId: world.users.ada.id,
      status: 'disabled',
      now: t.clock.now(),
    });
    expect(await loginAs()).toEqual({ kind: 'refused', error: 'user_disabled' });
    expect(await liveSessions()).toHaveLength(0);
  });

  it('refuses a tenant the user is not a member of', async () => {
    expect(await loginAs({ email: world.users.bob.email, tenantId: 'globex' })).toEqual({
      kind: 'refused',
      error: 'tenant_forbidden',
    });
    expect(await liveSessions(world.users.bob.id)).toHaveLength(0);
  });

  it('refuses a session over a rejecting limit, and ends none of the live ones', async () => {
    await t.deps.storage.updateTenant('default', 'acme', {
      sessionPolicy: { maxConcurrentSessions: 1, onLimit: 'reject' },
    });
    expect((await loginAs()).kind).toBe('logged_in');
    expect(await loginAs()).toEqual({ kind: 'refused', error: 'max_sessions_reached' });
    expect(await liveSessions()).toHaveLength(1);
  });

  it('opens a session for a proven user, or refuses it as a value (the hosted login words each)', async () => {
    const bob = (await t.deps.storage.getUser('default', world.users.bob.id))!;
    const open = (user: UserRecord, tenantId?: string) =>
      openSession(t.deps, {
        envId: 'default',
        clientId: 'app',
        user,
        ...(tenantId !== undefined && { tenantId }),
        userAgent: null,
        ip: '203.0.113.7',
        browserRefreshToken: undefined,
        via: 'session_api',
      });
    expect(await open(bob, 'globex')).toEqual({ kind: 'refused', error: 'tenant_forbidden' });
    expect(await open({ ...bob, status: 'disabled' }, 'acme')).toEqual({
      kind: 'refused',
      error: 'user_disabled',
    });
    expect(await liveSessions(bob.id)).toHaveLength(0);
    expect(await open(bob, 'acme')).toMatchObject({ kind: 'opened', membership: { tenantId: 'acme' } });
    expect(await liveSessions(bob.id)).toHaveLength(1);
  });
});
