/**
 * OPS-03 / AUTH-11 for the hosted login: through authorize, a failed and a good sign-in, a code
 * used twice, a confidential refresh and RP logout, the logs record the events but never a code,
 * verifier, token, CSRF token, binding, password or hash.
 */

import { createTestServer, type TestServer } from '@tessera/testing/harness';
import {
  authorizeQuery,
  CONFIDENTIAL_REDIRECT_URI,
  callbackParams,
  hiddenField,
  insertConfidentialClient,
  pkcePair,
  redeem,
  testBrowser,
  tokenRequest,
} from '@tessera/testing/hosted-login';
import { capturingLogger } from '@tessera/testing/log-capture';
import { json, PASSWORD, seedWorld } from '@tessera/testing/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAuthorizationCode } from '../../../service/oauth/authorization-codes.js';

describe('hosted-login logs', () => {
  const capture = capturingLogger();
  let t: TestServer;
  const secrets: string[] = [PASSWORD, 'a wrong password 456'];

  beforeAll(async () => {
    t = await createTestServer({ logger: capture.logger });
    await seedWorld(t);
    const secret = 'logging-secret-'.padEnd(43, 'z');
    const basic = await insertConfidentialClient(t, secret);
    secrets.push(secret);

    const pkce = pkcePair();
    const browser = testBrowser(t);
    const page = await browser.follow(await browser.authorize(authorizeQuery(pkce)));
    secrets.push(hiddenField(page.body, 'csrf_token'), hiddenField(page.body, 'interaction_id'));
    await browser.submitLogin(page, 'bob@example.com', 'a wrong password 456');
    const done = await browser.submitLogin(page);
    const code = callbackParams(done).get('code') ?? '';
    const tokens = json<{ access_token: string; id_token: string }>(await redeem(t, code, pkce));
    await redeem(t, code, pkce); // a second use: ends the session
    secrets.push(code, hashAuthorizationCode(code), pkce.verifier, tokens.access_token, tokens.id_token);
    for (const value of browser.jar.values()) secrets.push(value);

    const confidential = pkcePair();
    const other = testBrowser(t);
    const otherPage = await other.follow(
      await other.authorize(
        authorizeQuery(confidential, {
          client_id: 'server-app',
          redirect_uri: CONFIDENTIAL_REDIRECT_URI,
          scope: 'openid offline_access',
        }),
      ),
    );
    const otherCode = callbackParams(await other.submitLogin(otherPage)).get('code') ?? '';
    const grant = json<{ refresh_token: string; id_token: string }>(
      await tokenRequest(
        t,
        {
          grant_type: 'authorization_code',
          code: otherCode,
          redirect_uri: CONFIDENTIAL_REDIRECT_URI,
          code_verifier: confidential.verifier,
        },
        { authorization: basic },
      ),
    );
    await tokenRequest(
      t,
      { grant_type: 'refresh_token', refresh_token: grant.refresh_token },
      { authorization: basic },
    );
    await other.request('GET', `/oauth/logout?id_token_hint=${grant.id_token}`);
    secrets.push(otherCode, grant.refresh_token, grant.id_token, basic);
    for (const value of other.jar.values()) secrets.push(value);
  });
  afterAll(async () => t.close());

  it('record the security events, including the reused code', () => {
    const events = capture.lines.map((line) => JSON.parse(line).event).filter(Boolean);
    expect(events).toEqual(
      expect.arrayContaining(['login.succeeded', 'login.failed', 'oauth.code_reused', 'session.ended']),
    );
  });

  it('never contain a code, verifier, token, CSRF token, binding, password or hash', () => {
    const all = capture.lines.join('\n');
    expect(capture.lines.length).toBeGreaterThan(10);
    for (const secret of secrets.filter((value) => value !== '')) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/tessera_(refresh|login)=|code=|interaction=/);
  });
});
