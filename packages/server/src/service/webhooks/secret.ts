/**
 * Webhook signing secrets: generated here, shown once, stored encrypted with the master secret's
 * `webhookSecretKey` (AES-256-GCM bound to the endpoint, `keys/sealed-bytes.ts`), and the
 * Standard Webhooks signature they make (docs/webhooks.md).
 */
import { createHmac, type KeyObject, randomBytes } from 'node:crypto';
import { openBytes, sealBytes } from '../../keys/sealed-bytes.js';

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** A new secret, `whsec_` and 32 random bytes in base64 (the Standard Webhooks format). */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

interface SecretBinding {
  envId: string;
  endpointId: string;
}

function additionalData(binding: SecretBinding): Buffer {
  return Buffer.from(JSON.stringify(['webhook-secret', binding.envId, binding.endpointId]), 'utf8');
}

export function sealWebhookSecret(secret: string, key: KeyObject, binding: SecretBinding): string {
  return sealBytes(Buffer.from(secret, 'utf8'), key, additionalData(binding));
}

/** @throws Error (naming the endpoint, never the secret) when the stored value does not open. */
export function openWebhookSecret(sealed: string, key: KeyObject, binding: SecretBinding): string {
  const opened = openBytes(sealed, key, additionalData(binding));
  if (!opened.ok) {
    throw new Error(
      `Cannot decrypt the secret of webhook ${binding.endpointId} (${opened.reason}): was the master secret changed?`,
    );
  }
  return opened.plain.toString('utf8');
}

/**
 * The `webhook-signature` header's value: `v1,` and the base64 HMAC-SHA256 of
 * `${id}.${timestamp}.${body}`, keyed with the secret's bytes (the base64 after `whsec_`).
 */
export function signWebhook(secret: string, input: { id: string; timestamp: number; body: string }): string {
  const key = Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    'base64',
  );
  const mac = createHmac('sha256', key)
    .update(`${input.id}.${input.timestamp}.${input.body}`)
    .digest('base64');
  return `v1,${mac}`;
}
