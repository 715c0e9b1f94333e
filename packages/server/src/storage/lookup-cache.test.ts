import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLookupCache, type Lookups } from './lookup-cache.js';
import { openStorage } from './open.js';
import type { ClientRecord, EnvironmentRecord, Storage } from './port.js';

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
});
