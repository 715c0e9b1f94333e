/**
 * `GET /admin/v1/environments/{envId}/stats`: live sessions, and logins, login failures, refreshes
 * and refusals by code per minute, zero-filled, oldest first — counted in memory per node and stored
 * every few seconds and when the server closes (docs/operations.md, "Activity counters").
 */
import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../../storage/open.js';
import type { Storage } from '../../../storage/port.js';
import { createTestSchema } from '../../../storage/postgres/test-database.js';
import {
  type AdminClient,
  createLoginSetup,
  expectError,
  login,
  loginAs,
  refresh,
  startAdmin,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();

interface Stats {
  liveSessions: number;
  minutes: {
    at: string;
    logins: number;
    loginFailures: number;
    refreshes: number;
    refusals: Record<string, number>;
  }[];
}

const minuteOf = (epochSeconds: number) =>
  new Date((epochSeconds - (epochSeconds % 60)) * 1000).toISOString();
const zero = (at: string) => ({ at, logins: 0, loginFailures: 0, refreshes: 0, refusals: {} });

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
  });
  afterAll(async () => {
    await admin?.close();
  });

  const stats = async (envId: string, query = '') => {
    await admin.server.deps.activity.flush();
    return (await admin.read(`/environments/${envId}/stats${query}`)) as Stats;
  };

  it('answers every minute of the window with zeros for a quiet environment, oldest first', async () => {
    const { envId } = await createLoginSetup(admin);
    const now = admin.server.clock.now();
    expect(await stats(envId, '?minutes=3')).toEqual({
      liveSessions: 0,
      minutes: [zero(minuteOf(now - 120)), zero(minuteOf(now - 60)), zero(minuteOf(now))],
    });
    expect((await stats(envId)).minutes).toHaveLength(60);
    expect((await stats(envId, '?minutes=1440')).minutes).toHaveLength(1440);
  });

  it('counts logins, failures, refreshes and refusals by code, in the minute they happened', async () => {
    const setup = await createLoginSetup(admin);
    const { envId, clientId } = setup;
    const email = setup.user.email;
    const start = admin.server.clock.now();
    const browser = await login(admin, { envId, clientId, email });
    expect((await loginAs(admin, { envId, clientId, email, password: 'wrong password' })).statusCode).toBe(
      401,
    );
    expect((await refresh(admin, browser)).statusCode).toBe(200);
    admin.server.clock.advance(60);
    const second = await login(admin, { envId, clientId, email });
    expect((await refresh(admin, second)).statusCode).toBe(200);
    expect((await refresh(admin, second)).statusCode).toBe(200);
    await admin.delete(`/environments/${envId}/users/${setup.user.id}/sessions`);
    expectError(await refresh(admin, second), 401, 'session_revoked');
    expectError(await refresh(admin, { ...browser, cookie: 'tessera_refresh=garbage' }), 401, 'no_session');

    const { liveSessions, minutes } = await stats(envId, '?minutes=2');
    expect(liveSessions).toBe(0);
    expect(minutes).toEqual([
      { at: minuteOf(start), logins: 1, loginFailures: 1, refreshes: 1, refusals: {} },
      {
        at: minuteOf(start + 60),
        logins: 1,
        loginFailures: 0,
        refreshes: 2,
        refusals: { session_revoked: 1, no_session: 1 },
      },
    ]);
  });

  it('counts the live sessions of the environment only', async () => {
    const setup = await createLoginSetup(admin);
    const other = await createLoginSetup(admin);
    await login(admin, { envId: setup.envId, clientId: setup.clientId, email: setup.user.email });
    await login(admin, { envId: setup.envId, clientId: setup.clientId, email: setup.user.email });
    await login(admin, { envId: other.envId, clientId: other.clientId, email: other.user.email });
    expect((await stats(setup.envId, '?minutes=1')).liveSessions).toBe(2);
    expect((await stats(other.envId, '?minutes=1')).liveSessions).toBe(1);
  });

  it.each([
    ['0 minutes', 'minutes=0'],
    ['more than a day', 'minutes=1441'],
    ['a negative number', 'minutes=-5'],
    ['a fraction', 'minutes=1.5'],
    ['a word', 'minutes=hour'],
    ['an empty value', 'minutes='],
  ])('refuses %s with 400 naming minutes', async (_, query) => {
    const { envId } = await createLoginSetup(admin);
    const response = await admin.get(`/environments/${envId}/stats?${query}`);
    expectError(response, 400, 'invalid_request');
    expect(response.json().field).toBe('minutes');
  });

  it('refuses an unknown parameter with 400 naming it, and an unknown environment with 404', async () => {
    const { envId } = await createLoginSetup(admin);
    const response = await admin.get(`/environments/${envId}/stats?since=2026-01-01`);
    expectError(response, 400, 'invalid_request');
    expect(response.json().field).toBe('since');
    expectError(await admin.get('/environments/nope/stats'), 404, 'not_found');
    expectError(await admin.get('/environments/nope/stats?minutes=5'), 404, 'not_found');
    expect((await admin.post(`/environments/${envId}/stats`, {})).statusCode).toBe(405);
  });
});

describe.each(backends)('closing the server (%s)', (backend) => {
  let storage: Storage;
  let dropSchema: () => Promise<void> = async () => {};
  beforeAll(async () => {
    if (backend === 'postgres') {
      const schema = await createTestSchema();
      dropSchema = schema.drop;
      storage = await openStorage(schema.url, { schema: schema.name });
    } else {
      storage = await openStorage('sqlite::memory:');
    }
  });
  afterAll(async () => {
    await storage?.close();
    await dropSchema();
  });

  it('stores the counts not yet flushed, so none is lost', async () => {
    // The server's close would close the storage; the test keeps it open to read after.
    const admin = await startAdmin({ backend, storage: { ...storage, close: async () => {} } });
    const { server } = admin;
    const { envId, clientId, user } = await createLoginSetup(admin);
    const browser = await login(admin, { envId, clientId, email: user.email });
    expect((await refresh(admin, browser)).statusCode).toBe(200);
    const now = server.clock.now();
    const minute = now - (now % 60);
    expect(await storage.listActivityCounts(envId, minute, minute)).toEqual([]);

    await admin.close();
    expect(await storage.listActivityCounts(envId, minute, minute)).toEqual([
      { envId, minute, name: 'login', count: 1 },
      { envId, minute, name: 'refresh', count: 1 },
    ]);
  });
});
