/** `/admin/v1/environments/{envId}/users` (DESIGN §1, §3.3; security.md SES-11, RT-10). */

import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_MESSAGE } from '../../../passwords/password-rules.js';
import {
  type AdminClient,
  claimsOf,
  createEnvironment,
  createLoginSetup,
  createUser,
  expectError,
  login,
  loginAs,
  PASSWORD,
  refresh,
  startAdmin,
  uniqueId,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  let envId: string;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
    envId = (await createEnvironment(admin)).id;
  });
  afterAll(async () => {
    await admin?.close();
  });

  describe('POST …/users', () => {
    it('creates an active user and never answers with the password or its hash', async () => {
      const email = `${uniqueId('ada')}@example.com`;
      const response = await admin.post(`/environments/${envId}/users`, {
        email,
        password: PASSWORD,
        name: 'Ada',
      });
      expect(response.statusCode, response.body).toBe(201);
      const user = response.json();
      expect(user).toEqual({ id: expect.any(String), email, name: 'Ada', status: 'active' });

      const stored = await admin.server.deps.storage.findUserByEmail(envId, email);
      expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
      for (const body of [
        response.body,
        (await admin.get(`/environments/${envId}/users/${user.id}`)).body,
        (await admin.get(`/environments/${envId}/users`)).body,
      ]) {
        expect(body).not.toContain(PASSWORD);
        expect(body).not.toContain('argon2');
        expect(body).not.toContain('password');
      }
    });

    it('makes the name optional', async () => {
      const user = await createUser(admin, envId);
      expect(user.name).toBeNull();
    });

    it('refuses an email taken up to case and Unicode form with 409 conflict', async () => {
      const local = uniqueId('grace');
      await createUser(admin, envId, { email: `${local}@example.com` });
      const before = await admin.read(`/environments/${envId}/users`);
      for (const email of [
        `${local.toUpperCase()}@EXAMPLE.COM`,
        ` ${local}@example.com `,
        `${local}＠ｅｘａｍｐｌｅ.com`,
      ]) {
        expectError(
          await admin.post(`/environments/${envId}/users`, { email, password: PASSWORD }),
          409,
          'conflict',
        );
      }
      expect(await admin.read(`/environments/${envId}/users`)).toEqual(before);
    });

    it('allows the same email in another environment', async () => {
      const email = `${uniqueId('same')}@example.com`;
      await createUser(admin, envId, { email });
      const other = await createEnvironment(admin);
      expect(
        (await admin.post(`/environments/${other.id}/users`, { email, password: PASSWORD })).statusCode,
      ).toBe(201);
    });

    it.each([
      ['an email without @', { email: 'nobody.example.com' }],
      ['an email with two @', { email: 'a@@example.com' }],
      ['an email with a space', { email: 'a b@example.com' }],
      ['a 7-character password', { password: 'short12' }],
      ['a 1025-character password', { password: 'p'.repeat(1025) }],
      ['a status on creation', { status: 'disabled' }],
      ['a password hash', { passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y' }],
    ])('refuses %s with 400 invalid_request and creates nothing', async (_case, body) => {
      const before = await admin.read(`/environments/${envId}/users`);
      const response = await admin.post(`/environments/${envId}/users`, {
        email: `${uniqueId('bad')}@example.com`,
        password: PASSWORD,
        ...body,
      });
      expectError(response, 400, 'invalid_request');
      expect(response.body).not.toContain(String((body as { password?: string }).password ?? PASSWORD));
      expect(await admin.read(`/environments/${envId}/users`)).toEqual(before);
    });

    it.each(['12345678', 'password', 'qwertyuiop', 'PASSWORD'])(
      'AUTH-08: refuses the common password %s on create with 400 naming `password`, and creates nothing',
      async (password) => {
        const before = await admin.read(`/environments/${envId}/users`);
        const response = await admin.post(`/environments/${envId}/users`, {
          email: `${uniqueId('common')}@example.com`,
          password,
        });
        expectError(response, 400, 'invalid_request');
        // One fixed message, naming the field and never the value.
        expect(response.json().message).toBe(`Invalid request: password: ${COMMON_PASSWORD_MESSAGE}`);
        expect(await admin.read(`/environments/${envId}/users`)).toEqual(before);
      },
    );

    it('answers an unknown environment with 404 not_found', async () => {
      expectError(
        await admin.post('/environments/nope/users', { email: 'a@example.com', password: PASSWORD }),
        404,
        'not_found',
      );
      expectError(await admin.get('/environments/nope/users'), 404, 'not_found');
    });
  });

  describe('PATCH …/users/{userId}', () => {
    it('renames, and null clears the name', async () => {
      const user = await createUser(admin, envId, { name: 'Ada' });
      const renamed = await admin.patch(`/environments/${envId}/users/${user.id}`, { name: 'Ada L.' });
      expect(renamed.json()).toEqual({ ...user, name: 'Ada L.' });
      const cleared = await admin.patch(`/environments/${envId}/users/${user.id}`, { name: null });
      expect(cleared.json()).toEqual({ ...user, name: null });
      expect(await admin.read(`/environments/${envId}/users/${user.id}`)).toEqual({
        ...user,
        name: null,
        memberships: [],
      });
    });

    it('sets a new password: the old one stops working, the new one works', async () => {
      const { envId: env, clientId, user } = await createLoginSetup(admin);
      const response = await admin.patch(`/environments/${env}/users/${user.id}`, {
        password: 'a brand new passphrase',
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.body).not.toContain('passphrase');
      expectError(
        await loginAs(admin, { envId: env, clientId, email: user.email }),
        401,
        'invalid_credentials',
      );
      const ok = await loginAs(admin, {
        envId: env,
        clientId,
        email: user.email,
        password: 'a brand new passphrase',
      });
      expect(ok.statusCode).toBe(200);
    });

    it('refuses a weak password with 400 invalid_request and keeps the old one', async () => {
      const { envId: env, clientId, user } = await createLoginSetup(admin);
      const before = await admin.server.deps.storage.findUserByEmail(env, user.email);
      expectError(
        await admin.patch(`/environments/${env}/users/${user.id}`, { password: 'short' }),
        400,
        'invalid_request',
      );
      expect((await admin.server.deps.storage.findUserByEmail(env, user.email))?.passwordHash).toBe(
        before?.passwordHash,
      );
      expect((await loginAs(admin, { envId: env, clientId, email: user.email })).statusCode).toBe(200);
    });

    it('SES-13: a new password ends every session of the user by default (password_changed), announced in the feed', async () => {
      const { envId: env, clientId, user } = await createLoginSetup(admin);
      const first = await login(admin, { envId: env, clientId, email: user.email });
      const second = await login(admin, { envId: env, clientId, email: user.email });
      const since = admin.server.clock.now();

      const response = await admin.patch(`/environments/${env}/users/${user.id}`, {
        password: 'a brand new passphrase',
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(await admin.read(`/environments/${env}/users/${user.id}/sessions`)).toEqual([]);
      for (const browser of [first, second])
        expectError(await refresh(admin, browser), 401, 'session_revoked');
      const sids = [first, second].map((b) => claimsOf(b.accessToken).sid as string);
      // What the revocation feed streams: the sessions' endings, with their reason.
      const endings = await admin.server.deps.storage.listSessionEndings(env, since, 100);
      expect(endings.filter((e) => sids.includes(e.sessionId)).map((e) => e.reason)).toEqual([
        'password_changed',
        'password_changed',
      ]);
      expect(
        (
          await loginAs(admin, {
            envId: env,
            clientId,
            email: user.email,
            password: 'a brand new passphrase',
          })
        ).statusCode,
      ).toBe(200);
    });

    it('SES-13: endSessions: false changes the password and keeps the sessions', async () => {
      const { envId: env, clientId, user } = await createLoginSetup(admin);
      const browser = await login(admin, { envId: env, clientId, email: user.email });
      const response = await admin.patch(`/environments/${env}/users/${user.id}`, {
        password: 'a brand new passphrase',
        endSessions: false,
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(await admin.read(`/environments/${env}/users/${user.id}/sessions`)).toHaveLength(1);
      expect((await refresh(admin, browser)).statusCode).toBe(200);
    });

    it('refuses endSessions without a password with 400 invalid_request naming the field, and changes nothing', async () => {
      const { envId: env, clientId, user } = await createLoginSetup(admin);
      const browser = await login(admin, { envId: env, clientId, email: user.email });
      for (const body of [{ endSessions: true }, { name: 'Ada', endSessions: false }]) {
        const response = await admin.patch(`/environments/${env}/users/${user.id}`, body);
        expectError(response, 400, 'invalid_request');
        expect(response.json().message).toContain('endSessions');
      }
      expect(await admin.read(`/environments/${env}/users/${user.id}`)).toEqual({
        ...user,
        memberships: [{ tenantId: expect.any(String), tenantName: 'Home', roles: [] }],
      });
      expect((await refresh(admin, browser)).statusCode).toBe(200);
    });

    it.each(['12345678', 'password', 'qwertyuiop', 'QwertyUIOP'])(
      'AUTH-08: refuses the common password %s on change with 400 naming `password`, and changes nothing',
      async (password) => {
        const { envId: env, clientId, user } = await createLoginSetup(admin);
        const browser = await login(admin, { envId: env, clientId, email: user.email });
        const before = await admin.server.deps.storage.findUserByEmail(env, user.email);
        const response = await admin.patch(`/environments/${env}/users/${user.id}`, { password });
        expectError(response, 400, 'invalid_request');
        // One fixed message, naming the field and never the value.
        expect(response.json().message).toBe(`Invalid request: password: ${COMMON_PASSWORD_MESSAGE}`);
        expect((await admin.server.deps.storage.findUserByEmail(env, user.email))?.passwordHash).toBe(
          before?.passwordHash,
        );
        // Refused before anything ended: the session lives on.
        expect((await refresh(admin, browser)).statusCode).toBe(200);
      },
    );

    it.each([
      ['an unknown status', { status: 'locked' }],
      ['an email change', { email: 'new@example.com' }],
      ['an empty patch', {}],
    ])('refuses %s with 400 invalid_request and changes nothing', async (_case, body) => {
      const user = await createUser(admin, envId);
      expectError(await admin.patch(`/environments/${envId}/users/${user.id}`, body), 400, 'invalid_request');
      expect(await admin.read(`/environments/${envId}/users/${user.id}`)).toEqual({
        ...user,
        memberships: [],
      });
    });

    it('answers an unknown user with 404 not_found', async () => {
      expectError(
        await admin.patch(`/environments/${envId}/users/nope`, { status: 'disabled' }),
        404,
        'not_found',
      );
      expectError(await admin.get(`/environments/${envId}/users/nope`), 404, 'not_found');
    });

    it('SES-11 / RT-10: disabling a user ends every session at once and refuses their login', async () => {
      const { envId: env, clientId, user } = await createLoginSetup(admin);
      const first = await login(admin, { envId: env, clientId, email: user.email });
      const second = await login(admin, { envId: env, clientId, email: user.email });
      expect(await admin.read(`/environments/${env}/users/${user.id}/sessions`)).toHaveLength(2);

      const response = await admin.patch(`/environments/${env}/users/${user.id}`, { status: 'disabled' });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual({ ...user, status: 'disabled' });

      expect(await admin.read(`/environments/${env}/users/${user.id}/sessions`)).toEqual([]);
      for (const browser of [first, second]) expectRefreshRefused(await refresh(admin, browser));
      expectError(await loginAs(admin, { envId: env, clientId, email: user.email }), 403, 'user_disabled');
      expect(
        (await admin.server.deps.storage.getSession(claimsOf(first.accessToken).sid as string))?.endReason,
      ).toBe('user_disabled');

      await admin.patch(`/environments/${env}/users/${user.id}`, { status: 'active' });
      expect((await loginAs(admin, { envId: env, clientId, email: user.email })).statusCode).toBe(200);
      expectRefreshRefused(await refresh(admin, first));
    });
  });

  describe('DELETE …/users/{userId}', () => {
    it('SES-11: deletes the user and ends their sessions', async () => {
      const { envId: env, clientId, user } = await createLoginSetup(admin);
      const browser = await login(admin, { envId: env, clientId, email: user.email });
      expect((await admin.delete(`/environments/${env}/users/${user.id}`)).statusCode).toBe(204);
      expectError(await admin.get(`/environments/${env}/users/${user.id}`), 404, 'not_found');
      expect((await refresh(admin, browser)).statusCode).toBe(401);
      expectError(
        await loginAs(admin, { envId: env, clientId, email: user.email }),
        401,
        'invalid_credentials',
      );
      expectError(await admin.delete(`/environments/${env}/users/${user.id}`), 404, 'not_found');
    });
  });

  /** A disabled user's session is over: `user_disabled` (403) or `session_revoked` (401). */
  function expectRefreshRefused(response: Awaited<ReturnType<typeof refresh>>) {
    expect([401, 403]).toContain(response.statusCode);
    expect(['user_disabled', 'session_revoked']).toContain(response.json().error);
  }
});
