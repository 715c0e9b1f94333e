import { type Static, Type } from '@sinclair/typebox';
import { EntityId, Name } from './common.js';

export const RoleKey = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });

const Permission = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:*/-]+$' });
const Permissions = Type.Array(Permission, { maxItems: 200, uniqueItems: true });

export const RoleParams = Type.Object({ envId: EntityId, key: EntityId });
export type RoleParams = Static<typeof RoleParams>;

export const Role = Type.Object(
  { key: Type.String(), name: Type.String(), permissions: Type.Array(Type.String()) },
  { additionalProperties: false },
);

export const CreateRoleBody = Type.Object(
  { key: RoleKey, name: Name, permissions: Permissions },
  { additionalProperties: false },
);
export type CreateRoleBody = Static<typeof CreateRoleBody>;

export const UpdateRoleBody = Type.Object(
  { name: Type.Optional(Name), permissions: Type.Optional(Permissions) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRoleBody = Static<typeof UpdateRoleBody>;
