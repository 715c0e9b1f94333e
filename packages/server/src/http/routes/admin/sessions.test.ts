/** Admin view and termination of sessions (DESIGN §3.3; security.md SES-14). */

import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  claimsOf,
  createLoginSetup,
  expectError,
  login,
  refresh,
  startAdmin,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();

const sidOf = (browser: { accessToken: string }) => claimsOf(browser.accessToken).sid as string;

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
  });
  afterAll(async () => {
    await admin?.close();
  });

  async function twoSessions() {
    const setup = await createLoginSetup(admin);
    const first = await login(admin, {
      envId: setup.envId,
      clientId: setup.clientId,
      email: setup.user.email,
    });
    admin.server.clock.advance(5);
    const second = await login(admin, {
      envId: setup.envId,
      clientId: setup.clientId,
      email: setup.user.email,
    });
    return {
      ...setup,
      first,
      second,
      sessions: `/environments/${setup.envId}/users/${setup.user.id}/sessions`,
    };
  }

  describe('GET …/users/{userId}/sessions', () => {
    it("lists the user's live sessions, oldest first", async () => {
      const { clientId, user, homeTenantId, first, second, sessions } = await twoSessions();
      const list = await admin.read(sessions);
      const now = admin.server.clock.now();
      const at = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();
      const common = {
        userId: user.id,
        tenantId: homeTenantId,
        clientId,
        clientIds: [clientId],
        idleExpiresAt: null,
        absoluteExpiresAt: null,
        userAgent: 'vitest',
        device: { browser: null, browserVersion: null, os: null, kind: null, label: 'Unknown device' },
        ip: '127.0.0.1',
        lastIp: null,
      };
      expect(list).toEqual([
        {
          sid: sidOf(first),
          createdAt: at(now - 5),
          lastActiveAt: at(now - 5),
          lastRefreshAt: at(now - 5),
          ...common,
        },
        { sid: sidOf(second), createdAt: at(now), lastActiveAt: at(now), lastRefreshAt: at(now), ...common },
      ]);
    });

    it('shows the device, the IP of the latest refresh, and the deadlines of the policy in force', async () => {
      const { envId, homeTenantId, first, sessions } = await twoSessions();
      await admin.patch(`/environments/${envId}`, {
        sessionPolicy: { idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 86400 },
      });
      await admin.patch(`/environments/${envId}/tenants/${homeTenantId}`, {
        sessionPolicy: { idleTimeoutSeconds: 120 },
      });
      admin.server.clock.advance(10);
      const refreshed = await refresh(admin, first, { active: true }, { remoteAddress: '198.51.100.7' });
      expect(refreshed.statusCode).toBe(200);
      const now = admin.server.clock.now();
      const [listed] = (await admin.read(sessions)) as Record<string, unknown>[];
      expect(listed).toMatchObject({
        sid: sidOf(first),
        ip: '127.0.0.1',
        lastIp: '198.51.100.7',
        lastRefreshAt: new Date(now * 1000).toISOString(),
        idleExpiresAt: new Date((now + 120) * 1000).toISOString(),
        absoluteExpiresAt: new Date((now - 15 + 86400) * 1000).toISOString(),
      });
    });

    it('leaves out sessions that lapsed under the policy, though no job ended them (SES-18)', async () => {
      const { envId, first, sessions } = await twoSessions();
      await admin.patch(`/environments/${envId}`, { sessionPolicy: { idleTimeoutSeconds: 60 } });
      admin.server.clock.advance(50);
      expect((await refresh(admin, first, { active: true })).statusCode).toBe(200);
      admin.server.clock.advance(15);
      expect(((await admin.read(sessions)) as { sid: string }[]).map((s) => s.sid)).toEqual([sidOf(first)]);
    });

    it('answers an unknown user with 404 not_found', async () => {
      const { envId } = await createLoginSetup(admin);
      expectError(await admin.get(`/environments/${envId}/users/nope/sessions`), 404, 'not_found');
      expectError(await admin.get('/environments/nope/users/nope/sessions'), 404, 'not_found');
    });
  });

  describe('DELETE …/users/{userId}/sessions', () => {
    it('SES-14: ends every session of the user; each refresh is then refused', async () => {
      const { first, second, sessions } = await twoSessions();
      const response = await admin.delete(sessions);
      expect(response.statusCode).toBe(204);
      expect(await admin.read(sessions)).toEqual([]);
      for (const browser of [first, second])
        expectError(await refresh(admin, browser), 401, 'session_revoked');
      expect((await admin.server.deps.storage.getSession(sidOf(first)))?.endReason).toBe('revoked');
    });

    it('leaves other users alone', async () => {
      const { sessions } = await twoSessions();
      const bystander = await twoSessions();
      await admin.delete(sessions);
      expect((await refresh(admin, bystander.first)).statusCode).toBe(200);
    });

    it('answers an unknown user with 404 not_found', async () => {
      const { envId } = await createLoginSetup(admin);
      expectError(await admin.delete(`/environments/${envId}/users/nope/sessions`), 404, 'not_found');
    });
  });

  describe('DELETE …/sessions/{sid}', () => {
    it('SES-14: ends that one session only', async () => {
      const { envId, first, second, sessions } = await twoSessions();
      expect((await admin.delete(`/environments/${envId}/sessions/${sidOf(first)}`)).statusCode).toBe(204);
      expectError(await refresh(admin, first), 401, 'session_revoked');
      expect((await refresh(admin, second)).statusCode).toBe(200);
      expect(((await admin.read(sessions)) as { sid: string }[]).map((s) => s.sid)).toEqual([sidOf(second)]);
    });

    it('answers an unknown, ended or other-environment session with 404 not_found', async () => {
      const { envId, first } = await twoSessions();
      const other = await twoSessions();
      expectError(await admin.delete(`/environments/${envId}/sessions/unknown`), 404, 'not_found');
      expectError(
        await admin.delete(`/environments/${envId}/sessions/${sidOf(other.first)}`),
        404,
        'not_found',
      );
      expect((await refresh(admin, other.first)).statusCode).toBe(200);
      await admin.delete(`/environments/${envId}/sessions/${sidOf(first)}`);
      expectError(await admin.delete(`/environments/${envId}/sessions/${sidOf(first)}`), 404, 'not_found');
    });
  });
});
