// biome-ignore lint/correctness/noUnusedImports: the symbols of the schemas spread below, which the published type declarations (dist/*.d.ts) must be able to name
import type { Hint, Kind, OptionalKind, ReadonlyKind } from '@sinclair/typebox';
import { type Static, Type } from '@sinclair/typebox';
import { EntityId, Name, Nullable, StringEnum } from './common.js';
import { SessionPolicy } from './environments.js';
import { TenantPolicy } from './tenants.js';

const UserStatus = StringEnum(['active', 'disabled'] as const);

/** Bounded before any work: the rules (length in code points) are checked by the use case. */
const Password = Type.String({
  minLength: 1,
  maxLength: 1024,
  description:
    'At least 8 characters, and not one of the most common or breached passwords (in any letter case).',
});

export const UserParams = Type.Object({ envId: EntityId, userId: EntityId });
export type UserParams = Static<typeof UserParams>;

export const User = Type.Object(
  { id: Type.String(), email: Type.String(), name: Nullable(Type.String()), status: UserStatus },
  { additionalProperties: false },
);

export const UserDetail = Type.Object(
  {
    ...User.properties,
    memberships: Type.Array(
      Type.Object(
        { tenantId: Type.String(), tenantName: Type.String(), roles: Type.Array(Type.String()) },
        { additionalProperties: false },
      ),
      { description: 'The tenants the user belongs to, with their roles, oldest membership first.' },
    ),
  },
  { additionalProperties: false },
);

export const EffectivePolicy = Type.Object(
  {
    environment: SessionPolicy,
    strictest: Type.Object(
      {
        absoluteTimeoutSeconds: SessionPolicy.properties.absoluteTimeoutSeconds,
        maxConcurrentSessions: SessionPolicy.properties.maxConcurrentSessions,
        onLimit: SessionPolicy.properties.onLimit,
      },
      { additionalProperties: false, description: 'Across all the user’s tenants.' },
    ),
    tenants: Type.Array(
      Type.Object(
        {
          tenantId: Type.String(),
          tenantName: Type.String(),
          overrides: TenantPolicy,
          policy: { ...SessionPolicy, description: 'In force for the user’s sessions in this tenant.' },
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const CreateUserBody = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 320 }), password: Password, name: Type.Optional(Name) },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Nullable(Name)),
    password: Type.Optional(Password),
    endSessions: Type.Optional(
      Type.Boolean({
        description:
          'Only with `password`. Defaults to `true`: every session of the user ends (reason `password_changed`, announced by the revocation feed). `false` keeps them.',
      }),
    ),
    status: Type.Optional({
      ...UserStatus,
      description: '`disabled` ends every session of the user at once.',
    }),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;
