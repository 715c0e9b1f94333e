/**
 * Authenticated encryption of small secrets at rest: AES-256-GCM, a random 96-bit IV, and
 * additional data that binds the ciphertext to its record, so a stored value cannot be moved to
 * another record. Output: `v1.<iv>.<ciphertext>.<tag>`, each part base64url. Signing keys'
 * private keys (`key-material.ts`) and webhook secrets (`sealed-secret.ts`) are stored this way.
 */
import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';

export const SEALED_FORMAT_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function sealBytes(plain: Buffer, key: KeyObject, additionalData: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [SEALED_FORMAT_VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export type OpenedBytes =
  | { ok: true; plain: Buffer }
  | { ok: false; reason: 'format' }
  | { ok: false; reason: 'authentication'; cause: unknown };

/** Opens what {@link sealBytes} sealed with the same key and additional data. */
export function openBytes(sealed: string, key: KeyObject, additionalData: Buffer): OpenedBytes {
  const [version, iv, ciphertext, tag, ...extra] = sealed.split('.');
  if (
    version !== SEALED_FORMAT_VERSION ||
    iv === undefined ||
    ciphertext === undefined ||
    tag === undefined ||
    extra.length > 0
  ) {
    return { ok: false, reason: 'format' };
  }
  const ivBytes = Buffer.from(iv, 'base64url');
  const tagBytes = Buffer.from(tag, 'base64url');
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) return { ok: false, reason: 'format' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData);
    decipher.setAuthTag(tagBytes);
    return {
      ok: true,
      plain: Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]),
    };
  } catch (cause) {
    return { ok: false, reason: 'authentication', cause };
  }
}
