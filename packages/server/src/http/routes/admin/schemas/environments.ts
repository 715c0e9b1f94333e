/** Schemas of the environment routes: token settings, session policy (DESIGN §2) and branding. */
// biome-ignore lint/correctness/noUnusedImports: the symbols of the schemas spread below, which the published type declarations (dist/*.d.ts) must be able to name
import type { Hint, Kind, OptionalKind, ReadonlyKind } from '@sinclair/typebox';
import { type Static, Type } from '@sinclair/typebox';
import { SIGNING_ALGORITHMS } from '@tessera/protocol';
import { TOKEN_SETTINGS_LIMITS } from '../../../../config/settings-rules.js';
import { SAME_SITE_VALUES } from '../../../../config/token-settings.js';
import { ON_LIMIT_VALUES } from '../../../../engine/policy.js';
import { EnvironmentId, Name, Nullable, Seconds, StringEnum, Timestamp } from './common.js';

const SigningAlgorithm = StringEnum(SIGNING_ALGORITHMS);
const SameSite = StringEnum(SAME_SITE_VALUES);
export const OnLimit = StringEnum(ON_LIMIT_VALUES);
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

const BrandingFields = {
  name: {
    ...Name,
    maxLength: 100,
    description: "Shown on the hosted login pages instead of the environment's name; no control characters.",
  },
  primaryColor: Type.String({ description: '`#rrggbb`; stored in lower case.' }),
  logoUrl: Type.String({
    description: 'An absolute https URL without credentials, at most 2048 characters; stored normalised.',
  }),
};

export const Branding = Type.Object(
  {
    name: Type.Optional(BrandingFields.name),
    primaryColor: Type.Optional(BrandingFields.primaryColor),
    logoUrl: Type.Optional(BrandingFields.logoUrl),
  },
  {
    additionalProperties: false,
    description: 'How the hosted login pages look; an absent field takes the default.',
  },
);

export const BrandingPatch = Type.Object(
  {
    name: Type.Optional(Nullable(BrandingFields.name)),
    primaryColor: Type.Optional(Nullable(BrandingFields.primaryColor)),
    logoUrl: Type.Optional(Nullable(BrandingFields.logoUrl)),
  },
  {
    additionalProperties: false,
    description: 'Only the fields to change; `null` clears one, so the pages use the default again.',
  },
);

const WebhookSettingsFields = {
  allowPrivateTargets: Type.Boolean({
    description:
      'Lets webhooks target private, loopback, link-local, unique-local, CGNAT, multicast and unspecified addresses (docs/webhooks.md). Off by default: turn it on only for development or a private network you trust.',
  }),
};

export const WebhookSettings = Type.Object(WebhookSettingsFields, { additionalProperties: false });

export const WebhookSettingsPatch = Type.Partial(
  Type.Object(WebhookSettingsFields, { additionalProperties: false }),
  {
    description: 'Only the fields to change.',
  },
);

export const Environment = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    baseUrl: Type.String(),
    tokenSettings: TokenSettings,
    sessionPolicy: SessionPolicy,
    branding: Branding,
    webhookSettings: WebhookSettings,
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
    branding: Type.Optional(Branding),
    webhookSettings: Type.Optional(WebhookSettingsPatch),
  },
  { additionalProperties: false },
);
export type CreateEnvironmentBody = Static<typeof CreateEnvironmentBody>;

export const UpdateEnvironmentBody = Type.Object(
  {
    name: Type.Optional(Name),
    tokenSettings: Type.Optional(TokenSettingsPatch),
    sessionPolicy: Type.Optional(SessionPolicyPatch),
    branding: Type.Optional(BrandingPatch),
    webhookSettings: Type.Optional(WebhookSettingsPatch),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateEnvironmentBody = Static<typeof UpdateEnvironmentBody>;
