import { describe, expect, it } from 'vitest';
import { decryptPrivateKey, SigningKeyDecryptionError } from './key-material.js';
import { createKeyring, type KeyringOptions } from './keyring.js';
import { MemorySigningKeyStore } from './memory-signing-key-store.test-helpers.js';
import { deriveSecrets } from './secret.js';

const T0 = 1_700_000_000;
const TTL = 300;
const SKEW = 60;
const RELOAD = 30;
const JWKS_CACHE = 300;
const ROTATION_DELAY = RELOAD + JWKS_CACHE;
const secrets = deriveSecrets(Buffer.alloc(32, 1));

type Log = [level: 'info' | 'warn', fields: Record<string, unknown>, message: string];

function node(store: MemorySigningKeyStore, time: { now: number }, overrides: Partial<KeyringOptions> = {}) {
  const logs: Log[] = [];
  const keyring = createKeyring({
    store,
    secrets,
    clock: () => time.now,
    logger: {
      info: (fields, message) => logs.push(['info', fields, message]),
      warn: (fields, message) => logs.push(['warn', fields, message]),
    },
    ...overrides,
  });
  return { keyring, logs };
}

function setup(overrides: Partial<KeyringOptions> = {}) {
  const store = new MemorySigningKeyStore();
  const time = { now: T0 };
  return { store, time, ...node(store, time, overrides) };
}

async function kids(jwks: Promise<{ keys: Record<string, unknown>[] }>): Promise<unknown[]> {
  return (await jwks).keys.map((key) => key.kid);
}

describe('keyring', () => {
  it('ensureKey creates one key for an empty environment, active at once, and is idempotent', async () => {
    const { keyring, store } = setup();
    expect(await keyring.ensureKey('default', 'ES256')).toEqual({ created: true });
    expect(await keyring.ensureKey('default', 'ES256')).toEqual({ created: false });
    expect(store.records).toHaveLength(1);
    const [record] = store.records;
    expect(record).toMatchObject({
      envId: 'default',
      alg: 'ES256',
      createdAt: T0,
      activatesAt: T0,
      retiredAt: null,
    });
    const signer = await keyring.signer('default');
    expect(signer).toMatchObject({ kid: record?.kid, alg: 'ES256' });
    expect(await kids(keyring.jwks('default'))).toEqual([record?.kid]);
  });

  it('stores the private key encrypted and bound to its environment and kid', async () => {
    const { keyring, store } = setup();
    await keyring.ensureKey('default', 'EdDSA');
    const record = store.records[0];
    if (record === undefined) throw new Error('no key stored');
    expect(record.privateKeyEncrypted).toMatch(/^v1\./);
    const decrypted = decryptPrivateKey(record.privateKeyEncrypted, secrets.keyEncryptionKey, record);
    expect(decrypted.equals((await keyring.signer('default')).privateKey)).toBe(true);
  });

  it('publishes public members only', async () => {
    const { keyring } = setup();
    await keyring.ensureKey('default', 'ES256');
    const [jwk] = (await keyring.jwks('default')).keys;
    expect(Object.keys(jwk ?? {}).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  });

  it('keeps environments apart', async () => {
    const { keyring, store } = setup();
    await keyring.ensureKey('default', 'ES256');
    await keyring.ensureKey('staging', 'ES256');
    expect((await keyring.signer('staging')).kid).toBe(store.kids('staging')[0]);
    expect(await kids(keyring.jwks('staging'))).toEqual(store.kids('staging'));
    expect(store.kids('staging')[0]).not.toBe(store.kids('default')[0]);
  });

  it('ensureKey fails at once when the master secret cannot decrypt the stored key', async () => {
    const { store, time, keyring } = setup();
    await keyring.ensureKey('default', 'ES256');
    const other = node(store, time, { secrets: deriveSecrets(Buffer.alloc(32, 2)) });
    await expect(other.keyring.ensureKey('default', 'ES256')).rejects.toThrow(SigningKeyDecryptionError);
    expect(store.records).toHaveLength(1);
  });

  it('signer refuses an environment without keys, clearly', async () => {
    const { keyring } = setup();
    await expect(keyring.signer('nowhere')).rejects.toThrow(
      'Environment nowhere has no active signing key; ensureKey creates one.',
    );
    expect(await keyring.jwks('nowhere')).toEqual({ keys: [] });
  });

  it('rotate publishes the next key now and signs with it after the reload interval and JWKS cache window', async () => {
    const { keyring, store, time } = setup();
    await keyring.ensureKey('default', 'ES256');
    const [first] = store.kids();
    time.now += 1000;
    const rotated = await keyring.rotate('default', 'ES256');
    expect(rotated.activatesAt).toBe(time.now + ROTATION_DELAY);
    expect(await kids(keyring.jwks('default'))).toEqual([first, rotated.kid]);

    time.now = rotated.activatesAt - 1;
    expect((await keyring.signer('default')).kid).toBe(first);
    time.now = rotated.activatesAt;
    expect((await keyring.signer('default')).kid).toBe(rotated.kid);
    expect(await kids(keyring.jwks('default'))).toEqual([rotated.kid, first]);

    time.now = rotated.activatesAt + TTL + SKEW - 1;
    expect(await kids(keyring.jwks('default'))).toEqual([rotated.kid, first]);
    time.now = rotated.activatesAt + TTL + SKEW;
    expect(await kids(keyring.jwks('default'))).toEqual([rotated.kid]);
  });

  it('keeps a retired key published for the environment’s own access-token lifetime', async () => {
    const { keyring, store, time } = setup();
    store.accessTokenTtlSeconds = 900;
    await keyring.ensureKey('default', 'ES256');
    const [first] = store.kids();
    const rotated = await keyring.rotate('default', 'ES256');
    time.now = rotated.activatesAt + 900 + SKEW - 1;
    expect(await kids(keyring.jwks('default'))).toEqual([rotated.kid, first]);
    time.now += 1;
    expect(await kids(keyring.jwks('default'))).toEqual([rotated.kid]);
  });

  it('without the environment’s settings, keeps every retired key published and stored', async () => {
    const { keyring, store, time } = setup();
    await keyring.ensureKey('default', 'ES256');
    const [first] = store.kids();
    const second = await keyring.rotate('default', 'ES256');
    store.missingEnvironments.add('default');
    time.now = second.activatesAt + 100_000;
    const third = await keyring.rotate('default', 'ES256');
    expect(store.kids()).toEqual([first, second.kid, third.kid]);
    expect(await kids(keyring.jwks('default'))).toEqual([second.kid, third.kid, first]);
  });

  it('changing the algorithm is a rotation to a key of the new algorithm', async () => {
    const { keyring, time } = setup();
    await keyring.ensureKey('default', 'ES256');
    const rotated = await keyring.rotate('default', 'EdDSA');
    time.now = rotated.activatesAt;
    const signer = await keyring.signer('default');
    expect(signer).toMatchObject({ kid: rotated.kid, alg: 'EdDSA' });
    expect(signer.privateKey.asymmetricKeyType).toBe('ed25519');
  });

  it('a rotation prunes keys whose last token has expired, and only those', async () => {
    const { keyring, store, time, logs } = setup();
    await keyring.ensureKey('default', 'ES256');
    const [first] = store.kids();
    const second = await keyring.rotate('default', 'ES256');
    time.now = second.activatesAt + TTL + SKEW - 1;
    const third = await keyring.rotate('default', 'ES256');
    expect(store.kids()).toEqual([first, second.kid, third.kid]);
    time.now = second.activatesAt + TTL + SKEW + 1;
    const fourth = await keyring.rotate('default', 'ES256');
    expect(store.kids()).toEqual([second.kid, third.kid, fourth.kid]);
    expect(logs).toContainEqual(['info', { envId: 'default', deleted: 1 }, 'retired signing keys pruned']);
  });

  it('picks up another node’s rotation within one reload interval, before the key activates', async () => {
    const store = new MemorySigningKeyStore();
    const time = { now: T0 };
    const a = node(store, time).keyring;
    const b = node(store, time).keyring;
    await a.ensureKey('default', 'ES256');
    const [first] = store.kids();
    expect(await kids(b.jwks('default'))).toEqual([first]);

    const rotated = await a.rotate('default', 'ES256');
    time.now += RELOAD - 1;
    expect(await kids(b.jwks('default'))).toEqual([first]);
    time.now += 1;
    expect(await kids(b.jwks('default'))).toEqual([first, rotated.kid]);
    time.now = rotated.activatesAt;
    expect((await b.signer('default')).kid).toBe(rotated.kid);
  });

  it('reads the store at most once per reload interval, even under concurrent calls', async () => {
    const { keyring, store, time } = setup();
    await keyring.ensureKey('default', 'ES256');
    time.now += RELOAD;
    const before = store.listCalls;
    const signers = await Promise.all(Array.from({ length: 20 }, () => keyring.signer('default')));
    await keyring.jwks('default');
    time.now += RELOAD - 1;
    await keyring.signer('default');
    expect(store.listCalls - before).toBe(1);
    expect(new Set(signers).size).toBe(1);
  });

  it('a failed reload fails the call and the next call retries', async () => {
    const { keyring, store, time } = setup();
    await keyring.ensureKey('default', 'ES256');
    time.now += RELOAD;
    store.failNextList = true;
    await expect(keyring.signer('default')).rejects.toThrow('database unavailable');
    expect((await keyring.signer('default')).kid).toBe(store.kids()[0]);
  });

  it('two nodes racing to create the first key both succeed and converge on one signer', async () => {
    const store = new MemorySigningKeyStore();
    const time = { now: T0 };
    const a = node(store, time).keyring;
    const b = node(store, time).keyring;
    const results = await Promise.all([a.ensureKey('default', 'ES256'), b.ensureKey('default', 'ES256')]);
    expect(results).toEqual([{ created: true }, { created: true }]);
    expect(store.records).toHaveLength(2);

    // Before reloading, either node may still sign with its own key: it must be published by both.
    const published = await kids(b.jwks('default'));
    expect(published).toContain((await a.signer('default')).kid);
    expect(published).toContain((await b.signer('default')).kid);

    time.now += RELOAD;
    const signer = (await a.signer('default')).kid;
    expect((await b.signer('default')).kid).toBe(signer);
    expect(store.records.find((record) => record.retiredAt === null)?.kid).toBe(signer);
  });

  it('refuses a reload interval longer than the clock skew allowance', () => {
    const store = new MemorySigningKeyStore();
    expect(() => node(store, { now: T0 }, { reloadIntervalSeconds: 61 })).toThrow(RangeError);
    expect(() => node(store, { now: T0 }, { reloadIntervalSeconds: 0 })).toThrow(RangeError);
    expect(() => node(store, { now: T0 }, { reloadIntervalSeconds: 60 })).not.toThrow();
  });

  it('logs ids only, never key material', async () => {
    const { keyring, store, logs } = setup();
    await keyring.ensureKey('default', 'ES256');
    await keyring.rotate('default', 'ES256');
    expect(logs.length).toBeGreaterThan(0);
    const printed = JSON.stringify(logs);
    for (const record of store.records) {
      expect(printed).not.toContain(record.privateKeyEncrypted.split('.')[2]);
      expect(printed).not.toContain(String(record.publicJwk.x));
    }
    expect(logs).toContainEqual([
      'info',
      { envId: 'default', kid: store.kids()[0], alg: 'ES256', activatesAt: T0 },
      'signing key added',
    ]);
  });
});
