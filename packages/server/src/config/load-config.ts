/**
 * The server's configuration: read from environment variables once at start-up, validated with
 * every problem reported at once, then frozen. The only code that reads configuration.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import type { SigningAlgorithm } from '@tessera/protocol';
import { ConfigError } from '../errors.js';
import { closestName } from './closest-name.js';
import { type DatabaseConfig, parseDatabaseUrl, SQLITE_MEMORY } from './database-url.js';
import { isLoopbackUrl } from './loopback.js';
import type { ParseResult } from './parse-result.js';
import { parsePublicUrl } from './public-url.js';
import { Redacted } from './redacted.js';
import { MASTER_SECRET_BYTES } from './secret.js';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.js';
import {
  CONFIG_VARIABLES,
  type ConfigVariables,
  describeVariable,
  type LOG_LEVELS,
  MAX_WORKERS,
  VARIABLE_NAMES,
  type VariableName,
} from './variables.js';

export type LogLevel = (typeof LOG_LEVELS)[number];

/** The lifetimes and algorithm a new environment's token settings start with (DESIGN §2). */
export interface TokenDefaults {
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly rotationGraceSeconds: number;
  readonly signingAlgorithm: SigningAlgorithm;
}

/** The validated, deep-frozen configuration. docs/configuration.md documents every variable. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** The default environment's base URL and issuer, without a trailing slash. */
  readonly publicUrl: string;
  readonly database: DatabaseConfig;
  /** `null`: the server generates a key and prints it once. */
  readonly adminKey: Redacted | null;
  /** The bearer token of `GET /metrics`; `null`: metrics are off (docs/operations.md). */
  readonly metricsToken: Redacted | null;
  /**
   * `null` when the demo is off. `apiPort`: the example API the demo page calls (examples/api).
   * Never on for a public URL that is not loopback: its users have a published password.
   */
  readonly demo: { readonly port: number; readonly apiPort: number } | null;
  /**
   * Why the demo is off when nobody asked for that: `public_url` when `TESSERA_DEMO` is unset and
   * the public URL is not loopback, so the start log can say so; otherwise `null`.
   */
  readonly demoOffReason: 'public_url' | null;
  /** Base64url text of the master secret; `null`: read or create `<dataDir>/secret.key` (see `secret.ts`). */
  readonly masterSecret: Redacted | null;
  /** Absolute. */
  readonly dataDir: string;
  readonly trustProxy: TrustProxy;
  /** `null`: the login throttle is in-process. */
  readonly redisUrl: Redacted | null;
  readonly logLevel: LogLevel;
  /** How long session events are kept before the maintenance job prunes them (docs/events.md). */
  readonly eventsRetentionDays: number;
  /** How often the maintenance job prunes session history and events, in seconds [600]. */
  readonly pruneIntervalSeconds: number;
  readonly tokenDefaults: TokenDefaults;
  /**
   * Server processes on this machine (`TESSERA_WORKERS`, `auto` resolved to the cores): 1 is one
   * process, as always; more is a node:cluster primary and that many workers (`start-cluster.ts`).
   */
  readonly workers: number;
}

export interface LoadConfigOptions {
  /** What relative paths are resolved against [`process.cwd()`]. */
  cwd?: string;
}

// Names the test suite reads for itself (e.g. TESSERA_TEST_REDIS_URL); the server ignores them.
const TEST_VARIABLE_PREFIX = 'TESSERA_TEST_';

/**
 * Reads the configuration from `env` (normally `process.env`). Surrounding whitespace is ignored
 * and an empty value counts as unset. A `TESSERA_*` name that Tessera does not know is an error,
 * so a typo cannot silently leave a setting at its default.
 *
 * @throws ConfigError listing every problem; messages never contain a secret's value.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [...unknownVariableProblems(env)];
  const { variables, invalid } = readVariables(env, problems);

  const parsed = <T>(name: VariableName, result: ParseResult<T>): T | undefined => {
    if (result.ok) return result.value;
    problems.push(`${name} ${result.problem}`);
    invalid.add(name);
    return undefined;
  };
  const valid = (name: VariableName) => !invalid.has(name);

  const port = variables.PORT;
  const publicUrl = parsed(
    'TESSERA_PUBLIC_URL',
    variables.TESSERA_PUBLIC_URL === undefined
      ? { ok: true, value: `http://localhost:${port}` }
      : parsePublicUrl(variables.TESSERA_PUBLIC_URL),
  );
  const database = valid('TESSERA_DATABASE_URL')
    ? parsed(
        'TESSERA_DATABASE_URL',
        parseDatabaseUrl(variables.TESSERA_DATABASE_URL, { cwd, poolSize: variables.TESSERA_PG_POOL_SIZE }),
      )
    : undefined;
  const trustProxy = valid('TESSERA_TRUST_PROXY')
    ? parsed('TESSERA_TRUST_PROXY', parseTrustProxy(variables.TESSERA_TRUST_PROXY))
    : undefined;
  const redisUrl = valid('TESSERA_REDIS_URL') ? parseRedisUrl(variables.TESSERA_REDIS_URL, problems) : null;
  const masterSecret = valid('TESSERA_SECRET') ? parseMasterSecret(variables.TESSERA_SECRET, problems) : null;

  if (database?.kind === 'postgres' && valid('TESSERA_SECRET') && variables.TESSERA_SECRET === undefined) {
    problems.push(
      'TESSERA_SECRET is required with PostgreSQL: every node must share one master secret, so it cannot be generated into a local file',
    );
  }
  const access = variables.TESSERA_ACCESS_TOKEN_TTL_SECONDS;
  const refresh = variables.TESSERA_REFRESH_TOKEN_TTL_SECONDS;
  if (
    valid('TESSERA_ACCESS_TOKEN_TTL_SECONDS') &&
    valid('TESSERA_REFRESH_TOKEN_TTL_SECONDS') &&
    refresh <= access
  ) {
    problems.push('TESSERA_REFRESH_TOKEN_TTL_SECONDS must be greater than TESSERA_ACCESS_TOKEN_TTL_SECONDS');
  }
  // The demo users have the README's password: seeding them where anyone can reach the server
  // would hand out their tokens. Unset means "demo on loopback only", so a production start that
  // forgot TESSERA_DEMO=0 still starts, without them; an explicit 1 there is refused.
  const loopback = publicUrl !== undefined && isLoopbackUrl(publicUrl);
  const demoOn = valid('TESSERA_DEMO') && (variables.TESSERA_DEMO ?? (loopback ? '1' : '0')) === '1';
  if (variables.TESSERA_DEMO === '1' && publicUrl !== undefined && !loopback) {
    problems.push(
      'TESSERA_DEMO=1 is refused with a TESSERA_PUBLIC_URL that is not localhost, 127.0.0.1 or ::1: the demo users have a published password (set TESSERA_DEMO=0, or leave it unset)',
    );
  }
  const demoPort = variables.TESSERA_DEMO_PORT ?? port + 1;
  const demoApiPort = variables.TESSERA_DEMO_API_PORT ?? port + 2;
  if (demoOn && valid('PORT') && valid('TESSERA_DEMO_PORT')) {
    if (demoPort > 65_535) {
      problems.push('TESSERA_DEMO_PORT defaults to PORT + 1, which is above 65535: set it');
    } else if (demoPort === port) {
      problems.push('TESSERA_DEMO_PORT must differ from PORT');
    } else if (valid('TESSERA_DEMO_API_PORT') && demoApiPort > 65_535) {
      problems.push('TESSERA_DEMO_API_PORT defaults to PORT + 2, which is above 65535: set it');
    } else if (valid('TESSERA_DEMO_API_PORT') && (demoApiPort === port || demoApiPort === demoPort)) {
      problems.push('TESSERA_DEMO_API_PORT must differ from PORT and TESSERA_DEMO_PORT');
    }
  }

  const workers = valid('TESSERA_WORKERS') ? parseWorkers(variables.TESSERA_WORKERS, problems) : 1;
  if (workers > 1 && demoOn) {
    problems.push(
      'TESSERA_WORKERS above 1 is refused with the demo on: the demo serves fixed extra ports from one process (set TESSERA_DEMO=0)',
    );
  }
  if (workers > 1 && database?.kind === 'sqlite' && database.filename === SQLITE_MEMORY) {
    problems.push(
      'TESSERA_WORKERS above 1 is refused with sqlite::memory:: each process would have a database of its own',
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze({
    port,
    host: variables.HOST,
    publicUrl: publicUrl as string,
    database: database as DatabaseConfig,
    adminKey: variables.TESSERA_ADMIN_KEY === undefined ? null : new Redacted(variables.TESSERA_ADMIN_KEY),
    metricsToken:
      variables.TESSERA_METRICS_TOKEN === undefined ? null : new Redacted(variables.TESSERA_METRICS_TOKEN),
    demo: demoOn ? { port: demoPort, apiPort: demoApiPort } : null,
    demoOffReason: variables.TESSERA_DEMO === undefined && !loopback ? 'public_url' : null,
    masterSecret,
    dataDir: resolve(cwd, variables.TESSERA_DATA_DIR),
    trustProxy: trustProxy as TrustProxy,
    redisUrl,
    logLevel: variables.TESSERA_LOG_LEVEL,
    eventsRetentionDays: variables.TESSERA_EVENTS_RETENTION_DAYS,
    pruneIntervalSeconds: variables.TESSERA_PRUNE_INTERVAL_SECONDS,
    workers,
    tokenDefaults: {
      accessTokenTtlSeconds: access,
      refreshTokenTtlSeconds: refresh,
      rotationGraceSeconds: variables.TESSERA_ROTATION_GRACE_SECONDS,
      signingAlgorithm: variables.TESSERA_SIGNING_ALGORITHM,
    },
  });
}

function unknownVariableProblems(env: Record<string, string | undefined>): string[] {
  const known = new Set<string>(VARIABLE_NAMES);
  return Object.keys(env)
    .filter((name) => name.toUpperCase().startsWith('TESSERA_') && !known.has(name))
    .filter((name) => !name.startsWith(TEST_VARIABLE_PREFIX))
    .map((name) => {
      const suggestion = closestName(name, VARIABLE_NAMES);
      return suggestion === undefined
        ? `${name} is not a Tessera variable (see docs/configuration.md)`
        : `${name} is not a Tessera variable; did you mean ${suggestion}?`;
    });
}

/**
 * The variables with defaults applied and types checked against the schema. A variable that
 * fails its schema is reported, marked invalid and replaced by its default (or left unset), so
 * the later rules run on well-typed values and do not report it twice.
 */
function readVariables(
  env: Record<string, string | undefined>,
  problems: string[],
): { variables: ConfigVariables; invalid: Set<VariableName> } {
  const raw: Partial<Record<VariableName, string>> = {};
  const input: Record<string, unknown> = {};
  for (const name of VARIABLE_NAMES) {
    const text = env[name]?.trim();
    if (text === undefined || text === '') continue;
    raw[name] = text;
    // Strict, unlike TypeBox's conversion, which would read '80.5' as 80 and '1e3' as 1.
    input[name] = describeVariable(name).type === 'integer' && /^\d{1,15}$/.test(text) ? Number(text) : text;
  }

  const invalid = new Set<VariableName>();
  for (const error of Value.Errors(CONFIG_VARIABLES, Value.Default(CONFIG_VARIABLES, { ...input }))) {
    const name = error.path.split('/')[1] as VariableName | undefined;
    if (name === undefined || invalid.has(name)) continue;
    invalid.add(name);
    const variable = describeVariable(name);
    const shown = variable.sensitive
      ? ' (the value is not shown)'
      : `, not ${JSON.stringify(raw[name]?.slice(0, 100))}`;
    problems.push(`${name} must be ${variable.rule}${shown}`);
    delete input[name];
  }
  return { variables: Value.Default(CONFIG_VARIABLES, input) as ConfigVariables, invalid };
}

function parseRedisUrl(text: string | undefined, problems: string[]): Redacted | null {
  if (text === undefined) return null;
  let protocol: string | undefined;
  try {
    protocol = new URL(text).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    problems.push('TESSERA_REDIS_URL must be a redis:// or rediss:// URL (the value is not shown)');
    return null;
  }
  return new Redacted(text);
}

function parseMasterSecret(text: string | undefined, problems: string[]): Redacted | null {
  if (text === undefined) return null;
  if (Buffer.from(text, 'base64url').length < MASTER_SECRET_BYTES) {
    problems.push(
      `TESSERA_SECRET must decode to at least ${MASTER_SECRET_BYTES} bytes (the value is not shown)`,
    );
    return null;
  }
  return new Redacted(text);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const property of Object.values(value)) deepFreeze(property);
    Object.freeze(value);
  }
  return value;
}

/**
 * `auto`: one process per core the system gives this one, at most {@link MAX_WORKERS}; otherwise 1
 * to {@link MAX_WORKERS}.
 */
function parseWorkers(text: string, problems: string[]): number {
  if (text === 'auto') return autoWorkers(availableParallelism());
  const workers = Number(text);
  if (workers > MAX_WORKERS) {
    problems.push(
      `TESSERA_WORKERS must be at most ${MAX_WORKERS} (got ${text}): one process per core is the most that helps`,
    );
    return 1;
  }
  return workers;
}

/**
 * What `TESSERA_WORKERS=auto` means on a machine with `cores` cores: one each, at most
 * {@link MAX_WORKERS} (past that, processes cost memory and connections without adding a core).
 */
export function autoWorkers(cores: number): number {
  return Math.min(cores, MAX_WORKERS);
}
