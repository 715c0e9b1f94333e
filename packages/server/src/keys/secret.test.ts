import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deriveSecrets } from './secret.js';

const master = Buffer.alloc(32, 7);

async function webCryptoHkdf(ikm: Buffer, info: string): Promise<Buffer> {
  const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(info) },
    key,
    256,
  );
  return Buffer.from(bits);
}

describe('deriveSecrets', () => {
  it('derives 256-bit subkeys with HKDF-SHA256, matching an independent implementation', async () => {
    const secrets = deriveSecrets(master);
    expect(secrets.keyEncryptionKey.export()).toEqual(
      await webCryptoHkdf(master, 'tessera/v1/key-encryption-key/aes-256-gcm'),
    );
    expect(secrets.refreshSuccessorKey.export()).toEqual(
      await webCryptoHkdf(master, 'tessera/v1/refresh-successor-key/hmac-sha256'),
    );
    expect(secrets.webhookSecretKey.export()).toEqual(
      await webCryptoHkdf(master, 'tessera/v1/webhook-secret-key/aes-256-gcm'),
    );
  });

  it('gives each purpose its own key, and a different master different keys', () => {
    const a = deriveSecrets(master);
    const b = deriveSecrets(Buffer.alloc(32, 8));
    expect(a.keyEncryptionKey.equals(a.refreshSuccessorKey)).toBe(false);
    const subkeys = Object.values(a).map((key) => key.export().toString('hex'));
    expect(new Set(subkeys).size).toBe(subkeys.length);
    expect(a.keyEncryptionKey.equals(b.keyEncryptionKey)).toBe(false);
    expect(a.refreshSuccessorKey.equals(b.refreshSuccessorKey)).toBe(false);
  });

  it('is deterministic, so every node with the same master agrees', () => {
    const a = deriveSecrets(master);
    const b = deriveSecrets(Buffer.from(master));
    expect(a.keyEncryptionKey.equals(b.keyEncryptionKey)).toBe(true);
    expect(a.refreshSuccessorKey.equals(b.refreshSuccessorKey)).toBe(true);
  });

  it('accepts 32 bytes and refuses 31, without echoing the secret', () => {
    expect(() => deriveSecrets(Buffer.alloc(32, 1))).not.toThrow();
    const short = Buffer.alloc(31, 0xab);
    expect(() => deriveSecrets(short)).toThrow(
      new RangeError('The master secret must be at least 32 bytes.'),
    );
    expect(short).toEqual(Buffer.alloc(31, 0xab));
  });

  it('prints no key material when logged by mistake', () => {
    const printed = inspect(deriveSecrets(master), { depth: 5 });
    expect(printed).not.toContain('Buffer');
    expect(printed).toContain('SecretKeyObject');
  });
});
