/** Request-body schemas of the session API: closed objects, bounded strings, no coercion. */
import { type Static, Type } from '@sinclair/typebox';

export const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' });
const ClientId = Id;
const TenantId = Id;

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320 }),
    // AUTH-10: a long password is refused before any hashing.
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    clientId: ClientId,
    tenantId: Type.Optional(TenantId),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object(
  { clientId: ClientId, tenantId: Type.Optional(TenantId), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type RefreshBody = Static<typeof RefreshBody>;

export const SwitchTenantBody = Type.Object(
  { clientId: ClientId, tenantId: TenantId },
  { additionalProperties: false },
);
export type SwitchTenantBody = Static<typeof SwitchTenantBody>;

export const LogoutBody = Type.Object({ clientId: ClientId }, { additionalProperties: false });
export type LogoutBody = Static<typeof LogoutBody>;

export const SidParams = Type.Object({ sid: Type.String({ minLength: 1, maxLength: 64 }) });
export type SidParams = Static<typeof SidParams>;

/** The token response (DESIGN §3.1); as a response schema it is also serialized faster. */
export const TokenResponseSchema = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer(),
  user: Type.Object({
    id: Type.String(),
    email: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
  }),
  tenantId: Type.String(),
  tenantIds: Type.Array(Type.String()),
});
