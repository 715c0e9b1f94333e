import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing/harness.js';
import { DEMO_BRANDING_NAME, seedDemo } from './seed.js';

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
});
