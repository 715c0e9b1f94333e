/**
 * Client authentication's answers as values (AS-11): every failure is the same `invalid_client`
 * refusal, whatever was wrong; the routes (token-endpoint.test.ts, revocation-feed.test.ts) answer
 * it with its status and challenge.
 */

import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { ORIGIN, seedWorld } from '@tessera/testing/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClientSecret, hashClientSecret } from '../admin/client-secret.js';
import { authenticateFeedSubscriber, authenticateOAuthClient } from './client-authentication.js';

const FAILED = { ok: false, error: 'invalid_client', description: 'Client authentication failed.' };

describe('OAuth client authentication', () => {
  let t: TestServer;
  const secret = generateClientSecret();
  beforeAll(async () => {
    t = await createTestServer();
    await seedWorld(t);
    await t.deps.storage.insertClient({
      envId: 'default',
      clientId: 'server-app',
      name: 'Server app',
      type: 'confidential',
      secretHash: hashClientSecret(secret),
      redirectUris: ['https://server-app.example.com/callback'],
      allowedOrigins: [],
      postLogoutRedirectUris: [],
      createdAt: t.clock.now(),
    });
  });
  afterAll(async () => t.close());

  const withSecret = (value: string) => ({ method: 'client_secret_basic' as const, secret: value });
  const none = { method: 'none' as const };

  it('authenticates a confidential client by its secret, and a spa with none from its own origin', async () => {
    const server = await authenticateOAuthClient(t.deps, 'default', {
      clientId: 'server-app',
      clientAuth: withSecret(secret),
    });
    expect(server.ok && server.client.clientId).toBe('server-app');
    const spa = await authenticateOAuthClient(t.deps, 'default', {
      clientId: 'app',
      clientAuth: none,
      origin: ORIGIN,
    });
    expect(spa.ok && spa.client.clientId).toBe('app');
  });

  it('refuses, all alike: an unknown client, a wrong or missing secret, a spa with a secret or from elsewhere', async () => {
    const refusals = await Promise.all([
      authenticateOAuthClient(t.deps, 'default', { clientId: 'nobody', clientAuth: none }),
      authenticateOAuthClient(t.deps, 'another-environment', {
        clientId: 'server-app',
        clientAuth: withSecret(secret),
      }),
      authenticateOAuthClient(t.deps, 'default', { clientId: 'server-app', clientAuth: withSecret('wrong') }),
      authenticateOAuthClient(t.deps, 'default', { clientId: 'server-app', clientAuth: none }),
      authenticateOAuthClient(t.deps, 'default', { clientId: 'app', clientAuth: withSecret(secret) }),
      authenticateOAuthClient(t.deps, 'default', {
        clientId: 'app',
        clientAuth: none,
        origin: 'https://evil.example',
      }),
    ]);
    for (const refusal of refusals) expect(refusal).toEqual(FAILED);
  });

  it('lets only a confidential client subscribe to the revocation feed', async () => {
    const server = await authenticateFeedSubscriber(t.deps, 'default', {
      clientId: 'server-app',
      clientAuth: withSecret(secret),
    });
    expect(server.ok).toBe(true);
    expect(
      await authenticateFeedSubscriber(t.deps, 'default', { clientId: 'app', clientAuth: none }),
    ).toEqual({
      ok: false,
      error: 'invalid_client',
      description: 'The revocation feed is for confidential clients.',
    });
    expect(
      await authenticateFeedSubscriber(t.deps, 'default', {
        clientId: 'server-app',
        clientAuth: withSecret('wrong'),
      }),
    ).toEqual(FAILED);
  });
});
