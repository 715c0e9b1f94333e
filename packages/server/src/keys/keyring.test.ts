import { describe, expect, it } from 'vitest';
import { ManualClock } from '../service/clock.js';
import { decryptPrivateKey, SigningKeyDecryptionError } from './key-material.js';
import { createKeyring, type KeyringOptions, type SigningKeyStore } from './keyring.js';
import { MemorySigningKeyStore } from './memory-signing-key-store.test-helpers.js';
import { deriveSecrets } from './secret.js';

const T0 = 1_700_000_000;
const TTL = 300;
const SKEW = 60;
const RELOAD = 30;
const JWKS_CACHE = 300;
const ROTATION_DELAY = RELOAD + JWKS_CACHE;
const secrets = deriveSecrets(Buffer.alloc(32, 1));

type Log = [level: 'info' | 'warn', fields: object, message: string];

function node(store: SigningKeyStore, clock: ManualClock, overrides: Partial<KeyringOptions> = {}) {
  const logs: Log[] = [];
  const keyring = createKeyring({
    store,
    secrets,
    clock,
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
  const clock = new ManualClock(T0);
  return { store, clock, ...node(store, clock, overrides) };
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
    const { store, clock, keyring } = setup();
    await keyring.ensureKey('default', 'ES256');
    const other = node(store, clock, { secrets: deriveSecrets(Buffer.alloc(32, 2)) });
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
    const { keyring, store, clock } = setup();
    await keyring.ensureKey('default', 'ES256');
    const [first] = store.kids();
    clock.advance(1000);
    const rotated = await keyring.rotate('default', 'ES256');
    expect(rotated.activatesAt).toBe(clock.now() + ROTATION_DELAY);
    expect(await kids(keyring.jwks('default'))).toEqual([first, rotated.kid]);

    clock.set(rotated.activatesAt - 1);
    expect((await keyring.signer('default')).kid).toBe(first);
    clock.set(rotated.activatesAt);
    expect((await keyring.signer('default')).kid).toBe(rotated.kid);
    expect(await kids(keyring.jwks('default'))).toEqual([rotated.kid, first]);

    clock.set(rotated.activatesAt + TTL + SKEW - 1);
    expect(await kids(keyring.jwks('default'))).toEqual([rotated.kid, first]);
    clock.set(rotated.activatesAt + TTL + SKEW);
    expect(await kids(keyring.jwks('default'))).toEqual([rotated.kid]);
  });

  it('publishedKeys gives the JWKS keys, in its order, with their status and times', async () => {
    const { keyring, clock } = setup();
    await keyring.ensureKey('default', 'ES256');
    const [first] = await kids(keyring.jwks('default'));
    const fresh = { createdAt: T0, activatesAt: T0, retiredAt: null };
    expect(await keyring.publishedKeys('default')).toEqual([
      { publicJwk: expect.objectContaining({ kid: first }), status: 'current', ...fresh },
    ]);
    clock.set(T0 + 10);
    const { kid: next, activatesAt } = await keyring.rotate('default', 'ES256');
    const states = async () =>
      (await keyring.publishedKeys('default')).map(({ publicJwk, ...state }) => ({
        kid: publicJwk.kid,
        ...state,
      }));
    const nextKey = { kid: next, createdAt: T0 + 10, activatesAt };
    // The current key's retirement is scheduled (the next key's activation) but it has not retired.
    expect(await states()).toEqual([
      { kid: first, status: 'current', ...fresh },
      { ...nextKey, status: 'next', retiredAt: null },
    ]);
    clock.set(activatesAt);
    expect(await states()).toEqual([
      { ...nextKey, status: 'current', retiredAt: null },
      { kid: first, status: 'retired', createdAt: T0, activatesAt: T0, retiredAt: activatesAt },
    ]);
    expect((await keyring.publishedKeys('default')).map(({ publicJwk }) => publicJwk)).toEqual(
      (await keyring.jwks('default')).keys,
    );
  });

  it('keeps a retired key published for the environment’s own access-token lifetime', async () => {
    const { keyring, store, clock } = setup();
    store.accessTokenTtlSeconds = 900;
    await keyring.ensureKey('default', 'ES256');
    const [first] = store.kids();
    const rotated = await keyring.rotate('default', 'ES256');
    clock.set(rotated.activatesAt + 900 + SKEW - 1);
    expect(await kids(keyring.jwks('default'))).toEqual([rotated.kid, first]);
    clock.advance(1);
    expect(await kids(keyring.jwks('default'))).toEqual([rotated.kid]);
  });

  it('without the environment’s settings, keeps every retired key published and stored', async () => {
    const { keyring, store, clock } = setup();
    await keyring.ensureKey('default', 'ES256');
    const [first] = store.kids();
    const second = await keyring.rotate('default', 'ES256');
    store.missingEnvironments.add('default');
    clock.set(second.activatesAt + 100_000);
    const third = await keyring.rotate('default', 'ES256');
    expect(store.kids()).toEqual([first, second.kid, third.kid]);
    expect(await kids(keyring.jwks('default'))).toEqual([second.kid, third.kid, first]);
  });

  it('changing the algorithm is a rotation to a key of the new algorithm', async () => {
    const { keyring, clock } = setup();
    await keyring.ensureKey('default', 'ES256');
    const rotated = await keyring.rotate('default', 'EdDSA');
    clock.set(rotated.activatesAt);
    const signer = await keyring.signer('default');
    expect(signer).toMatchObject({ kid: rotated.kid, alg: 'EdDSA' });
    expect(signer.privateKey.asymmetricKeyType).toBe('ed25519');
  });

  it('a rotation prunes keys whose last token has expired, and only those', async () => {
    const { keyring, store, clock, logs } = setup();
    await keyring.ensureKey('default', 'ES256');
    const [first] = store.kids();
    const second = await keyring.rotate('default', 'ES256');
    clock.set(second.activatesAt + TTL + SKEW - 1);
    const third = await keyring.rotate('default', 'ES256');
    expect(store.kids()).toEqual([first, second.kid, third.kid]);
    clock.set(second.activatesAt + TTL + SKEW + 1);
    const fourth = await keyring.rotate('default', 'ES256');
    expect(store.kids()).toEqual([second.kid, third.kid, fourth.kid]);
    expect(logs).toContainEqual(['info', { envId: 'default', deleted: 1 }, 'retired signing keys pruned']);
  });

  it('picks up another node’s rotation within one reload interval, before the key activates', async () => {
    const store = new MemorySigningKeyStore();
    const clock = new ManualClock(T0);
    const a = node(store, clock).keyring;
    const b = node(store, clock).keyring;
    await a.ensureKey('default', 'ES256');
    const [first] = store.kids();
    expect(await kids(b.jwks('default'))).toEqual([first]);

    const rotated = await a.rotate('default', 'ES256');
    clock.advance(RELOAD - 1);
    expect(await kids(b.jwks('default'))).toEqual([first]);
    clock.advance(1);
    expect(await kids(b.jwks('default'))).toEqual([first, rotated.kid]);
    clock.set(rotated.activatesAt);
    expect((await b.signer('default')).kid).toBe(rotated.kid);
  });

  it('reads the store at most once per reload interval, even under concurrent calls', async () => {
    const { keyring, store, clock } = setup();
    await keyring.ensureKey('default', 'ES256');
    clock.advance(RELOAD);
    const before = store.listCalls;
    const signers = await Promise.all(Array.from({ length: 20 }, () => keyring.signer('default')));
    await keyring.jwks('default');
    clock.advance(RELOAD - 1);
    await keyring.signer('default');
    expect(store.listCalls - before).toBe(1);
    expect(new Set(signers).size).toBe(1);
  });

  it('a failed reload fails the call and the next call retries', async () => {
    const { keyring, store, clock } = setup();
    await keyring.ensureKey('default', 'ES256');
    clock.advance(RELOAD);
    store.failNextList = true;
    await expect(keyring.signer('default')).rejects.toThrow('database unavailable');
    expect((await keyring.signer('default')).kid).toBe(store.kids()[0]);
  });

  describe('two nodes creating the first key together', () => {
    const ROUNDS = 25;

    function gate(): { open(): void; opened: Promise<void> } {
      let open = () => {};
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      return { open, opened };
    }

    /**
     * Two nodes on one shared store, with the race driven by hand rather than left to timing:
     * both read "no key" before either writes, and the `second` node writes only once the other
     * has finished starting (written, read its keys back, cached them): the interleaving in which
     * the first node used to sign with a key the second node's JWKS did not have.
     */
    async function race(second: 0 | 1) {
      const store = new MemorySigningKeyStore();
      const clock = new ManualClock(T0);
      const listed = [gate(), gate()] as const;
      const firstStarted = gate();
      const view = (index: 0 | 1): SigningKeyStore => {
        let first = true;
        const waitTurn = async () => {
          if (index === second) await firstStarted.opened;
        };
        return {
          getEnvironment: (envId) => store.getEnvironment(envId),
          deleteRetiredSigningKeys: (envId, before) => store.deleteRetiredSigningKeys(envId, before),
          async listSigningKeys(envId) {
            const records = await store.listSigningKeys(envId);
            if (first) {
              first = false;
              listed[index].open();
              await Promise.all(listed.map((g) => g.opened));
            }
            return records;
          },
          async addSigningKey(key) {
            await waitTurn();
            return store.addSigningKey(key);
          },
          async addFirstSigningKey(key) {
            await waitTurn();
            return store.addFirstSigningKey(key);
          },
        };
      };
      const nodes = [node(view(0), clock).keyring, node(view(1), clock).keyring] as const;
      const results = await Promise.all(
        nodes.map(async (keyring, index) => {
          const result = await keyring.ensureKey('default', 'ES256');
          if (index !== second) firstStarted.open();
          return result;
        }),
      );
      return { store, nodes, results };
    }

    it.each([0, 1] as const)(
      'agree on one key: one creates it, both sign with it and publish it (the later writer is node %i)',
      async (second) => {
        for (let round = 0; round < ROUNDS; round++) {
          const { store, nodes, results } = await race(second);
          const [a, b] = [await nodes[0].signer('default'), await nodes[1].signer('default')];
          expect(await kids(nodes[0].jwks('default')), `round ${round}`).toContain(b.kid);
          expect(await kids(nodes[1].jwks('default')), `round ${round}`).toContain(a.kid);
          expect(b.kid).toBe(a.kid);
          expect(results.filter((result) => result.created)).toHaveLength(1);
          expect(results[second]).toEqual({ created: false });
          expect(store.records.map((record) => record.kid)).toEqual([a.kid]);
        }
      },
    );
  });

  it('refuses a reload interval longer than the clock skew allowance', () => {
    const store = new MemorySigningKeyStore();
    expect(() => node(store, new ManualClock(T0), { reloadIntervalSeconds: 61 })).toThrow(RangeError);
    expect(() => node(store, new ManualClock(T0), { reloadIntervalSeconds: 0 })).toThrow(RangeError);
    expect(() => node(store, new ManualClock(T0), { reloadIntervalSeconds: 60 })).not.toThrow();
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
