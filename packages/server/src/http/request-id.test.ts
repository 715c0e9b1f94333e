/**
 * Request ids (docs/operations.md, "Request ids"): every response says its id in `x-request-id`,
 * and every log line written for the request carries it as `reqId` — Fastify's access line and the
 * use cases' event lines alike. A caller's id is kept only when it is short and safe.
 */
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { capturingLogger } from '@tessera/testing/log-capture';
import { PASSWORD, seedWorld, sessionApi } from '@tessera/testing/world';
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
