/** Webhook secrets: the Standard Webhooks format and signature, and encryption at rest. */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { deriveSecrets } from '../../keys/secret.js';
import { afterFailure, DEFAULT_RETRY_SCHEDULE_SECONDS } from './schedule.js';
import { generateWebhookSecret, openWebhookSecret, sealWebhookSecret, signWebhook } from './secret.js';

const key = deriveSecrets(randomBytes(32)).webhookSecretKey;

describe('webhook secrets', () => {
  it('are whsec_ and 32 random bytes in base64, different each time', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('sign so that the standardwebhooks package verifies, and refuses a tampered body or signature', () => {
    const secret = generateWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      type: 'session.ended',
      timestamp: new Date().toISOString(),
      data: { id: 'evt_1' },
    });
    const headers = {
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secret, { id: 'evt_1', timestamp, body }),
    };
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const receiver = new Webhook(secret);
    expect(receiver.verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => receiver.verify(body.replace('session.ended', 'session.created'), headers)).toThrow();
    expect(() => receiver.verify(body, { ...headers, 'webhook-id': 'evt_2' })).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('are sealed for one endpoint: the wrong key, endpoint or an altered value does not open', () => {
    const secret = generateWebhookSecret();
    const binding = { envId: 'env-a', endpointId: 'wh_1' };
    const sealed = sealWebhookSecret(secret, key, binding);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(openWebhookSecret(sealed, key, binding)).toBe(secret);
    expect(() => openWebhookSecret(sealed, key, { ...binding, endpointId: 'wh_2' })).toThrow(/wh_2/);
    expect(() =>
      openWebhookSecret(sealed, deriveSecrets(randomBytes(32)).webhookSecretKey, binding),
    ).toThrow();
    const [version, iv, ciphertext, tag] = sealed.split('.');
    const flipped = `${version}.${iv}.${ciphertext?.startsWith('A') ? 'B' : 'A'}${ciphertext?.slice(1)}.${tag}`;
    expect(() => openWebhookSecret(flipped, key, binding)).toThrow();
    try {
      openWebhookSecret(sealed, key, { ...binding, envId: 'other' });
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
  });
});

describe('afterFailure', () => {
  it('retries on the Standard Webhooks schedule, for more than a day, then gives up', () => {
    const now = 1_000;
    const waits = DEFAULT_RETRY_SCHEDULE_SECONDS.map(
      (_, attemptsBefore) =>
        (afterFailure({ attemptsBefore, now, schedule: DEFAULT_RETRY_SCHEDULE_SECONDS }).nextAttemptAt ?? 0) -
        now,
    );
    expect(waits).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3600);
    expect(afterFailure({ attemptsBefore: 7, now, schedule: DEFAULT_RETRY_SCHEDULE_SECONDS })).toEqual({
      status: 'failed',
      nextAttemptAt: null,
    });
  });
});
