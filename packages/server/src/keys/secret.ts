/**
 * The server's master secret and the independent subkeys derived from it. One secret to configure
 * and back up; one purpose per subkey, so no key is ever used for two algorithms.
 */
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

/** The shortest master secret accepted: 256 bits. */
export const MIN_MASTER_SECRET_BYTES = 32;

export interface DerivedSecrets {
  /** AES-256-GCM key that encrypts signing keys at rest (`keys/key-material.ts`). */
  readonly keyEncryptionKey: KeyObject;
  /** HMAC-SHA256 key that derives a refresh token's successor (`tokens/refresh-token.ts`). */
  readonly refreshSuccessorKey: KeyObject;
  /** HMAC-SHA256 key that binds hosted-login CSRF tokens to a browser (`service/oauth/login-csrf.ts`). */
  readonly loginCsrfKey: KeyObject;
  /** HMAC-SHA256 key that seals a pending sign-in into its login page (`service/oauth/interactions.ts`). */
  readonly interactionKey: KeyObject;
  /** AES-256-GCM key that encrypts webhook signing secrets at rest (`keys/sealed-secret.ts`). */
  readonly webhookSecretKey: KeyObject;
  /** AES-256-GCM key that seals the admin console's session cookie (JWE `dir`, `service/console/`). */
  readonly consoleSessionKey: KeyObject;
  /** HMAC-SHA256 key that makes the login throttle's Redis key names opaque (`throttle/redis-throttle.ts`). */
  readonly throttleKeyNameKey: KeyObject;
}

// Changing a label changes the subkey: every stored signing key would become undecryptable.
const KEY_ENCRYPTION_KEY_INFO = 'tessera/v1/key-encryption-key/aes-256-gcm';
const REFRESH_SUCCESSOR_KEY_INFO = 'tessera/v1/refresh-successor-key/hmac-sha256';
const LOGIN_CSRF_KEY_INFO = 'tessera/v1/login-csrf-key/hmac-sha256';
const INTERACTION_KEY_INFO = 'tessera/v1/interaction-key/hmac-sha256';
const WEBHOOK_SECRET_KEY_INFO = 'tessera/v1/webhook-secret-key/aes-256-gcm';
const CONSOLE_SESSION_KEY_INFO = 'tessera/v1/console-session-key/a256gcm';
const THROTTLE_KEY_NAME_KEY_INFO = 'tessera/v1/throttle-key-name-key/hmac-sha256';

/**
 * Derives the server's subkeys from its master secret with HKDF-SHA256 (RFC 5869), one `info`
 * label per purpose. Deterministic: every node given the same master secret derives the same keys.
 * The subkeys are `KeyObject`s so that logging one by mistake prints no key material.
 *
 * @param master At least 32 bytes from a CSPRNG (not a password).
 * @throws RangeError when `master` is shorter than {@link MIN_MASTER_SECRET_BYTES}.
 *
 * @example
 * const secrets = deriveSecrets(Buffer.from(process.env.TESSERA_MASTER_SECRET, 'base64url'));
 */
export function deriveSecrets(master: Buffer): DerivedSecrets {
  if (master.length < MIN_MASTER_SECRET_BYTES) {
    throw new RangeError(`The master secret must be at least ${MIN_MASTER_SECRET_BYTES} bytes.`);
  }
  return Object.freeze({
    keyEncryptionKey: deriveSubkey(master, KEY_ENCRYPTION_KEY_INFO),
    refreshSuccessorKey: deriveSubkey(master, REFRESH_SUCCESSOR_KEY_INFO),
    loginCsrfKey: deriveSubkey(master, LOGIN_CSRF_KEY_INFO),
    interactionKey: deriveSubkey(master, INTERACTION_KEY_INFO),
    webhookSecretKey: deriveSubkey(master, WEBHOOK_SECRET_KEY_INFO),
    consoleSessionKey: deriveSubkey(master, CONSOLE_SESSION_KEY_INFO),
    throttleKeyNameKey: deriveSubkey(master, THROTTLE_KEY_NAME_KEY_INFO),
  });
}

function deriveSubkey(master: Buffer, info: string): KeyObject {
  // The master secret is already uniformly random, so the extract step needs no salt (RFC 5869
  // §3.1); the distinct `info` labels are what make the subkeys independent (§3.2).
  const bytes = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  const key = createSecretKey(bytes);
  bytes.fill(0);
  return key;
}
