/**
 * The key role of the storage port: each environment's signing keys, encrypted at rest,
 * as the keyring (keys/keyring.ts) loads, adds and retires them.
 */
import type { SigningKeyRecord } from '../records.js';

export interface KeyStore {
  listSigningKeys(envId: string): Promise<SigningKeyRecord[]>;
  /**
   * Inserts `key` and sets `retiredAt = key.activatesAt` on the environment's previously newest key,
   * atomically.
   */
  addSigningKey(key: SigningKeyRecord): Promise<void>;
  /**
   * Inserts `key` only if the environment has no signing key at all, atomically with that check,
   * so that nodes starting together on one database agree on one first key. `false` (nothing
   * written) when the environment already has a key: read it with `listSigningKeys`.
   */
  addFirstSigningKey(key: SigningKeyRecord): Promise<boolean>;
  /** Deletes keys retired before `before` (no token they signed can still be valid). */
  deleteRetiredSigningKeys(envId: string, before: number): Promise<number>;
}
