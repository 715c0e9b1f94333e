import type { WebhookSettings } from '../../storage/records.js';

/** A new environment's webhook rules: webhooks may target public addresses only. */
export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = Object.freeze({ allowPrivateTargets: false });
