/**
 * The token endpoint's grants answer a bad grant as a value (RFC 6749 §5.2), with nothing spent:
 * the route (token-endpoint.test.ts) turns each into its status and body.
 */

import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { insertLiveSession } from '@tessera/testing/sessions';
import { seedWorld, type World } from '@tessera/testing/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientRecord, EnvironmentRecord } from '../../storage/records.js';
import { generateRefreshToken, hashRefreshToken } from '../../tokens/refresh-token.js';
import { exchangeAuthorizationCode, refreshTokenGrant } from './token-grants.js';

const INVALID_CODE = {
  ok: false,
  error: 'invalid_grant',
  description: 'The authorization code is invalid, expired or already used.',
};
const INVALID_REFRESH_TOKEN = {
  ok: false,
  error: 'invalid_grant',
  description: 'The refresh token is invalid or expired.',
};

describe('the token grants', () => {
  let t: TestServer;
  let world: World;
  let environment: EnvironmentRecord;
  let spa: ClientRecord;
  let serverApp: ClientRecord;
  beforeAll(async () => {
    t = await createTestServer();
    world = await seedWorld(t);
    await t.deps.storage.insertClient({
      envId: 'default',
      clientId: 'server-app',
      name: 'Server app',
      type: 'confidential',
      secretHash: null,
      redirectUris: ['https://server-app.example.com/callback'],
      allowedOrigins: [],
      postLogoutRedirectUris: [],
      createdAt: t.clock.now(),
    });
    environment = (await t.deps.storage.getEnvironment('default'))!;
    spa = (await t.deps.storage.getClient('default', 'app'))!;
    serverApp = (await t.deps.storage.getClient('default', 'server-app'))!;
  });
  afterAll(async () => t.close());

  /** A live session with a refresh token of server-app's, granted `scopes`. */
  async function serverAppToken(sessionId: string, scopes: string[]): Promise<string> {
    await insertLiveSession(t, { id: sessionId, userId: world.users.ada.id });
    const now = t.clock.now();
    const token = generateRefreshToken();
    const hash = hashRefreshToken(token);
    expect(
      await t.deps.storage.addRefreshToken(
        sessionId,
        { hash, issuedAt: now, expiresAt: now + 3600 },
        'server-app',
      ),
    ).toBe(true);
    await t.deps.storage.addSessionClient({ sessionId, clientId: 'server-app', now, scopes });
    return token;
  }

  it('refuses a code that cannot be one, or that was never issued', async () => {
    const redeem = (code: string) =>
      exchangeAuthorizationCode(t.deps, {
        environment,
        client: serverApp,
        code,
        redirectUri: 'https://server-app.example.com/callback',
        codeVerifier: 'v'.repeat(43),
      });
    expect(await redeem('not a code')).toEqual(INVALID_CODE);
    expect(await redeem(generateRefreshToken())).toEqual(INVALID_CODE);
  });

  it("refuses a spa's refresh grant: its token lives in the cookie", async () => {
    expect(
      await refreshTokenGrant(t.deps, { environment, client: spa, refreshToken: generateRefreshToken() }),
    ).toEqual({
      ok: false,
      error: 'unauthorized_client',
      description: 'This client refreshes through the session API.',
    });
  });

  it('refuses a malformed or unknown refresh token alike', async () => {
    for (const refreshToken of ['not-a-token', generateRefreshToken()]) {
      expect(await refreshTokenGrant(t.deps, { environment, client: serverApp, refreshToken })).toEqual(
        INVALID_REFRESH_TOKEN,
      );
    }
  });

  it('AS-12: refuses a refresh that widens the scopes, and the token is not spent', async () => {
    const token = await serverAppToken('s-widen', ['offline_access']);
    expect(
      await refreshTokenGrant(t.deps, {
        environment,
        client: serverApp,
        refreshToken: token,
        scope: 'openid',
      }),
    ).toEqual({
      ok: false,
      error: 'invalid_scope',
      description: 'A refresh cannot widen the scopes granted.',
    });
    const granted = await refreshTokenGrant(t.deps, { environment, client: serverApp, refreshToken: token });
    expect(granted).toMatchObject({ ok: true, tokens: { token_type: 'Bearer', scope: 'offline_access' } });
  });
});
