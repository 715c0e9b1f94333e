import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyClientSecret } from '../service/admin/client-secret.js';
import { DEMO_API_CLIENT_ID, DEMO_BRANDING_NAME, ensureDemoApiClient, seedDemo } from './seed.js';

const DEMO_ORIGIN = 'http://localhost:4001';

describe('seedDemo', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer();
  });
  afterEach(async () => t.close());

  it('names the hosted login pages of the default environment after the demo', async () => {
    expect(await seedDemo(t.deps, DEMO_ORIGIN)).not.toBeNull();
    expect((await t.deps.storage.getEnvironment('default'))?.branding).toEqual({ name: DEMO_BRANDING_NAME });
  });

  it('lets the demo environment send webhooks to loopback receivers', async () => {
    expect((await t.deps.storage.getEnvironment('default'))?.webhookSettings.allowPrivateTargets).toBe(false);
    expect(await seedDemo(t.deps, DEMO_ORIGIN)).not.toBeNull();
    expect((await t.deps.storage.getEnvironment('default'))?.webhookSettings).toEqual({
      allowPrivateTargets: true,
    });
  });

  it('keeps a branding name set before, and the rest of the branding', async () => {
    const branding = { name: 'Acme', primaryColor: '#0e7490' };
    await t.deps.storage.updateEnvironment('default', { branding });
    expect(await seedDemo(t.deps, DEMO_ORIGIN)).not.toBeNull();
    expect((await t.deps.storage.getEnvironment('default'))?.branding).toEqual(branding);
  });

  it('writes nothing into an environment that already has users or clients', async () => {
    await seedDemo(t.deps, DEMO_ORIGIN);
    await t.deps.storage.updateEnvironment('default', { branding: {} });
    expect(await seedDemo(t.deps, DEMO_ORIGIN)).toBeNull();
    expect((await t.deps.storage.getEnvironment('default'))?.branding).toEqual({});
  });

  it('registers the example API as the confidential client demo-api, with the given secret', async () => {
    await seedDemo(t.deps, DEMO_ORIGIN, 'first-secret');
    const client = await t.deps.storage.getClient('default', DEMO_API_CLIENT_ID);
    expect(client).toMatchObject({ type: 'confidential', allowedOrigins: [], redirectUris: [] });
    expect(verifyClientSecret(client?.secretHash ?? '', 'first-secret')).toBe(true);
    // A start with the same secret file changes nothing.
    expect(await ensureDemoApiClient(t.deps, 'first-secret')).toBe(true);
    expect((await t.deps.storage.getClient('default', DEMO_API_CLIENT_ID))?.secretHash).toBe(
      client?.secretHash,
    );
  });

  it('adds demo-api to a demo seeded before it existed, and re-keys it when the secret file changed', async () => {
    await seedDemo(t.deps, DEMO_ORIGIN);
    expect(await t.deps.storage.getClient('default', DEMO_API_CLIENT_ID)).toBeNull();
    expect(await ensureDemoApiClient(t.deps, 'old-secret')).toBe(true);
    expect(await ensureDemoApiClient(t.deps, 'new-secret')).toBe(true);
    const client = await t.deps.storage.getClient('default', DEMO_API_CLIENT_ID);
    expect(verifyClientSecret(client?.secretHash ?? '', 'new-secret')).toBe(true);
    expect(verifyClientSecret(client?.secretHash ?? '', 'old-secret')).toBe(false);
  });

  it('adds no demo-api to an environment that is not the demo, and leaves a browser client of that id alone', async () => {
    expect(await ensureDemoApiClient(t.deps, 'secret')).toBe(false);
    expect(await t.deps.storage.listClients('default')).toEqual([]);

    await seedDemo(t.deps, DEMO_ORIGIN);
    await t.deps.storage.insertClient({
      envId: 'default',
      clientId: DEMO_API_CLIENT_ID,
      name: 'Somebody else',
      type: 'spa',
      secretHash: null,
      redirectUris: [],
      allowedOrigins: [],
      postLogoutRedirectUris: [],
      createdAt: t.clock.now(),
    });
    expect(await ensureDemoApiClient(t.deps, 'secret')).toBe(false);
    expect((await t.deps.storage.getClient('default', DEMO_API_CLIENT_ID))?.secretHash).toBeNull();
  });
});

describe('seedDemo on a public URL', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer({ env: { TESSERA_PUBLIC_URL: 'https://auth.example.com' } });
  });
  afterEach(async () => t.close());

  it('refuses to seed users with a published password, and writes nothing', async () => {
    await expect(seedDemo(t.deps, DEMO_ORIGIN, 'secret')).rejects.toThrow(/TESSERA_PUBLIC_URL/);
    await expect(ensureDemoApiClient(t.deps, 'secret')).rejects.toThrow(/TESSERA_PUBLIC_URL/);
    expect(await t.deps.storage.listUsers('default')).toEqual([]);
    expect(await t.deps.storage.listClients('default')).toEqual([]);
  });
});
