import { createHmac, generateKeyPairSync } from 'node:crypto';
import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { cookieFrom, json, seedWorld, sessionApi, type World } from '@tessera/testing/world';
import { decodeJwt, exportSPKI, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const backends = await backendsUnderTest();

describe.each(backends)('Bearer endpoints of the session API (%s)', (backend) => {
  let t: TestServer;
  let world: World;
  let api: ReturnType<typeof sessionApi>;
  let cookie: string;
  let accessToken: string;

  beforeEach(async () => {
    t = await createTestServer({ backend });
    world = await seedWorld(t);
    api = sessionApi(t);
    const login = await api.login();
    cookie = cookieFrom(login);
    accessToken = json<{ accessToken: string }>(login).accessToken;
  });
  afterEach(async () => t.close());

  it('GET /me describes the user and their tenants with roles', async () => {
    const response = await api.bearer('GET', '/auth/v1/me', accessToken);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(json(response)).toEqual({
      user: { id: world.users.ada.id, email: 'ada@example.com', name: 'ada' },
      tenants: [
        { id: 'acme', name: 'ACME', roles: ['admin'] },
        { id: 'globex', name: 'GLOBEX', roles: ['member'] },
      ],
    });
  });

  it("SES-14: GET /sessions lists only the caller's live sessions and marks the current one", async () => {
    t.clock.advance(5);
    await api.login({}, { origin: 'http://localhost:5173', 'user-agent': 'Second browser' });
    await api.login({ email: 'bob@example.com' });
    const sessions = json<Record<string, unknown>[]>(
      await api.bearer('GET', '/auth/v1/sessions', accessToken),
    );
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions.find((s) => !s.current)).toMatchObject({ userAgent: 'Second browser', ip: '127.0.0.1' });
    expect(Object.keys(sessions[0]!).sort()).toEqual([
      'createdAt',
      'current',
      'device',
      'ip',
      'lastActiveAt',
      'lastIp',
      'sid',
      'userAgent',
    ]);
  });

  it('GET /sessions shows each device parsed from its user agent, and the IP of its latest refresh', async () => {
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
    const second = await api.login({}, { origin: 'http://localhost:5173', 'user-agent': firefox });
    const list = async () =>
      json<Record<string, unknown>[]>(await api.bearer('GET', '/auth/v1/sessions', accessToken));
    const other = (await list()).find((s) => !s.current);
    expect(other).toMatchObject({
      userAgent: firefox,
      device: {
        browser: 'Firefox',
        browserVersion: '133',
        os: 'Linux',
        kind: 'desktop',
        label: 'Firefox 133 on Linux',
      },
      ip: '127.0.0.1',
      lastIp: null,
    });
    expect((await list()).find((s) => s.current)).toMatchObject({
      device: { label: 'Unknown device' },
      lastIp: null,
    });
    t.clock.advance(1);
    expect((await api.refresh(cookieFrom(second))).statusCode).toBe(200);
    expect((await list()).find((s) => !s.current)).toMatchObject({ ip: '127.0.0.1', lastIp: '127.0.0.1' });
  });

  it('GET /sessions answers a hostile user agent as data, never as markup', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await api.login({}, { origin: 'http://localhost:5173', 'user-agent': hostile });
    const response = await api.bearer('GET', '/auth/v1/sessions', accessToken);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const other = json<Record<string, unknown>[]>(response).find((s) => !s.current);
    expect(other).toMatchObject({ userAgent: hostile, device: { label: expect.any(String) } });
    expect((other?.device as { label?: string } | undefined)?.label).not.toMatch(/[<>]/);
  });

  it("DELETE /sessions/{sid} ends one of the caller's sessions; anyone else's is 404 and untouched", async () => {
    const second = await api.login();
    const secondSid = decodeJwt(json<{ accessToken: string }>(second).accessToken).sid as string;
    const bob = await api.login({ email: 'bob@example.com' });
    const bobSid = decodeJwt(json<{ accessToken: string }>(bob).accessToken).sid as string;

    const foreign = await api.bearer('DELETE', `/auth/v1/sessions/${bobSid}`, accessToken);
    expect(foreign.statusCode).toBe(404);
    expect((await api.refresh(cookieFrom(bob))).statusCode).toBe(200);
    expect((await api.bearer('DELETE', '/auth/v1/sessions/unknown-sid', accessToken)).statusCode).toBe(404);

    expect((await api.bearer('DELETE', `/auth/v1/sessions/${secondSid}`, accessToken)).statusCode).toBe(204);
    expect(json(await api.refresh(cookieFrom(second))).error).toBe('session_revoked');
    expect((await api.refresh(cookie)).statusCode).toBe(200);
  });

  it('DELETE /sessions ends every other session of the caller and keeps the current one', async () => {
    const others = [await api.login(), await api.login()];
    expect((await api.bearer('DELETE', '/auth/v1/sessions', accessToken)).statusCode).toBe(204);
    for (const other of others)
      expect(json(await api.refresh(cookieFrom(other))).error).toBe('session_revoked');
    expect((await api.refresh(cookie)).statusCode).toBe(200);
  });

  it('SES-10: once the session ends, its still-unexpired access token no longer opens these endpoints', async () => {
    await api.logout(cookie);
    const response = await api.bearer('GET', '/auth/v1/me', accessToken);
    expect(response.statusCode).toBe(401);
    expect(json(response).error).toBe('unauthorized');
  });

  describe('forged and broken access tokens are 401 unauthorized', () => {
    const parts = () => accessToken.split('.') as [string, string, string];
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = () => decodeJwt(accessToken);

    const forgeries: [string, () => Promise<string> | string][] = [
      ['no token at all', () => ''],
      ['JWT-02: alg none, empty signature', () => `${b64({ alg: 'none', typ: 'at+jwt' })}.${parts()[1]}.`],
      [
        'JWT-02: alg nOnE with the original signature',
        () => `${b64({ alg: 'nOnE', typ: 'at+jwt' })}.${parts()[1]}.${parts()[2]}`,
      ],
      [
        'JWT-02: HS256 keyed with the public key (PEM)',
        async () => {
          const jwks = json<{ keys: Record<string, unknown>[] }>(
            await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' }),
          );
          const { createPublicKey } = await import('node:crypto');
          const pem = await exportSPKI(createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' }));
          const head = b64({ alg: 'HS256', typ: 'at+jwt', kid: jwks.keys[0]!.kid });
          const mac = createHmac('sha256', pem).update(`${head}.${parts()[1]}`).digest('base64url');
          return `${head}.${parts()[1]}.${mac}`;
        },
      ],
      [
        'JWT-01: a tampered payload',
        () => `${parts()[0]}.${b64({ ...claims(), tenantId: 'globex' })}.${parts()[2]}`,
      ],
      [
        'JWT-01: a flipped signature bit',
        () =>
          `${parts()[0]}.${parts()[1]}.${parts()[2].slice(0, -2)}${parts()[2].endsWith('AA') ? 'BA' : 'AA'}`,
      ],
      [
        'JWT-03: signed by an attacker key that rides in the header',
        async () => {
          const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
          return new SignJWT(claims())
            .setProtectedHeader({
              alg: 'ES256',
              typ: 'at+jwt',
              jwk: publicKey.export({ format: 'jwk' }) as never,
            })
            .sign(privateKey);
        },
      ],
      ['JWT-14: four segments', () => `${accessToken}.AAAA`],
      ['JWT-15: a huge token', () => `${parts()[0]}.${'A'.repeat(20_000)}.${parts()[2]}`],
    ];
    it.each(forgeries)('%s', async (_name, forge) => {
      const forged = await forge();
      const response = await t.app.inject({
        method: 'GET',
        url: '/auth/v1/me',
        headers: { authorization: `Bearer ${forged}` },
      });
      expect(response.statusCode).toBe(401);
      expect(json(response).error).toBe('unauthorized');
    });

    it('JWT-05: an expired token', async () => {
      t.clock.advance(301);
      expect((await api.bearer('GET', '/auth/v1/me', accessToken)).statusCode).toBe(401);
    });

    it('JWT-06 / JWT-07 / JWT-08 / JWT-11: another type, issuer, audience or missing claims, signed with our own key', async () => {
      const signer = await t.deps.keyring.signer('default');
      const sign = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
        new SignJWT(payload)
          .setProtectedHeader({ alg: 'ES256', kid: signer.kid, ...header })
          .sign(signer.privateKey);
      const forged = [
        await sign({ typ: 'JWT' }, claims()),
        await sign({}, claims()),
        await sign({ typ: 'at+jwt' }, { ...claims(), iss: 'http://localhost:4000/' }),
        await sign({ typ: 'at+jwt' }, { ...claims(), iss: 'https://localhost:4000' }),
        // JWT-07: an audience that is not the client the token was issued to.
        await sign({ typ: 'at+jwt' }, { ...claims(), aud: 'another-client' }),
        // JWT-11: required claims missing or of the wrong type.
        await sign({ typ: 'at+jwt' }, { ...claims(), sid: undefined }),
        await sign({ typ: 'at+jwt' }, { ...claims(), tenantId: ['acme'] }),
      ];
      for (const token of forged)
        expect((await api.bearer('GET', '/auth/v1/me', token)).statusCode).toBe(401);
      // The control: the same key, header and claims are accepted.
      expect(
        (await api.bearer('GET', '/auth/v1/me', await sign({ typ: 'at+jwt' }, claims()))).statusCode,
      ).toBe(200);
    });

    it('Basic credentials or a token in the query are refused (SES-04, CK-10)', async () => {
      expect(
        (await t.app.inject({ method: 'GET', url: '/auth/v1/me', headers: { authorization: 'Basic YTpi' } }))
          .statusCode,
      ).toBe(401);
      expect(
        (await t.app.inject({ method: 'GET', url: `/auth/v1/me?access_token=${accessToken}` })).statusCode,
      ).toBe(401);
    });
  });
});
