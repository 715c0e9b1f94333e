/**
 * OPS-03 / AUTH-11: through a whole session life — login, failed logins, refreshes, reuse, bad
 * input, logout — the logs record the events but never a token, cookie, password or hash.
 */

import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { capturingLogger } from '@tessera/testing/log-capture';
import { cookieFrom, json, PASSWORD, seedWorld, sessionApi } from '@tessera/testing/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashRefreshToken } from '../tokens/refresh-token.js';

describe('logs', () => {
  const capture = capturingLogger();
  let t: TestServer;
  const secrets: string[] = [PASSWORD, 'a wrong password 123'];

  beforeAll(async () => {
    t = await createTestServer({ logger: capture.logger });
    await seedWorld(t);
    const api = sessionApi(t);
    const login = await api.login();
    const cookie = cookieFrom(login);
    const first = await api.refresh(cookie);
    const second = cookieFrom(first);
    t.clock.advance(60);
    await api.refresh(cookie); // reuse: ends the session
    await api.login({ password: 'a wrong password 123' });
    await api.login({ email: 'nobody@example.com', password: 'a wrong password 123' });
    await t.app.inject({
      method: 'POST',
      url: '/auth/v1/login',
      payload: '{"email":',
      headers: { 'content-type': 'application/json' },
    });
    const again = await api.login();
    await api.logout(cookieFrom(again));
    for (const response of [login, first, again]) {
      secrets.push(json<{ accessToken: string }>(response).accessToken);
    }
    for (const value of [cookie, second, cookieFrom(again)]) {
      const token = value.split('=')[1]!;
      secrets.push(token, hashRefreshToken(token));
    }
  });
  afterAll(async () => t.close());

  it('record the security events', () => {
    const events = capture.lines.map((line) => JSON.parse(line).event).filter(Boolean);
    expect(events).toEqual(
      expect.arrayContaining(['login.succeeded', 'login.failed', 'refresh.reuse_detected', 'session.ended']),
    );
  });

  it('never contain a token, cookie, password or hash', () => {
    const all = capture.lines.join('\n');
    expect(capture.lines.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/tessera_refresh=/);
  });
});
