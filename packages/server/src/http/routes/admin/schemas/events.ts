import { type Static, Type } from '@sinclair/typebox';
import { PageQueryFields } from '../paging.js';
import { Nullable } from './common.js';

const NullableId = Nullable(Type.String());

export const Event = Type.Object(
  {
    id: Type.String({
      description: '`evt_` and a time-ordered suffix; also the webhook-id of its deliveries.',
    }),
    type: Type.String({ description: 'See docs/events.md for every type and its details.' }),
    envId: Type.String(),
    at: Type.String({ format: 'date-time', description: 'When it happened, with milliseconds.' }),
    userId: NullableId,
    sid: NullableId,
    tenantId: NullableId,
    clientId: NullableId,
    ip: NullableId,
    userAgent: NullableId,
    details: Type.Object({}, { additionalProperties: true, description: "The type's own fields." }),
  },
  { additionalProperties: false },
);

export const EventListQuery = Type.Object(
  {
    type: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: 'Comma-separated event types; `prefix.*` matches every type under it (`admin.*`).',
      }),
    ),
    userId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'Events about this user.' }),
    ),
    sid: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'Events about this session.' }),
    ),
    since: Type.Optional(
      Type.String({ maxLength: 64, description: 'ISO 8601 with a time zone: events at or after it.' }),
    ),
    until: Type.Optional(
      Type.String({ maxLength: 64, description: 'ISO 8601 with a time zone: events before it.' }),
    ),
    ...PageQueryFields,
  },
  { additionalProperties: false },
);
export type EventListQuery = Static<typeof EventListQuery>;
