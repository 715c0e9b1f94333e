/** Schemas of the client routes. The URL rules themselves are in service/admin/client-urls.ts. */
import { type Static, Type } from '@sinclair/typebox';
import { EntityId, Name, StringEnum, Timestamp } from './common.js';

const MAX_URLS = 20;

const Origins = Type.Array(Type.String({ minLength: 1, maxLength: 255 }), {
  maxItems: MAX_URLS,
  uniqueItems: true,
  description: 'Exact origins (`scheme://host[:port]`): https, or http on a loopback host.',
});

const Uris = Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), {
  maxItems: MAX_URLS,
  uniqueItems: true,
  description: 'Absolute URLs without a fragment, matched exactly: https, or http on a loopback host.',
});

const ClientType = StringEnum(['spa', 'confidential'] as const);

export const ClientParams = Type.Object({ envId: EntityId, clientId: EntityId });
export type ClientParams = Static<typeof ClientParams>;

const ClientFields = {
  clientId: Type.String(),
  name: Type.String(),
  type: ClientType,
  redirectUris: Type.Array(Type.String()),
  allowedOrigins: Type.Array(Type.String()),
  postLogoutRedirectUris: Type.Array(Type.String()),
  createdAt: Timestamp,
};

export const Client = Type.Object(ClientFields, { additionalProperties: false });

export const CreatedClient = Type.Object(
  {
    ...ClientFields,
    clientSecret: Type.Optional(
      Type.String({ description: 'Confidential clients only. Shown once: only its hash is stored.' }),
    ),
  },
  { additionalProperties: false },
);

export const CreateClientBody = Type.Object(
  {
    clientId: Type.Optional(EntityId),
    name: Name,
    type: ClientType,
    redirectUris: Uris,
    allowedOrigins: Origins,
    postLogoutRedirectUris: Uris,
  },
  { additionalProperties: false },
);
export type CreateClientBody = Static<typeof CreateClientBody>;

export const UpdateClientBody = Type.Object(
  {
    name: Type.Optional(Name),
    redirectUris: Type.Optional(Uris),
    allowedOrigins: Type.Optional(Origins),
    postLogoutRedirectUris: Type.Optional(Uris),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateClientBody = Static<typeof UpdateClientBody>;
