import { type Static, Type } from '@sinclair/typebox';
import { EntityId, Timestamp } from './common.js';
import { RoleKey } from './roles.js';

export const MemberParams = Type.Object({ envId: EntityId, tenantId: EntityId, userId: EntityId });
export type MemberParams = Static<typeof MemberParams>;

export const MembershipBody = Type.Object(
  { roles: Type.Array(RoleKey, { maxItems: 50, uniqueItems: true }) },
  { additionalProperties: false },
);
export type MembershipBody = Static<typeof MembershipBody>;

export const Membership = Type.Object(
  { tenantId: Type.String(), userId: Type.String(), roles: Type.Array(Type.String()), createdAt: Timestamp },
  { additionalProperties: false },
);
