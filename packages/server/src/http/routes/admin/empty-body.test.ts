/**
 * Bodyless admin requests sent with `Content-Type: application/json` and an empty body, as many
 * HTTP clients do: accepted on routes that take no body; a malformed non-empty body, or an empty
 * one where a body is required, is still refused with 400 and changes nothing.
 */

import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  claimsOf,
  createLoginSetup,
  createTenant,
  expectError,
  login,
  startAdmin,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();
const JSON_TYPE = { 'content-type': 'application/json' };

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
  });
  afterAll(async () => {
    await admin?.close();
  });

  const bodyless = (method: 'DELETE' | 'POST', url: string, payload = '') =>
    admin.request({ method, url, headers: JSON_TYPE, payload });

  async function loggedIn() {
    const setup = await createLoginSetup(admin);
    const browser = await login(admin, {
      envId: setup.envId,
      clientId: setup.clientId,
      email: setup.user.email,
    });
    const sid = claimsOf(browser.accessToken).sid as string;
    const sessions = `/environments/${setup.envId}/users/${setup.user.id}/sessions`;
    return { ...setup, sid, sessions };
  }

  it('DELETE …/sessions/{sid} with an empty JSON body ends the session', async () => {
    const { envId, sid, sessions } = await loggedIn();
    expect((await bodyless('DELETE', `/environments/${envId}/sessions/${sid}`)).statusCode).toBe(204);
    expect(await admin.read(sessions)).toEqual([]);
  });

  it("DELETE …/users/{userId}/sessions with an empty JSON body ends the user's sessions", async () => {
    const { sessions } = await loggedIn();
    expect((await bodyless('DELETE', sessions)).statusCode).toBe(204);
    expect(await admin.read(sessions)).toEqual([]);
  });

  it('POST …/keys/rotate with an empty JSON body publishes a next key', async () => {
    const { envId } = await loggedIn();
    const keys = async () => ((await admin.read(`/environments/${envId}/keys`)) as { keys: unknown[] }).keys;
    const before = await keys();
    expect((await bodyless('POST', `/environments/${envId}/keys/rotate`)).statusCode).toBe(200);
    expect(await keys()).toHaveLength(before.length + 1);
  });

  it('other DELETEs (a tenant) take an empty JSON body too', async () => {
    const { envId } = await loggedIn();
    const tenant = await createTenant(admin, envId);
    expect((await bodyless('DELETE', `/environments/${envId}/tenants/${tenant.id}`)).statusCode).toBe(204);
    expectError(await admin.get(`/environments/${envId}/tenants/${tenant.id}`), 404, 'not_found');
  });

  it('still refuses a malformed non-empty body with 400, and changes nothing', async () => {
    const { envId, sid, sessions } = await loggedIn();
    const keys = await admin.read(`/environments/${envId}/keys`);
    expectError(
      await bodyless('DELETE', `/environments/${envId}/sessions/${sid}`, '{oops'),
      400,
      'invalid_request',
    );
    expectError(
      await bodyless('POST', `/environments/${envId}/keys/rotate`, '{"__proto__":{}}'),
      400,
      'invalid_request',
    );
    expect(((await admin.read(sessions)) as { sid: string }[]).map((s) => s.sid)).toEqual([sid]);
    expect(await admin.read(`/environments/${envId}/keys`)).toEqual(keys);
  });

  it('still refuses an empty body where one is required, and changes nothing', async () => {
    const { envId } = await loggedIn();
    const tenants = await admin.read(`/environments/${envId}/tenants`);
    expectError(
      await admin.request({
        method: 'POST',
        url: `/environments/${envId}/tenants`,
        headers: JSON_TYPE,
        payload: '',
      }),
      400,
      'invalid_request',
    );
    expect(await admin.read(`/environments/${envId}/tenants`)).toEqual(tenants);
  });
});
