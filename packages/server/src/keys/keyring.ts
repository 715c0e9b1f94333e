/**
 * The keyring: each environment's signing keys as the server uses them — the current signer, the
 * JWKS, rotation. Keys live in the store (encrypted); this node caches them and reloads them
 * periodically, so every node of a cluster follows rotations made by any other.
 */
import { JWKS_CACHE_SECONDS, type SigningAlgorithm } from '@tessera/protocol';
import type { Logger } from '../logger.js';
import type { Clock } from '../service/clock.js';
import type { DirectoryStore } from '../storage/port/directory.js';
import type { KeyStore } from '../storage/port/keys.js';
import type { SigningKeyRecord } from '../storage/records.js';
import {
  decryptPrivateKey,
  encryptPrivateKey,
  generateSigningKey,
  type PrivateSigningKey,
} from './key-material.js';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  type KeySchedule,
  type KeyStatus,
  scheduleSigningKeys,
} from './schedule.js';
import type { DerivedSecrets } from './secret.js';

/**
 * The slice of the storage port the keyring uses: the signing keys, and the environment's token
 * settings (a retired key stays published for one access-token lifetime).
 */
export type SigningKeyStore = KeyStore & Pick<DirectoryStore, 'getEnvironment'>;

/** A pino-compatible logger. Fields carry ids only, never key material. */
export type KeyringLogger = Pick<Logger, 'info' | 'warn'>;

export interface KeyringOptions {
  store: SigningKeyStore;
  secrets: Pick<DerivedSecrets, 'keyEncryptionKey'>;
  /**
   * The server's clock (`service/clock.ts`): every instant the keyring reads — reload intervals,
   * activations, retirements, key creation — comes from it, so tests drive rotations on a
   * `ManualClock` instead of waiting.
   */
  clock: Clock;
  /** How often keys are reloaded from the store [30]. At most `clockSkewSeconds`. */
  reloadIntervalSeconds?: number;
  /** How long verifiers may cache the JWKS: its `Cache-Control: max-age` [300]. */
  jwksCacheSeconds?: number;
  /** How far past `exp` verifiers may accept a token [60]. */
  clockSkewSeconds?: number;
  logger?: KeyringLogger;
}

export interface PublicJwks {
  keys: Record<string, unknown>[];
}

/** A published key with its role now (for the admin API); times in epoch seconds. */
export interface PublishedKeyState {
  /** The public JWK, as the JWKS publishes it. */
  publicJwk: Record<string, unknown>;
  status: KeyStatus;
  createdAt: number;
  activatesAt: number;
  /** When it stopped signing; `null` while it has not (a current or next key). */
  retiredAt: number | null;
}

export interface EnsureKeyResult {
  /** `false` when the environment already had keys. */
  created: boolean;
}

export interface RotateKeyResult {
  kid: string;
  /** When the new key starts signing (epoch seconds). */
  activatesAt: number;
}

export interface Keyring {
  /**
   * Creates the environment's first key when it has none, then checks that its key decrypts.
   * `logger`: where this call's lines go instead of the keyring's (a request's, with its id).
   */
  ensureKey(envId: string, alg: SigningAlgorithm, logger?: KeyringLogger): Promise<EnsureKeyResult>;
  /** The key that signs the environment's access tokens now. */
  signer(envId: string): Promise<PrivateSigningKey>;
  /** The environment's published public keys (`/.well-known/jwks.json`). */
  jwks(envId: string): Promise<PublicJwks>;
  /** The same keys in the same order, each with its role now and its times. */
  publishedKeys(envId: string): Promise<PublishedKeyState[]>;
  /**
   * Publishes a new key of `alg` now; it signs once every verifier's cached JWKS has it. Changing
   * an environment's signing algorithm is a rotation to a key of the new algorithm. `logger`: as
   * for `ensureKey`.
   */
  rotate(envId: string, alg: SigningAlgorithm, logger?: KeyringLogger): Promise<RotateKeyResult>;
  /** For the JWKS response's `Cache-Control: max-age`. */
  readonly jwksCacheSeconds: number;
  /** How many environments' keys this node holds now (for tests and diagnostics). */
  readonly cachedEnvironments: number;
}

interface LoadedKeys {
  records: readonly SigningKeyRecord[];
  accessTokenTtlSeconds: number;
  /** `false` when the store has no such environment: nothing about it is kept. */
  environmentExists: boolean;
}

interface CacheEntry {
  startedAt: number;
  keys: Promise<LoadedKeys>;
}

/**
 * Creates the keyring.
 *
 * @example
 * const keyring = createKeyring({
 *   store: storage,
 *   secrets,
 *   clock,
 *   logger,
 * });
 * await keyring.ensureKey('default', 'ES256');
 * const token = signAccessToken(await keyring.signer('default'), claims);
 */
export function createKeyring(options: KeyringOptions): Keyring {
  const { store, clock } = options;
  const kek = options.secrets.keyEncryptionKey;
  const reloadIntervalSeconds = options.reloadIntervalSeconds ?? 30;
  const jwksCacheSeconds = options.jwksCacheSeconds ?? JWKS_CACHE_SECONDS;
  const clockSkewSeconds = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (!(reloadIntervalSeconds > 0 && reloadIntervalSeconds <= clockSkewSeconds)) {
    // A node that missed a rotation made elsewhere signs with the retired key until it reloads;
    // those tokens verify only while the key is published: up to `clockSkewSeconds` past the
    // retirement plus a token lifetime.
    throw new RangeError('reloadIntervalSeconds must be positive and at most clockSkewSeconds.');
  }
  if (!(jwksCacheSeconds >= 0)) throw new RangeError('jwksCacheSeconds must not be negative.');
  // A rotation made on another node reaches this node's JWKS at most one reload interval later,
  // and a verifier may cache that JWKS for `jwksCacheSeconds`: the new key must not sign before
  // both have passed. The delay therefore exceeds the reload interval, so every node also loads
  // the next key before it activates and switches to it on time.
  const rotationDelaySeconds = reloadIntervalSeconds + jwksCacheSeconds;

  const cache = new Map<string, CacheEntry>();
  const privateKeys = new Map<string, Map<string, PrivateSigningKey>>();

  function load(envId: string, force = false): Promise<LoadedKeys> {
    const entry = cache.get(envId);
    if (entry !== undefined && !force && clock.now() - entry.startedAt < reloadIntervalSeconds)
      return entry.keys;
    const fresh: CacheEntry = { startedAt: clock.now(), keys: fetchKeys(envId) };
    cache.set(envId, fresh);
    // Only environments that exist are cached: ids reach here from requests (docs/architecture.md).
    fresh.keys.then(
      (loaded) => {
        if (loaded.environmentExists || loaded.records.length > 0 || cache.get(envId) !== fresh) return;
        cache.delete(envId);
        privateKeys.delete(envId);
      },
      () => {
        if (cache.get(envId) === fresh) cache.delete(envId);
      },
    );
    return fresh.keys;
  }

  async function fetchKeys(envId: string): Promise<LoadedKeys> {
    const [records, environment] = await Promise.all([
      store.listSigningKeys(envId),
      store.getEnvironment(envId),
    ]);
    // Without the environment's settings, keep every retired key: publishing a public key too
    // long is harmless, unpublishing it early rejects valid tokens.
    const accessTokenTtlSeconds =
      environment?.tokenSettings.accessTokenTtlSeconds ?? Number.POSITIVE_INFINITY;
    const kids = new Set(records.map((record) => record.kid));
    const decrypted = privateKeys.get(envId);
    for (const kid of decrypted?.keys() ?? []) if (!kids.has(kid)) decrypted?.delete(kid);
    return { records, accessTokenTtlSeconds, environmentExists: environment !== null };
  }

  function schedule(loaded: LoadedKeys): KeySchedule {
    return scheduleSigningKeys(loaded.records, {
      now: clock.now(),
      accessTokenTtlSeconds: loaded.accessTokenTtlSeconds,
      clockSkewSeconds,
    });
  }

  function privateKeyOf(record: SigningKeyRecord): PrivateSigningKey {
    const cached = privateKeys.get(record.envId)?.get(record.kid);
    if (cached !== undefined) return cached;
    const binding = { envId: record.envId, kid: record.kid };
    const privateKey = decryptPrivateKey(record.privateKeyEncrypted, kek, binding);
    return remember(record.envId, { kid: record.kid, alg: record.alg, privateKey });
  }

  function remember(envId: string, key: PrivateSigningKey): PrivateSigningKey {
    const frozen = Object.freeze({ kid: key.kid, alg: key.alg, privateKey: key.privateKey });
    const keys = privateKeys.get(envId) ?? new Map<string, PrivateSigningKey>();
    keys.set(frozen.kid, frozen);
    privateKeys.set(envId, keys);
    return frozen;
  }

  async function newKey(
    envId: string,
    alg: SigningAlgorithm,
    activatesAt: number,
  ): Promise<{ key: PrivateSigningKey; record: SigningKeyRecord }> {
    const now = Math.floor(clock.now());
    const key = await generateSigningKey(alg, now);
    const record: SigningKeyRecord = {
      envId,
      kid: key.kid,
      alg,
      publicJwk: key.publicJwk,
      privateKeyEncrypted: encryptPrivateKey(key.privateKey, kek, { envId, kid: key.kid }),
      createdAt: now,
      activatesAt,
      retiredAt: null,
    };
    return { key, record };
  }

  function added(key: PrivateSigningKey, record: SigningKeyRecord, logger = options.logger): void {
    remember(record.envId, key);
    logger?.info(
      { envId: record.envId, kid: key.kid, alg: record.alg, activatesAt: record.activatesAt },
      'signing key added',
    );
  }

  async function prune(envId: string, loaded: LoadedKeys, logger = options.logger): Promise<void> {
    const { prunableBefore } = schedule(loaded);
    if (!loaded.records.some((key) => key.retiredAt !== null && key.retiredAt < prunableBefore)) return;
    try {
      const deleted = await store.deleteRetiredSigningKeys(envId, prunableBefore);
      logger?.info({ envId, deleted }, 'retired signing keys pruned');
    } catch (error) {
      // The keys are already unpublished; the next rotation retries.
      logger?.warn({ envId, err: error }, 'pruning retired signing keys failed');
    }
  }

  async function signer(envId: string): Promise<PrivateSigningKey> {
    const { signingKey } = schedule(await load(envId));
    if (signingKey === null) {
      throw new Error(`Environment ${envId} has no active signing key; ensureKey creates one.`);
    }
    return privateKeyOf(signingKey);
  }

  return {
    jwksCacheSeconds,
    signer,
    get cachedEnvironments() {
      return cache.size;
    },

    async ensureKey(envId, alg, logger = options.logger) {
      const existing = await load(envId, true);
      let created = false;
      if (existing.records.length === 0) {
        // Nodes starting together on one database race here: the store keeps exactly one first
        // key, and a loser drops its own and reads the winner's below, so every node signs with
        // and publishes the same key from the start.
        const { key, record } = await newKey(envId, alg, Math.floor(clock.now()));
        created = await store.addFirstSigningKey(record);
        if (created) added(key, record, logger);
        else logger?.info({ envId }, 'another node created the first signing key');
      }
      const loaded = await load(envId, true);
      await prune(envId, loaded, logger);
      // Decrypting now makes a wrong master secret fail at start-up, not at the first login.
      await signer(envId);
      return { created };
    },

    async jwks(envId) {
      const { publishedKeys } = schedule(await load(envId));
      return { keys: publishedKeys.map((key) => ({ ...key.publicJwk })) };
    },

    async publishedKeys(envId) {
      const { publishedKeys } = schedule(await load(envId));
      return publishedKeys.map((key) => ({
        publicJwk: { ...key.publicJwk },
        status: key.status,
        createdAt: key.createdAt,
        activatesAt: key.activatesAt,
        retiredAt: key.status === 'retired' ? key.retiredAt : null,
      }));
    },

    async rotate(envId, alg, logger = options.logger) {
      const activatesAt = Math.floor(clock.now()) + rotationDelaySeconds;
      const { key, record } = await newKey(envId, alg, activatesAt);
      await store.addSigningKey(record);
      added(key, record, logger);
      await prune(envId, await load(envId, true), logger);
      return { kid: record.kid, activatesAt };
    },
  };
}
