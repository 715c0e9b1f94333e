/**
 * Request ids (docs/operations.md, "Request ids"): every response says its id in `x-request-id`,
 * and every log line written for the request carries it as `reqId` — Fastify's access line and the
 * use cases' event lines alike. A caller's id is kept only when it is short and safe. The use cases
 * get the id with their request's dependencies (`request.deps`), not from an async context: each
 * use case that logs is exercised here, its lines read back by id.
 */
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { capturingLogger } from '@tessera/testing/log-capture';
import { cookieFrom, json, ORIGIN, PASSWORD, seedWorld, sessionApi } from '@tessera/testing/world';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  const capture = capturingLogger();
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ logger: capture.logger });
    await seedWorld(t);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    capture.lines.splice(0);
  });

  const linesOf = (reqId: string) =>
    capture.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.reqId === reqId);

  it('gives each response a fresh id when the request brings none', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/healthz' });
    const second = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(first.headers['x-request-id']).toMatch(UUID);
    expect(second.headers['x-request-id']).toMatch(UUID);
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });

  it('keeps a safe incoming id, and puts it on every log line of the request, the events included', async () => {
    const reqId = 'edge-7f3a.42:abc_DEF';
    const response = await sessionApi(t).login(
      {},
      { origin: 'http://localhost:5173', 'x-request-id': reqId },
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe(reqId);
    const lines = linesOf(reqId);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['login.succeeded', 'request']));
    // Every line written meanwhile is this request's: none lacks the id.
    expect(capture.lines.filter((line) => !line.includes(`"reqId":"${reqId}"`))).toEqual([]);
  });

  it('carries the id on the event lines of a login over a real socket (the body read in chunks)', async () => {
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    const reqId = 'socket-login-1';
    const response = await fetch(`${base}/auth/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:5173', 'x-request-id': reqId },
      body: JSON.stringify({ email: 'ada@example.com', password: PASSWORD, clientId: 'app' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(reqId);
    expect(linesOf(reqId).map((l) => l.msg)).toEqual(expect.arrayContaining(['login.succeeded', 'request']));
  });

  /** The lines written since the last `beforeEach`, after checking that every one carries `reqId`. */
  const onlyLinesOf = (reqId: string) => {
    expect(capture.lines.filter((line) => !line.includes(`"reqId":"${reqId}"`))).toEqual([]);
    return linesOf(reqId).map((l) => l.msg);
  };
  const csrf = (reqId: string) => ({ 'x-tessera-request': '1', origin: ORIGIN, 'x-request-id': reqId });

  it('carries the id on the refresh path: a rotation, a refused tenant, then a reuse that ends the session', async () => {
    const api = sessionApi(t);
    const first = cookieFrom(await api.login());
    capture.lines.splice(0);

    const rotated = await api.refresh(first, {}, csrf('refresh-ok-1'));
    expect(rotated.statusCode).toBe(200);
    expect(rotated.headers['x-request-id']).toBe('refresh-ok-1');
    expect(onlyLinesOf('refresh-ok-1')).toEqual(['request']);
    const second = cookieFrom(rotated);

    capture.lines.splice(0);
    const refused = await api.refresh(second, { tenantId: 'no-such-tenant' }, csrf('refresh-refused-1'));
    expect(refused.statusCode).toBe(403);
    expect(onlyLinesOf('refresh-refused-1')).toEqual(
      expect.arrayContaining(['session.refresh_refused', 'request']),
    );

    // After the grace window, the first cookie again: reuse, the session ends (RT-02).
    t.clock.advance(60);
    capture.lines.splice(0);
    const reused = await api.refresh(first, {}, csrf('refresh-reused-1'));
    expect(reused.statusCode).toBe(401);
    expect(onlyLinesOf('refresh-reused-1')).toEqual(
      expect.arrayContaining(['refresh token reuse detected; session ended', 'session.ended', 'request']),
    );
  });

  it('carries the id on the session.ended line of a logout and of a session ended by its owner', async () => {
    const api = sessionApi(t);
    const cookie = cookieFrom(await api.login());
    capture.lines.splice(0);
    const logout = await api.inject('POST', '/auth/v1/logout', {
      body: { clientId: 'app' },
      headers: { ...csrf('logout-1'), cookie },
    });
    expect(logout.statusCode).toBe(204);
    expect(onlyLinesOf('logout-1')).toEqual(expect.arrayContaining(['session.ended', 'request']));

    const { accessToken } = json<{ accessToken: string }>(await api.login());
    const other = decodeJwt(json<{ accessToken: string }>(await api.login()).accessToken).sid as string;
    capture.lines.splice(0);
    const ended = await api.inject('DELETE', `/auth/v1/sessions/${other}`, {
      headers: { authorization: `Bearer ${accessToken}`, 'x-request-id': 'end-own-1' },
    });
    expect(ended.statusCode).toBe(204);
    expect(onlyLinesOf('end-own-1')).toEqual(expect.arrayContaining(['session.ended', 'request']));
  });

  it("carries the id on the lines of an admin change, the keyring's included", async () => {
    capture.lines.splice(0);
    const rotated = await t.app.inject({
      method: 'POST',
      url: '/admin/v1/environments/default/keys/rotate',
      headers: { authorization: `Bearer ${t.adminKey}`, 'x-request-id': 'rotate-1' },
    });
    expect(rotated.statusCode).toBe(200);
    expect(onlyLinesOf('rotate-1')).toEqual(
      expect.arrayContaining(['signing key added', 'admin.key.rotated', 'request']),
    );
  });

  it('writes no reqId on the lines of work outside a request', async () => {
    await t.deps.keyring.rotate('default', 'ES256');
    expect(capture.lines.length).toBeGreaterThan(0);
    expect(capture.lines.filter((line) => line.includes('"reqId"'))).toEqual([]);
  });

  it('carries the id on error answers too', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/v1/login',
      payload: '{"email":',
      headers: { 'content-type': 'application/json', 'x-request-id': 'bad-body-1' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-request-id']).toBe('bad-body-1');
    expect(linesOf('bad-body-1').length).toBeGreaterThan(0);
  });

  it.each([
    ['too long (65 characters)', 'a'.repeat(65)],
    ['empty', ''],
    ['with a space', 'abc def'],
    ['with markup', '<script>alert(1)</script>'],
    ['with a quote', 'abc"def'],
    ['with a slash', 'a/b'],
    ['non-ASCII', 'ïd'],
  ])('replaces an incoming id %s with a fresh one, which the logs carry instead', async (_name, incoming) => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': incoming },
    });
    expect(response.statusCode).toBe(200);
    const id = response.headers['x-request-id'] as string;
    expect(id).toMatch(UUID);
    expect(linesOf(id).length).toBeGreaterThan(0);
    if (incoming !== '') expect(capture.lines.join('\n')).not.toContain(incoming);
  });

  it('keeps an id of exactly 64 characters', async () => {
    const id = 'b'.repeat(64);
    const response = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': id } });
    expect(response.headers['x-request-id']).toBe(id);
  });
});
