/** Schemas of the environment routes: token settings and session policy (DESIGN §2). */
import { type Static, Type } from '@sinclair/typebox';
import { SIGNING_ALGORITHMS } from '@tessera/protocol';
import { TOKEN_SETTINGS_LIMITS } from '../../../../config/settings-rules.js';
import { EnvironmentId, Name, Nullable, Seconds, StringEnum, Timestamp } from './common.js';

const SigningAlgorithm = StringEnum(SIGNING_ALGORITHMS);
const SameSite = StringEnum(['lax', 'strict', 'none'] as const);
export const OnLimit = StringEnum(['evict_oldest', 'reject'] as const);
export const MaxSessions = Type.Integer({ minimum: 1, maximum: 10_000 });

const { accessTokenTtlSeconds: accessLimits, rotationGraceSeconds: graceLimits } = TOKEN_SETTINGS_LIMITS;

const CookieName = Type.String({
  minLength: 1,
  maxLength: 128,
  description:
    'An RFC 6265 token, without a `__Host-`/`__Secure-` prefix: `__Host-` is added whenever `secure` is true.',
});

const TokenSettingsFields = {
  accessTokenTtlSeconds: Type.Integer({ minimum: accessLimits.min, maximum: accessLimits.max }),
  refreshTokenTtlSeconds: { ...Seconds, description: 'Greater than accessTokenTtlSeconds.' },
  rotationGraceSeconds: Type.Integer({ minimum: graceLimits.min, maximum: graceLimits.max }),
  signingAlgorithm: SigningAlgorithm,
};

export const TokenSettings = Type.Object(
  {
    ...TokenSettingsFields,
    cookie: Type.Object(
      { name: CookieName, sameSite: SameSite, secure: Type.Boolean() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const TokenSettingsPatch = Type.Partial(
  Type.Object(
    {
      ...TokenSettingsFields,
      cookie: Type.Partial(
        Type.Object(
          { name: CookieName, sameSite: SameSite, secure: Type.Boolean() },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
  { description: 'Only the fields to change; the others keep their value (or default).' },
);

const SessionPolicyFields = {
  idleTimeoutSeconds: Nullable(Seconds),
  absoluteTimeoutSeconds: Nullable(Seconds),
  maxConcurrentSessions: Nullable(MaxSessions),
  onLimit: OnLimit,
};

export const SessionPolicy = Type.Object(SessionPolicyFields, {
  additionalProperties: false,
  description: '`null` turns a limit off.',
});

export const SessionPolicyPatch = Type.Partial(
  Type.Object(SessionPolicyFields, { additionalProperties: false }),
  {
    description: 'Only the fields to change; `null` turns a limit off.',
  },
);

export const Environment = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    baseUrl: Type.String(),
    tokenSettings: TokenSettings,
    sessionPolicy: SessionPolicy,
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);

export const CreateEnvironmentBody = Type.Object(
  {
    id: Type.Optional(EnvironmentId),
    name: Name,
    tokenSettings: Type.Optional(TokenSettingsPatch),
    sessionPolicy: Type.Optional(SessionPolicyPatch),
  },
  { additionalProperties: false },
);
export type CreateEnvironmentBody = Static<typeof CreateEnvironmentBody>;

export const UpdateEnvironmentBody = Type.Object(
  {
    name: Type.Optional(Name),
    tokenSettings: Type.Optional(TokenSettingsPatch),
    sessionPolicy: Type.Optional(SessionPolicyPatch),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateEnvironmentBody = Static<typeof UpdateEnvironmentBody>;
