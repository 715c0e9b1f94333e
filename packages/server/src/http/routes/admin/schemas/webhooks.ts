/** Schemas of the webhook routes (docs/webhooks.md). The URL and event-type rules are in service/webhooks/. */
import { type Static, Type } from '@sinclair/typebox';
import { MAX_WEBHOOK_DESCRIPTION_LENGTH } from '../../../../service/admin/webhooks.js';
import { MAX_WEBHOOK_EVENT_TYPES } from '../../../../service/webhooks/event-types.js';
import { MAX_WEBHOOK_URL_LENGTH } from '../../../../service/webhooks/targets.js';
import { EntityId, Nullable, StringEnum, Timestamp } from './common.js';

export const WebhookParams = Type.Object({ envId: EntityId, webhookId: EntityId });
export type WebhookParams = Static<typeof WebhookParams>;

const Url = Type.String({
  minLength: 1,
  maxLength: MAX_WEBHOOK_URL_LENGTH,
  description:
    'An http or https URL without credentials or a fragment. Its host must resolve to public addresses unless the environment’s `webhookSettings.allowPrivateTargets` is on.',
});

const EventTypes = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  minItems: 1,
  maxItems: MAX_WEBHOOK_EVENT_TYPES,
  description:
    'Event types to deliver (docs/events.md): a type such as `session.ended`, `*` for every type, or a prefix pattern such as `session.*` or `admin.*`.',
});

const Description = Nullable(
  Type.String({
    maxLength: MAX_WEBHOOK_DESCRIPTION_LENGTH,
    pattern: '^[^\\p{Cc}]*$',
    description: 'No control characters.',
  }),
);

const WebhookFields = {
  id: Type.String(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  enabled: Type.Boolean(),
  createdAt: Timestamp,
};

export const Webhook = Type.Object(WebhookFields, { additionalProperties: false });

const Secret = Type.String({
  description:
    'The signing secret, `whsec_` and base64 (Standard Webhooks). Shown once: it is stored encrypted.',
});

export const CreatedWebhook = Type.Object(
  { ...WebhookFields, secret: Secret },
  { additionalProperties: false },
);

export const RotatedWebhookSecret = Type.Object({ secret: Secret }, { additionalProperties: false });

export const TestDelivery = Type.Object({ deliveryId: Type.String() }, { additionalProperties: false });

export const CreateWebhookBody = Type.Object(
  {
    url: Url,
    eventTypes: EventTypes,
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean({ description: 'Whether events are delivered [true].' })),
  },
  { additionalProperties: false },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Url),
    eventTypes: Type.Optional(EventTypes),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>;

const TimeOrNull = Nullable(Timestamp);

export const WebhookDelivery = Type.Object(
  {
    id: Type.String(),
    eventId: Type.String({ description: 'The event, and the `webhook-id` header.' }),
    eventType: Type.String(),
    status: StringEnum(['pending', 'succeeded', 'failed'] as const, {
      description: '`failed`: every attempt of the retry schedule failed; no more are made.',
    }),
    attempts: Type.Integer(),
    createdAt: Timestamp,
    lastAttemptAt: TimeOrNull,
    nextAttemptAt: TimeOrNull,
    lastResponseStatus: Nullable(Type.Integer()),
    lastError: Nullable(
      Type.String({ description: 'Why the last attempt failed (never the response body).' }),
    ),
  },
  { additionalProperties: false },
);
