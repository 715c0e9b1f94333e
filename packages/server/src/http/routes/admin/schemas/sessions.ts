import { type Static, Type } from '@sinclair/typebox';
import { EntityId, Nullable, Timestamp } from './common.js';

export const AdminSession = Type.Object(
  {
    sid: Type.String(),
    createdAt: Timestamp,
    lastActiveAt: Timestamp,
    userAgent: Nullable(Type.String()),
    ip: Nullable(Type.String()),
    clientId: Type.String(),
  },
  { additionalProperties: false },
);

export const SessionParams = Type.Object({
  envId: EntityId,
  sid: Type.String({ minLength: 1, maxLength: 64 }),
});
export type SessionParams = Static<typeof SessionParams>;
