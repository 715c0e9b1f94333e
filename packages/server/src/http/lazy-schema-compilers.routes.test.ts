/**
 * Production's schema compilers (lazy-schema-compilers.ts) on the real server's routes, as
 * `createTesseraServer` wires them when given none — where every other test file shares eagerly
 * compiled ones (packages/testing/src/schema-compilers.ts). On one server each schema is compiled
 * by its route's first request; on another, by the background compile that starts once it listens.
 * Both answer valid and invalid bodies, queries and paths as the eager compilers do, and the
 * background compile compiles every route's schemas without a failure.
 */
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { capturingLogger } from '@tessera/testing/log-capture';
import { cookieFrom, ORIGIN, PASSWORD, seedWorld, sessionApi } from '@tessera/testing/world';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const CSRF = { 'x-tessera-request': '1', origin: ORIGIN };
const NEW_PASSWORD = 'a new password for a new user';

/** What must not differ between compilers: the status, and the whole body of an error. */
interface Answer {
  status: number;
  /** An error's body; a success's field names (its values are fresh ids, tokens and times). */
  body: unknown;
}

function answerOf(response: LightMyRequestResponse): Answer {
  const body: unknown = response.body === '' ? null : response.json();
  if (response.statusCode < 400 && body !== null && typeof body === 'object') {
    const fields = (value: object) => Object.keys(value).sort();
    return { status: response.statusCode, body: Array.isArray(body) ? body.map(fields) : fields(body) };
  }
  return { status: response.statusCode, body };
}

const admin = (t: TestServer, method: 'GET' | 'POST', url: string, body?: unknown) =>
  t.app.inject({
    method,
    url: `/admin/v1${url}`,
    headers: { authorization: `Bearer ${t.adminKey}` },
    ...(body !== undefined && { payload: body as object }),
  });

/** Each request once, in order, on one server: valid ones and one of each kind of bad input. */
const REQUESTS: { name: string; send(t: TestServer): Promise<LightMyRequestResponse> }[] = [
  { name: 'login', send: (t) => sessionApi(t).login() },
  { name: 'login without a password', send: (t) => sessionApi(t).login({ password: undefined }) },
  { name: 'login with an unknown field', send: (t) => sessionApi(t).login({ remember: true }) },
  { name: 'login with a number for an email', send: (t) => sessionApi(t).login({ email: 42 }) },
  {
    name: 'refresh',
    send: async (t) => sessionApi(t).refresh(cookieFrom(await sessionApi(t).login())),
  },
  { name: 'refresh with an unknown field', send: (t) => sessionApi(t).refresh(undefined, { extra: 1 }) },
  {
    name: 'switch tenant with no tenant',
    send: (t) => sessionApi(t).inject('PUT', '/auth/v1/tenant', { body: { clientId: 'app' }, headers: CSRF }),
  },
  {
    name: 'admin: create a user',
    send: (t) =>
      admin(t, 'POST', '/environments/default/users', { email: 'cy@example.com', password: NEW_PASSWORD }),
  },
  {
    name: 'admin: create a user with a number for a password',
    send: (t) => admin(t, 'POST', '/environments/default/users', { email: 'dee@example.com', password: 7 }),
  },
  {
    name: 'admin: create a user with an unknown field',
    send: (t) =>
      admin(t, 'POST', '/environments/default/users', {
        email: 'eve@example.com',
        password: NEW_PASSWORD,
        isAdmin: true,
      }),
  },
  { name: 'admin: list users', send: (t) => admin(t, 'GET', '/environments/default/users?limit=1') },
  {
    name: 'admin: list users with an unknown query field',
    send: (t) => admin(t, 'GET', '/environments/default/users?sort=email'),
  },
  {
    name: 'admin: list users, limit not a number',
    send: (t) => admin(t, 'GET', '/environments/default/users?limit=ten'),
  },
];

async function answersOf(t: TestServer): Promise<Record<string, Answer>> {
  const answers: Record<string, Answer> = {};
  for (const { name, send } of REQUESTS) answers[name] = answerOf(await send(t));
  return answers;
}

async function seededServer(options: Parameters<typeof createTestServer>[0] = {}): Promise<TestServer> {
  const server = await createTestServer(options);
  await seedWorld(server);
  return server;
}

describe("the real routes with production's lazy schema compilers", () => {
  const servers: TestServer[] = [];
  let expected: Record<string, Answer>;

  beforeAll(async () => {
    const eager = await seededServer();
    servers.push(eager);
    expected = await answersOf(eager);
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it('the eager answers are the ones to match: valid requests pass, bad ones are 400 invalid_request', () => {
    const statuses = Object.fromEntries(Object.entries(expected).map(([name, { status }]) => [name, status]));
    expect(statuses).toEqual({
      login: 200,
      'login without a password': 400,
      'login with an unknown field': 400,
      'login with a number for an email': 400,
      refresh: 200,
      'refresh with an unknown field': 400,
      'switch tenant with no tenant': 400,
      'admin: create a user': 201,
      'admin: create a user with a number for a password': 400,
      'admin: create a user with an unknown field': 400,
      'admin: list users': 200,
      'admin: list users with an unknown query field': 400,
      'admin: list users, limit not a number': 400,
    });
    for (const { status, body } of Object.values(expected))
      if (status === 400) expect(body).toMatchObject({ error: 'invalid_request' });
  });

  it('compiled on first use, before any background compile: the same answers', async () => {
    const { logger, lines } = capturingLogger();
    const server = await seededServer({ lazySchemaCompilers: true, logger });
    servers.push(server);
    expect(await answersOf(server)).toEqual(expected);
    // Not listening: nothing was compiled in the background.
    expect(lines.filter((line) => line.includes('in the background'))).toEqual([]);
  });

  it('compiled in the background once listening: every route schema compiles, and the same answers', async () => {
    const { logger, lines } = capturingLogger();
    const server = await seededServer({ lazySchemaCompilers: true, logger });
    servers.push(server);
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const done = await vi.waitFor(
      () => {
        const line = lines.find((entry) => entry.includes('route schemas compiled in the background'));
        if (!line) throw new Error('the background compile has not finished');
        return JSON.parse(line) as { compiled: number; failed: number };
      },
      // 364 schemas, one per turn of the loop: seconds on a busy 2-core machine.
      { timeout: 60_000, interval: 50 },
    );
    expect(done.failed).toBe(0);
    // Every route's: the session API and the admin API, with and without the /e/:envId prefix.
    expect(done.compiled).toBeGreaterThan(200);
    const warnings = lines.map((line) => JSON.parse(line) as { level: number }).filter((l) => l.level >= 40);
    expect(warnings).toEqual([]);

    expect(await answersOf(server)).toEqual(expected);
    expect(lines.join('')).not.toContain(NEW_PASSWORD);
    expect(lines.join('')).not.toContain(PASSWORD);
  }, 90_000);
});
