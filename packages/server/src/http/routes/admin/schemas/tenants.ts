import { type Static, Type } from '@sinclair/typebox';
import { EntityId, Name, Nullable, Seconds, Timestamp } from './common.js';
import { MaxSessions, OnLimit } from './environments.js';

export const TenantParams = Type.Object({ envId: EntityId, tenantId: EntityId });
export type TenantParams = Static<typeof TenantParams>;

export const TenantPolicyPatch = Type.Object(
  {
    idleTimeoutSeconds: Type.Optional(Nullable(Seconds)),
    absoluteTimeoutSeconds: Type.Optional(Nullable(Seconds)),
    maxConcurrentSessions: Type.Optional(Nullable(MaxSessions)),
    onLimit: Type.Optional(Nullable(OnLimit)),
  },
  {
    additionalProperties: false,
    description: "Overrides of the environment's policy; `null` clears one, so it inherits again.",
  },
);

export const TenantPolicy = Type.Object(
  {
    idleTimeoutSeconds: Type.Optional(Seconds),
    absoluteTimeoutSeconds: Type.Optional(Seconds),
    maxConcurrentSessions: Type.Optional(MaxSessions),
    onLimit: Type.Optional(OnLimit),
  },
  {
    additionalProperties: false,
    description: "The tenant's overrides; an absent field inherits the environment's.",
  },
);

export const Tenant = Type.Object(
  { id: Type.String(), name: Type.String(), sessionPolicy: TenantPolicy, createdAt: Timestamp },
  { additionalProperties: false },
);

export const CreateTenantBody = Type.Object(
  { id: Type.Optional(EntityId), name: Name, sessionPolicy: Type.Optional(TenantPolicyPatch) },
  { additionalProperties: false },
);
export type CreateTenantBody = Static<typeof CreateTenantBody>;

export const UpdateTenantBody = Type.Object(
  { name: Type.Optional(Name), sessionPolicy: Type.Optional(TenantPolicyPatch) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTenantBody = Static<typeof UpdateTenantBody>;
