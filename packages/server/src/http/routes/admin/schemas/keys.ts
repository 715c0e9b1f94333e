import { Type } from '@sinclair/typebox';
import { SIGNING_ALGORITHMS } from '@tessera/protocol';
import { StringEnum, Timestamp } from './common.js';

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

export const Jwks = Type.Object(
  {
    keys: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      description: 'Public JWKs: the current key, a published next key, retired keys still verifying tokens.',
    }),
  },
  { additionalProperties: false },
);
