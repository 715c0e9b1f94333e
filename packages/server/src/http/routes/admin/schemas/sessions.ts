// biome-ignore lint/correctness/noUnusedImports: the symbols of the schemas spread below, which the published type declarations (dist/*.d.ts) must be able to name
import type { Hint, Kind, OptionalKind, ReadonlyKind } from '@sinclair/typebox';
import { type Static, Type } from '@sinclair/typebox';
import { PageQueryFields } from '../paging.js';
import { EntityId, Nullable, Timestamp } from './common.js';

export const Device = Type.Object(
  {
    browser: Nullable(Type.String()),
    browserVersion: Nullable(Type.String({ description: 'The major version.' })),
    os: Nullable(Type.String()),
    kind: Nullable(Type.String({ description: '`desktop`, `mobile`, `tablet`, `tv`, or null.' })),
    label: Type.String({
      description: 'For people: "Chrome 131 on macOS", or "Unknown device". Plain text.',
    }),
  },
  { additionalProperties: false, description: "Parsed from the session's user agent when listed." },
);

export const AdminSession = Type.Object(
  {
    sid: Type.String(),
    userId: Type.String(),
    tenantId: Nullable(
      Type.String({ description: 'The default tenant: the one a refresh without a tenant gets.' }),
    ),
    clientId: Type.String({ description: 'The client that logged in.' }),
    clientIds: Type.Array(Type.String(), {
      description: 'Every client the session serves: the one that logged in, then those that joined.',
    }),
    createdAt: Timestamp,
    lastActiveAt: Timestamp,
    lastRefreshAt: Timestamp,
    idleExpiresAt: Nullable({
      ...Timestamp,
      description:
        'When the session goes idle without activity, under the policy of its default tenant; null with no idle timeout.',
    }),
    absoluteExpiresAt: Nullable({
      ...Timestamp,
      description:
        "When it ends at the latest, under the user's strictest policy; null with no absolute timeout.",
    }),
    userAgent: Nullable(Type.String()),
    device: Device,
    ip: Nullable(Type.String({ description: 'The IP of the login.' })),
    lastIp: Nullable(Type.String({ description: "The IP of the browser's latest refresh; null until one." })),
  },
  { additionalProperties: false },
);

export const SessionParams = Type.Object({
  envId: EntityId,
  sid: Type.String({ minLength: 1, maxLength: 64 }),
});
export type SessionParams = Static<typeof SessionParams>;

export const EnvironmentSessionsQuery = Type.Object(
  {
    ...PageQueryFields,
    userId: Type.Optional({ ...EntityId, description: "Only this user's sessions." }),
  },
  { additionalProperties: false },
);
export type EnvironmentSessionsQuery = Static<typeof EnvironmentSessionsQuery>;
