/**
 * `GET /admin/v1/environments/{envId}/sessions`: the environment's live sessions, most recently
 * active first, paged with a cursor, filtered by user (DESIGN §3.3).
 */
import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  addMember,
  type Browser,
  claimsOf,
  createLoginSetup,
  createUser,
  expectError,
  login,
  refresh,
  startAdmin,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();

const CHROME_ON_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const sidOf = (browser: Browser) => claimsOf(browser.accessToken).sid as string;

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
  });
  afterAll(async () => {
    await admin?.close();
  });

  /** Three sessions of two users, created a second apart: ada-1, bob, ada-2 (the newest). */
  async function threeSessions() {
    const setup = await createLoginSetup(admin);
    const bob = await createUser(admin, setup.envId);
    await addMember(admin, setup.envId, setup.homeTenantId, bob.id);
    const as = (email: string) => login(admin, { envId: setup.envId, clientId: setup.clientId, email });
    const ada1 = await as(setup.user.email);
    admin.server.clock.advance(1);
    const bobs = await as(bob.email);
    admin.server.clock.advance(1);
    const ada2 = await as(setup.user.email);
    return { ...setup, bob, ada1, bobs, ada2, list: `/environments/${setup.envId}/sessions` };
  }

  const sids = (items: unknown) => (items as { sid: string }[]).map((s) => s.sid);

  it('lists the live sessions, most recently active first, with the admin view of each', async () => {
    const { envId, clientId, user, homeTenantId, ada1, bobs, ada2, list } = await threeSessions();
    const items = (await admin.read(list)) as Record<string, unknown>[];
    expect(sids(items)).toEqual([sidOf(ada2), sidOf(bobs), sidOf(ada1)]);
    expect(items[0]).toEqual({
      sid: sidOf(ada2),
      userId: user.id,
      tenantId: homeTenantId,
      clientId,
      clientIds: [clientId],
      createdAt: expect.any(String),
      lastActiveAt: expect.any(String),
      lastRefreshAt: expect.any(String),
      idleExpiresAt: null,
      absoluteExpiresAt: null,
      userAgent: 'vitest',
      device: { browser: null, browserVersion: null, os: null, kind: null, label: 'Unknown device' },
      ip: '127.0.0.1',
      lastIp: null,
    });
    // Activity moves a session to the front.
    admin.server.clock.advance(5);
    expect((await refresh(admin, ada1, { active: true })).statusCode).toBe(200);
    expect(sids(await admin.read(`/environments/${envId}/sessions`))).toEqual([
      sidOf(ada1),
      sidOf(ada2),
      sidOf(bobs),
    ]);
  });

  it('pages with a Link to the next page, each session once', async () => {
    const { ada1, bobs, ada2, list } = await threeSessions();
    const first = await admin.get(`${list}?limit=2`);
    expect(first.statusCode).toBe(200);
    expect(sids(first.json())).toEqual([sidOf(ada2), sidOf(bobs)]);
    const link = /^<\/admin\/v1([^>]+)>; rel="next"$/.exec(String(first.headers.link));
    expect(link?.[1]).toMatch(/^\/environments\/[^/]+\/sessions\?cursor=[A-Za-z0-9_-]+&limit=2$/);
    const second = await admin.get(link?.[1] ?? '');
    expect(sids(second.json())).toEqual([sidOf(ada1)]);
    expect(second.headers.link).toBeUndefined();
  });

  it("lists one user's sessions with userId, and none for an unknown user", async () => {
    const { user, bob, ada1, bobs, ada2, list } = await threeSessions();
    expect(sids(await admin.read(`${list}?userId=${user.id}`))).toEqual([sidOf(ada2), sidOf(ada1)]);
    expect(sids(await admin.read(`${list}?userId=${bob.id}&limit=1`))).toEqual([sidOf(bobs)]);
    expect(await admin.read(`${list}?userId=nobody`)).toEqual([]);
  });

  it('leaves out ended sessions, and those that lapsed though no job ended them (SES-18)', async () => {
    const { envId, ada1, bobs, ada2, list } = await threeSessions();
    expect((await admin.delete(`/environments/${envId}/sessions/${sidOf(bobs)}`)).statusCode).toBe(204);
    expect(sids(await admin.read(list))).toEqual([sidOf(ada2), sidOf(ada1)]);
    await admin.patch(`/environments/${envId}`, { sessionPolicy: { idleTimeoutSeconds: 60 } });
    admin.server.clock.advance(57);
    expect((await refresh(admin, ada1, { active: true })).statusCode).toBe(200);
    admin.server.clock.advance(3);
    expect(sids(await admin.read(list))).toEqual([sidOf(ada1)]);
  });

  it("shows the device parsed from the user agent, and the last refresh's IP", async () => {
    const { envId, clientId, user, list } = await threeSessions();
    const response = await admin.server.app.inject({
      method: 'POST',
      url: `/e/${envId}/auth/v1/login`,
      headers: { 'content-type': 'application/json', 'user-agent': CHROME_ON_MAC },
      payload: JSON.stringify({ clientId, email: user.email, password: 'correct horse battery staple' }),
    });
    expect(response.statusCode).toBe(200);
    const cookie = response.headers['set-cookie'];
    const refreshCookie = (Array.isArray(cookie) ? cookie : [cookie ?? ''])[0]?.split(';')[0] ?? '';
    const chrome: Browser = {
      envId,
      clientId,
      cookie: refreshCookie,
      accessToken: response.json().accessToken,
    };
    admin.server.clock.advance(1);
    expect(
      (await refresh(admin, chrome, { active: true }, { remoteAddress: '203.0.113.40' })).statusCode,
    ).toBe(200);
    const [newest] = (await admin.read(list)) as Record<string, unknown>[];
    expect(newest).toMatchObject({
      sid: sidOf(chrome),
      userAgent: CHROME_ON_MAC,
      device: {
        browser: 'Chrome',
        browserVersion: '131',
        os: 'macOS',
        kind: 'desktop',
        label: 'Chrome 131 on macOS',
      },
      ip: '127.0.0.1',
      lastIp: '203.0.113.40',
    });
  });

  it.each([
    ['a cursor that is not one', 'cursor=not-a-cursor', 'cursor'],
    ['a limit of 0', 'limit=0', 'limit'],
    ['a limit past the maximum', 'limit=201', 'limit'],
    ['a malformed userId', 'userId=bad%20id', 'userId'],
    ['an empty userId', 'userId=', 'userId'],
    ['an unknown parameter', 'tenantId=acme', 'tenantId'],
  ])('refuses %s with 400 naming it, and ends nothing', async (_, query, field) => {
    const { list } = await threeSessions();
    const before = await admin.read(list);
    const response = await admin.get(`${list}?${query}`);
    expectError(response, 400, 'invalid_request');
    expect(response.json().field).toBe(field);
    expect(await admin.read(list)).toEqual(before);
  });

  it('answers 404 for an unknown environment, and 405 for other methods', async () => {
    expectError(await admin.get('/environments/nope/sessions'), 404, 'not_found');
    expectError(await admin.get('/environments/nope/sessions?userId=someone&limit=2'), 404, 'not_found');
    const { list } = await threeSessions();
    expect((await admin.delete(list)).statusCode).toBe(405);
  });
});
