import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLookupCache, type Lookups } from './lookup-cache.js';
import { openStorage } from './open.js';
import type { Storage } from './port.js';
import type { ClientRecord, EnvironmentRecord } from './records.js';

const environment: EnvironmentRecord = {
  id: 'default',
  name: 'Default',
  tokenSettings: {
    accessTokenTtlSeconds: 300,
    refreshTokenTtlSeconds: 86400,
    rotationGraceSeconds: 10,
    signingAlgorithm: 'ES256',
    cookie: { name: 'tessera_refresh', sameSite: 'lax', secure: false },
  },
  sessionPolicy: {
    idleTimeoutSeconds: null,
    absoluteTimeoutSeconds: null,
    maxConcurrentSessions: null,
    onLimit: 'evict_oldest',
  },
  branding: {},
  webhookSettings: { allowPrivateTargets: false },
  createdAt: 1,
};
const client: ClientRecord = {
  envId: 'default',
  clientId: 'app',
  name: 'App',
  type: 'spa',
  secretHash: null,
  redirectUris: [],
  allowedOrigins: ['https://app.example.com'],
  postLogoutRedirectUris: [],
  createdAt: 1,
};

describe('withLookupCache', () => {
  let base: Storage;
  let other: Storage;
  let cached: Lookups;
  let writer: Storage;
  let nowMillis = 0;

  beforeEach(async () => {
    base = await openStorage('sqlite::memory:');
    await base.migrate();
    await base.insertEnvironment(environment);
    await base.insertClient(client);
    // "Another node": the same database, not through the cache.
    other = base;
    ({ lookups: cached, storage: writer } = createLookupCache(base, {
      ttlMillis: 1000,
      maxEntries: 50,
      now: () => nowMillis,
    }));
  });
  afterEach(async () => base.close());

  it('sees its own writes at once', async () => {
    expect((await cached.getClient('default', 'app'))?.allowedOrigins).toEqual(['https://app.example.com']);
    await writer.updateClient('default', 'app', { allowedOrigins: ['https://new.example.com'] });
    expect((await cached.getClient('default', 'app'))?.allowedOrigins).toEqual(['https://new.example.com']);
    expect((await cached.listClients('default'))[0]?.allowedOrigins).toEqual(['https://new.example.com']);
    await writer.deleteClient('default', 'app');
    expect(await cached.getClient('default', 'app')).toBeNull();
  });

  it("sees another node's writes after the TTL, not before", async () => {
    expect((await cached.getEnvironment('default'))?.name).toBe('Default');
    await other.updateEnvironment('default', { name: 'Renamed' });
    nowMillis += 999;
    expect((await cached.getEnvironment('default'))?.name).toBe('Default');
    nowMillis += 1;
    expect((await cached.getEnvironment('default'))?.name).toBe('Renamed');
  });

  it('reads through the storage it wraps for everything else', async () => {
    expect(writer.loadRefreshContext).toBe(base.loadRefreshContext);
  });

  it('keeps no miss: made-up ids leave nothing behind', async () => {
    for (let i = 0; i < 100; i++) {
      expect(await cached.getEnvironment(`nope-${i}`)).toBeNull();
      expect(await cached.getClient('default', `nope-${i}`)).toBeNull();
    }
    expect(cached.size).toBe(0);
    await cached.getClient('default', 'app');
    expect(cached.size).toBe(1);
  });

  it('is bounded in time and size: expired entries go, and a full cache drops its oldest', async () => {
    await cached.getEnvironment('default');
    nowMillis += 1000;
    await cached.getClient('default', 'app');
    expect(cached.size).toBe(1);
    const many = Array.from({ length: 60 }, (_, i) => `env-${i}`);
    const listed = await Promise.all(many.map((id) => cached.listClients(id)));
    expect(listed.every((clients) => clients.length === 0)).toBe(true);
    expect(cached.size).toBe(50);
  });
});
