// biome-ignore lint/correctness/noUnusedImports: the symbols of the schemas spread below, which the published type declarations (dist/*.d.ts) must be able to name
import type { Hint, Kind, OptionalKind, ReadonlyKind } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { SIGNING_ALGORITHMS } from '@tessera/protocol';
import { Nullable, StringEnum, Timestamp } from './common.js';

export const RotatedKey = Type.Object(
  {
    kid: Type.String(),
    alg: StringEnum(SIGNING_ALGORITHMS),
    activatesAt: {
      ...Timestamp,
      description: "When it starts signing: after verifiers' cached JWKS include it.",
    },
  },
  { additionalProperties: false },
);

const JwkMember = (description: string) => Type.Optional(Type.String({ description }));

/**
 * A published key: its public JWK members (the only ones this schema lets out, so no private
 * member can be serialised) and its role, as the keyring's schedule decides it now.
 */
export const PublishedKey = Type.Object(
  {
    kid: Type.String(),
    kty: StringEnum(['EC', 'OKP', 'RSA'] as const),
    alg: StringEnum(SIGNING_ALGORITHMS),
    use: Type.Literal('sig'),
    crv: JwkMember('EC and OKP keys: the curve.'),
    x: JwkMember('EC and OKP keys.'),
    y: JwkMember('EC keys.'),
    n: JwkMember('RSA keys: the modulus.'),
    e: JwkMember('RSA keys: the exponent.'),
    status: StringEnum(['current', 'next', 'retired'] as const, {
      description:
        'current: signs new access tokens; next: published, signs from activatesAt; retired: no longer signs, published until the tokens it signed expire.',
    }),
    createdAt: Timestamp,
    activatesAt: { ...Timestamp, description: 'When it starts (or started) signing.' },
    retiredAt: {
      ...Nullable(Timestamp),
      description: 'When it stopped signing; null while it has not (current, next).',
    },
  },
  { additionalProperties: false },
);

export const PublishedKeys = Type.Object(
  {
    keys: Type.Array(PublishedKey, {
      description:
        'The keys of the JWKS, in its order: the current key first, then next and retired keys, newest first. `/.well-known/jwks.json` publishes the same keys without status and times.',
    }),
  },
  { additionalProperties: false },
);
