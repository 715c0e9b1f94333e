/**
 * The environment variables Tessera reads: one TypeBox schema that holds each variable's type,
 * default and rule. `load-config.ts` validates against it, and `docs.test.ts` checks that
 * docs/configuration.md documents every variable with the same default.
 */
import { type Static, Type } from '@sinclair/typebox';
import { SIGNING_ALGORITHMS } from '@tessera/protocol';
import { TOKEN_SETTINGS_LIMITS } from './settings-rules.js';

/**
 * What the schema says about each variable beyond its type. `rule` is shown in error messages;
 * `defaultText` documents a default that is computed rather than fixed; a `sensitive` value is
 * never repeated in an error message.
 */
export interface VariableAnnotations {
  rule: string;
  defaultText?: string;
  sensitive?: boolean;
}

const port = (annotations: VariableAnnotations & { default?: number }) =>
  Type.Integer({ minimum: 1, maximum: 65_535, ...annotations });

const { accessTokenTtlSeconds: accessTtl, rotationGraceSeconds: grace } = TOKEN_SETTINGS_LIMITS;

/** The most server processes `TESSERA_WORKERS` may ask for on one machine. */
export const MAX_WORKERS = 256;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const CONFIG_VARIABLES = Type.Object({
  PORT: port({ default: 4000, rule: 'an integer from 1 to 65535' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', rule: 'a host name or IP address to listen on' }),
  TESSERA_PUBLIC_URL: Type.Optional(
    Type.String({
      defaultText: '`http://localhost:$PORT`',
      rule: 'an absolute http(s) URL without credentials, query or fragment; https unless the host is localhost, 127.0.0.1 or ::1',
    }),
  ),
  TESSERA_DATABASE_URL: Type.String({
    default: 'sqlite:./data/tessera.db',
    sensitive: true,
    rule: '`sqlite:<path>`, `sqlite::memory:`, or a `postgres://` / `postgresql://` URL',
  }),
  TESSERA_ADMIN_KEY: Type.Optional(
    Type.String({
      minLength: 32,
      pattern: '^[\\x21-\\x7e]+$',
      sensitive: true,
      defaultText: 'generated and printed at start',
      rule: 'at least 32 visible ASCII characters',
    }),
  ),
  TESSERA_METRICS_TOKEN: Type.Optional(
    Type.String({
      minLength: 32,
      pattern: '^[\\x21-\\x7e]+$',
      sensitive: true,
      defaultText: 'unset: no `/metrics` (404)',
      rule: 'at least 32 visible ASCII characters: the bearer token Prometheus sends to `GET /metrics`',
    }),
  ),
  TESSERA_DEMO: Type.Optional(
    Type.Union([Type.Literal('0'), Type.Literal('1')], {
      defaultText:
        '`npm start`: `1` when TESSERA_PUBLIC_URL is on localhost, 127.0.0.1 or ::1, otherwise `0`; `tessera serve`: `0` (`--demo` for `1`)',
      rule: '`0` or `1`',
    }),
  ),
  TESSERA_SECRET: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]+={0,2}$',
      sensitive: true,
      defaultText: '`<dataDir>/secret.key` (SQLite only)',
      rule: 'base64url (A-Z, a-z, 0-9, `-`, `_`) of at least 32 random bytes',
    }),
  ),
  TESSERA_DATA_DIR: Type.String({
    minLength: 1,
    default: './data',
    rule: 'a directory, resolved against the working directory',
  }),
  TESSERA_TRUST_PROXY: Type.String({
    minLength: 1,
    default: 'false',
    rule: '`false`, `true`, or a comma-separated list of IP addresses, CIDR ranges, `loopback`, `linklocal`, `uniquelocal`',
  }),
  TESSERA_REDIS_URL: Type.Optional(
    Type.String({
      sensitive: true,
      defaultText: 'unset: in-process throttle',
      rule: 'a `redis://` or `rediss://` URL',
    }),
  ),
  TESSERA_LOG_LEVEL: Type.Union(
    LOG_LEVELS.map((level) => Type.Literal(level)),
    { default: 'info', rule: `one of ${LOG_LEVELS.join(', ')}` },
  ),
  TESSERA_DEMO_PORT: Type.Optional(port({ defaultText: '`$PORT + 1`', rule: 'an integer from 1 to 65535' })),
  TESSERA_DEMO_API_PORT: Type.Optional(
    port({ defaultText: '`$PORT + 2`', rule: 'an integer from 1 to 65535' }),
  ),
  TESSERA_PG_POOL_SIZE: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 10,
    rule: 'an integer from 1 to 1000',
  }),
  TESSERA_EVENTS_RETENTION_DAYS: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 30,
    rule: 'an integer from 1 to 3650',
  }),
  TESSERA_PRUNE_INTERVAL_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 86400,
    default: 600,
    rule: 'an integer from 1 to 86400',
  }),
  TESSERA_ACCESS_TOKEN_TTL_SECONDS: Type.Integer({
    minimum: accessTtl.min,
    maximum: accessTtl.max,
    default: 300,
    rule: `an integer from ${accessTtl.min} to ${accessTtl.max}`,
  }),
  TESSERA_REFRESH_TOKEN_TTL_SECONDS: Type.Integer({
    minimum: 1,
    default: 2_592_000,
    rule: 'a positive integer, greater than TESSERA_ACCESS_TOKEN_TTL_SECONDS',
  }),
  TESSERA_ROTATION_GRACE_SECONDS: Type.Integer({
    minimum: grace.min,
    maximum: grace.max,
    default: 10,
    rule: `an integer from ${grace.min} to ${grace.max}`,
  }),
  TESSERA_WORKERS: Type.String({
    pattern: '^(auto|[1-9][0-9]*)$',
    default: '1',
    rule: `an integer from 1 to ${MAX_WORKERS}, or \`auto\` (one per core: os.availableParallelism(), at most ${MAX_WORKERS})`,
  }),
  TESSERA_SIGNING_ALGORITHM: Type.Union(
    SIGNING_ALGORITHMS.map((algorithm) => Type.Literal(algorithm)),
    { default: 'ES256', rule: `one of ${SIGNING_ALGORITHMS.join(', ')}` },
  ),
});

/** The variables after defaults are applied and every value has been checked against its type. */
export type ConfigVariables = Static<typeof CONFIG_VARIABLES>;

export type VariableName = keyof ConfigVariables;

export const VARIABLE_NAMES = Object.keys(CONFIG_VARIABLES.properties) as VariableName[];

/** A variable's annotations and fixed default, read from the schema. */
export function describeVariable(name: VariableName): VariableAnnotations & {
  default: unknown;
  type: string | undefined;
} {
  const schema = CONFIG_VARIABLES.properties[name] as unknown as VariableAnnotations & {
    default?: unknown;
    type?: string;
  };
  return { ...schema, default: schema.default, type: schema.type };
}

/** How docs/configuration.md shows a variable's default. */
export function documentedDefault(name: VariableName): string {
  const variable = describeVariable(name);
  return variable.default === undefined
    ? (variable.defaultText ?? 'unset')
    : `\`${String(variable.default)}\``;
}
