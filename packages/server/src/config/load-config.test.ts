import { availableParallelism } from 'node:os';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { autoWorkers, type Config, loadConfig } from './load-config.js';

const CWD = '/srv/tessera';
const SECRET = 'q4R8Fv0m1hZk9yX3bL6tN2wP5sJ7cD0eA8gU1iK4oYQ';
const ADMIN_KEY = 'admin-key-0123456789-abcdefghijklmnop';

function load(env: Record<string, string | undefined>): Config {
  return loadConfig(env, { cwd: CWD });
}

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: defaults', () => {
  it('applies every documented default to an empty environment', () => {
    expect(load({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:4000',
      database: { kind: 'sqlite', filename: '/srv/tessera/data/tessera.db' },
      adminKey: null,
      metricsToken: null,
      demo: { port: 4001, apiPort: 4002 },
      demoOffReason: null,
      masterSecret: null,
      dataDir: '/srv/tessera/data',
      trustProxy: false,
      redisUrl: null,
      logLevel: 'info',
      eventsRetentionDays: 30,
      pruneIntervalSeconds: 600,
      workers: 1,
      tokenDefaults: {
        accessTokenTtlSeconds: 300,
        refreshTokenTtlSeconds: 2_592_000,
        rotationGraceSeconds: 10,
        signingAlgorithm: 'ES256',
      },
    });
  });

  it('derives the public URL and the demo ports from PORT', () => {
    const config = load({ PORT: '8080' });
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.demo).toEqual({ port: 8081, apiPort: 8082 });
  });

  it('ignores other variables, trims values and treats an empty value as unset', () => {
    const config = load({
      PATH: '/usr/bin',
      PORT: ' 5000 ',
      TESSERA_ADMIN_KEY: '',
      TESSERA_LOG_LEVEL: 'debug\n',
    });
    expect(config.port).toBe(5000);
    expect(config.adminKey).toBeNull();
    expect(config.logLevel).toBe('debug');
  });

  it('is deeply frozen', () => {
    const config = load({ TESSERA_TRUST_PROXY: '10.0.0.0/8' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.tokenDefaults)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(Object.isFrozen(config.demo)).toBe(true);
    expect(Object.isFrozen(config.trustProxy)).toBe(true);
    expect(() => {
      (config.tokenDefaults as { accessTokenTtlSeconds: number }).accessTokenTtlSeconds = 1;
    }).toThrow(TypeError);
  });
});

describe('loadConfig: values', () => {
  it.each([
    ['https://auth.example.com', 'https://auth.example.com'],
    ['https://auth.example.com/', 'https://auth.example.com'],
    ['https://Auth.Example.com:443/tessera/', 'https://auth.example.com/tessera'],
    ['http://127.0.0.1:4000', 'http://127.0.0.1:4000'],
    ['http://[::1]:4000/', 'http://[::1]:4000'],
  ])('normalizes TESSERA_PUBLIC_URL %s → %s', (input, expected) => {
    expect(load({ TESSERA_PUBLIC_URL: input }).publicUrl).toBe(expected);
  });

  it.each([
    ['sqlite:./db/app.db', { kind: 'sqlite', filename: '/srv/tessera/db/app.db' }],
    ['sqlite:/var/lib/tessera.db', { kind: 'sqlite', filename: '/var/lib/tessera.db' }],
    ['sqlite::memory:', { kind: 'sqlite', filename: ':memory:' }],
  ])('reads TESSERA_DATABASE_URL %s', (input, expected) => {
    expect(load({ TESSERA_DATABASE_URL: input }).database).toEqual(expected);
  });

  it('reads a PostgreSQL URL, redacted, with the pool size', () => {
    const url = 'postgres://tessera:pg-password-123@db.internal:5432/tessera';
    const { database } = load({
      TESSERA_DATABASE_URL: url,
      TESSERA_SECRET: SECRET,
      TESSERA_PG_POOL_SIZE: '25',
    });
    expect(database.kind).toBe('postgres');
    if (database.kind !== 'postgres') return;
    expect(database.url.reveal()).toBe(url);
    expect(database.poolSize).toBe(25);
    expect(
      load({ TESSERA_DATABASE_URL: 'postgresql://db/tessera', TESSERA_SECRET: SECRET }).database.kind,
    ).toBe('postgres');
  });

  it('keeps events for TESSERA_EVENTS_RETENTION_DAYS [30]', () => {
    expect(load({}).eventsRetentionDays).toBe(30);
    expect(load({ TESSERA_EVENTS_RETENTION_DAYS: '1' }).eventsRetentionDays).toBe(1);
    expect(load({ TESSERA_EVENTS_RETENTION_DAYS: ' 3650 ' }).eventsRetentionDays).toBe(3650);
  });

  it('prunes every TESSERA_PRUNE_INTERVAL_SECONDS [600], from 1 to 86400', () => {
    expect(load({}).pruneIntervalSeconds).toBe(600);
    expect(load({ TESSERA_PRUNE_INTERVAL_SECONDS: '1' }).pruneIntervalSeconds).toBe(1);
    expect(load({ TESSERA_PRUNE_INTERVAL_SECONDS: '86400' }).pruneIntervalSeconds).toBe(86400);
    for (const bad of ['0', '86401', '1.5', 'often']) {
      expect(() => load({ TESSERA_PRUNE_INTERVAL_SECONDS: bad })).toThrow(
        'TESSERA_PRUNE_INTERVAL_SECONDS must be an integer from 1 to 86400',
      );
    }
  });

  it.each([
    ['false', false],
    ['true', true],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, 192.168.0.0/16,loopback', ['10.0.0.0/8', '192.168.0.0/16', 'loopback']],
    ['2001:db8::/32,::1', ['2001:db8::/32', '::1']],
  ])('reads TESSERA_TRUST_PROXY %s', (input, expected) => {
    expect(load({ TESSERA_TRUST_PROXY: input }).trustProxy).toEqual(expected);
  });

  it('reads the secrets, redacted in JSON, strings and inspection', () => {
    const config = load({
      TESSERA_ADMIN_KEY: ADMIN_KEY,
      TESSERA_SECRET: SECRET,
      TESSERA_REDIS_URL: 'redis://:redis-password-9@cache:6379/0',
    });
    expect(config.adminKey?.reveal()).toBe(ADMIN_KEY);
    expect(config.masterSecret?.reveal()).toBe(SECRET);
    expect(config.redisUrl?.reveal()).toBe('redis://:redis-password-9@cache:6379/0');
    for (const printed of [JSON.stringify(config), inspect(config, { depth: 10 }), `${config.adminKey}`]) {
      expect(printed).not.toContain(ADMIN_KEY);
      expect(printed).not.toContain(SECRET);
      expect(printed).not.toContain('redis-password-9');
    }
    expect(JSON.stringify(config.adminKey)).toBe('"[redacted]"');
  });

  it('reads TESSERA_METRICS_TOKEN, redacted; metrics are off without it', () => {
    const token = 'metrics-token-0123456789-abcdefghijk';
    const config = load({ TESSERA_METRICS_TOKEN: token });
    expect(config.metricsToken?.reveal()).toBe(token);
    expect(JSON.stringify(config)).not.toContain(token);
    expect(inspect(config, { depth: 10 })).not.toContain(token);
    expect(load({}).metricsToken).toBeNull();
  });

  it('turns the demo off with TESSERA_DEMO=0, and then ignores the demo port', () => {
    expect(load({ TESSERA_DEMO: '0' }).demo).toBeNull();
    expect(load({ TESSERA_DEMO: '0', PORT: '65535' }).demo).toBeNull();
    expect(load({ TESSERA_DEMO_PORT: '9000' }).demo).toEqual({ port: 9000, apiPort: 4002 });
    expect(load({ TESSERA_DEMO_API_PORT: '9001' }).demo).toEqual({ port: 4001, apiPort: 9001 });
  });

  describe('the demo and the public URL (known passwords never on a public server)', () => {
    const PUBLIC = 'https://auth.example.com';
    it.each([
      ['unset', 'http://localhost:4000', { port: 4001, apiPort: 4002 }, null],
      ['unset', 'https://localhost:4000', { port: 4001, apiPort: 4002 }, null],
      ['unset', 'http://127.0.0.1:4000', { port: 4001, apiPort: 4002 }, null],
      ['unset', 'http://[::1]:4000', { port: 4001, apiPort: 4002 }, null],
      ['unset', PUBLIC, null, 'public_url'],
      ['unset', 'https://127.0.0.1.example.com', null, 'public_url'],
      ['0', 'http://localhost:4000', null, null],
      ['0', PUBLIC, null, null],
      ['1', 'http://localhost:4000', { port: 4001, apiPort: 4002 }, null],
    ])('TESSERA_DEMO %s with %s', (demo, publicUrl, expected, reason) => {
      const config = load({
        TESSERA_DEMO: demo === 'unset' ? undefined : demo,
        TESSERA_PUBLIC_URL: publicUrl,
      });
      expect(config.demo).toEqual(expected);
      expect(config.demoOffReason).toBe(reason);
    });

    it('turns the demo off by default on a public URL, so its demo ports are not checked', () => {
      expect(load({ TESSERA_PUBLIC_URL: PUBLIC, PORT: '65535' }).demo).toBeNull();
    });

    it('refuses TESSERA_DEMO=1 with a public URL, in one line naming both variables', () => {
      const problems = problemsOf({ TESSERA_DEMO: '1', TESSERA_PUBLIC_URL: PUBLIC });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('TESSERA_DEMO=1');
      expect(problems[0]).toContain('TESSERA_PUBLIC_URL');
      expect(problems[0]).not.toContain('\n');
    });

    it('reports the refused demo together with the other problems', () => {
      const problems = problemsOf({
        TESSERA_DEMO: '1',
        TESSERA_PUBLIC_URL: PUBLIC,
        TESSERA_LOG_LEVEL: 'loud',
      });
      expect(problems).toHaveLength(2);
    });
  });

  it('reads the token defaults at their bounds', () => {
    const config = load({
      TESSERA_ACCESS_TOKEN_TTL_SECONDS: '30',
      TESSERA_REFRESH_TOKEN_TTL_SECONDS: '31',
      TESSERA_ROTATION_GRACE_SECONDS: '0',
      TESSERA_SIGNING_ALGORITHM: 'EdDSA',
    });
    expect(config.tokenDefaults).toEqual({
      accessTokenTtlSeconds: 30,
      refreshTokenTtlSeconds: 31,
      rotationGraceSeconds: 0,
      signingAlgorithm: 'EdDSA',
    });
    expect(
      load({ TESSERA_ACCESS_TOKEN_TTL_SECONDS: '86400', TESSERA_ROTATION_GRACE_SECONDS: '60' }).tokenDefaults,
    ).toEqual(expect.objectContaining({ accessTokenTtlSeconds: 86_400, rotationGraceSeconds: 60 }));
  });
});

describe('loadConfig: problems', () => {
  it.each<[string, Record<string, string>, string]>([
    ['a port that is not a number', { PORT: 'http' }, 'PORT must be an integer from 1 to 65535, not "http"'],
    ['a fractional port', { PORT: '80.5' }, 'PORT must be an integer'],
    ['an exponent', { PORT: '1e3' }, 'PORT must be an integer'],
    ['port 0', { PORT: '0' }, 'PORT must be an integer from 1 to 65535'],
    ['port 65536', { PORT: '65536' }, 'PORT must be an integer from 1 to 65535'],
    [
      'a relative public URL',
      { TESSERA_PUBLIC_URL: 'auth.example.com' },
      'TESSERA_PUBLIC_URL is not an absolute URL',
    ],
    [
      'an ftp public URL',
      { TESSERA_PUBLIC_URL: 'ftp://example.com' },
      'TESSERA_PUBLIC_URL must be an http(s) URL',
    ],
    ['http off localhost', { TESSERA_PUBLIC_URL: 'http://auth.example.com' }, 'must use https unless'],
    [
      'a public URL with a query',
      { TESSERA_PUBLIC_URL: 'https://example.com/?a=1' },
      'must not have a query',
    ],
    [
      'a public URL with an empty query',
      { TESSERA_PUBLIC_URL: 'https://example.com/?' },
      'must not have a query',
    ],
    [
      'a public URL with a fragment',
      { TESSERA_PUBLIC_URL: 'https://example.com/#x' },
      'must not have a query',
    ],
    [
      'credentials in the public URL',
      { TESSERA_PUBLIC_URL: 'https://u:p@example.com' },
      'must not contain credentials',
    ],
    ['a MySQL URL', { TESSERA_DATABASE_URL: 'mysql://db/x' }, 'TESSERA_DATABASE_URL must start with sqlite:'],
    [
      'an empty SQLite path',
      { TESSERA_DATABASE_URL: 'sqlite:' },
      'TESSERA_DATABASE_URL must be sqlite:<path>',
    ],
    [
      'a sqlite:// URL',
      { TESSERA_DATABASE_URL: 'sqlite://data/x.db' },
      'TESSERA_DATABASE_URL must be sqlite:<path>',
    ],
    [
      'PostgreSQL without a secret',
      { TESSERA_DATABASE_URL: 'postgres://db/x' },
      'TESSERA_SECRET is required with PostgreSQL',
    ],
    [
      'a short admin key',
      { TESSERA_ADMIN_KEY: 'x'.repeat(31) },
      'TESSERA_ADMIN_KEY must be at least 32 visible ASCII',
    ],
    ['an admin key with a space', { TESSERA_ADMIN_KEY: `${'x'.repeat(32)} y` }, 'TESSERA_ADMIN_KEY must be'],
    [
      'a short metrics token',
      { TESSERA_METRICS_TOKEN: 'm'.repeat(31) },
      'TESSERA_METRICS_TOKEN must be at least 32 visible ASCII',
    ],
    [
      'a metrics token with a space',
      { TESSERA_METRICS_TOKEN: `${'m'.repeat(32)} n` },
      'TESSERA_METRICS_TOKEN must be',
    ],
    ['TESSERA_DEMO=yes', { TESSERA_DEMO: 'yes' }, 'TESSERA_DEMO must be `0` or `1`, not "yes"'],
    [
      'a standard-base64 secret',
      { TESSERA_SECRET: `${SECRET.slice(0, -2)}+/` },
      'TESSERA_SECRET must be base64url',
    ],
    ['a 31-byte secret', { TESSERA_SECRET: Buffer.alloc(31, 7).toString('base64url') }, 'at least 32 bytes'],
    ['a garbled trust list', { TESSERA_TRUST_PROXY: '10.0.0.0/33,proxy' }, 'TESSERA_TRUST_PROXY has entries'],
    ['TESSERA_TRUST_PROXY=yes', { TESSERA_TRUST_PROXY: 'yes' }, 'TESSERA_TRUST_PROXY has entries'],
    ['an http Redis URL', { TESSERA_REDIS_URL: 'http://cache:6379' }, 'TESSERA_REDIS_URL must be a redis://'],
    [
      'an unknown log level',
      { TESSERA_LOG_LEVEL: 'verbose' },
      'TESSERA_LOG_LEVEL must be one of fatal, error',
    ],
    ['the demo on the server port', { TESSERA_DEMO_PORT: '4000' }, 'TESSERA_DEMO_PORT must differ from PORT'],
    ['a demo port past 65535', { PORT: '65535' }, 'TESSERA_DEMO_PORT defaults to PORT + 1'],
    ['a demo API port past 65535', { PORT: '65534' }, 'TESSERA_DEMO_API_PORT defaults to PORT + 2'],
    [
      'the demo API on the demo port',
      { TESSERA_DEMO_PORT: '5000', TESSERA_DEMO_API_PORT: '5000' },
      'TESSERA_DEMO_API_PORT must differ from PORT and TESSERA_DEMO_PORT',
    ],
    ['a pool of 0', { TESSERA_PG_POOL_SIZE: '0' }, 'TESSERA_PG_POOL_SIZE must be an integer from 1 to 1000'],
    [
      'an event retention of 0 days',
      { TESSERA_EVENTS_RETENTION_DAYS: '0' },
      'TESSERA_EVENTS_RETENTION_DAYS must be an integer from 1 to 3650',
    ],
    [
      'an event retention of 3651 days',
      { TESSERA_EVENTS_RETENTION_DAYS: '3651' },
      'TESSERA_EVENTS_RETENTION_DAYS must be an integer from 1 to 3650',
    ],
    [
      'an event retention of 1.5 days',
      { TESSERA_EVENTS_RETENTION_DAYS: '1.5' },
      'TESSERA_EVENTS_RETENTION_DAYS must be an integer from 1 to 3650',
    ],
    [
      'an event retention in words',
      { TESSERA_EVENTS_RETENTION_DAYS: 'a month' },
      'TESSERA_EVENTS_RETENTION_DAYS must be an integer from 1 to 3650',
    ],
    ['an access TTL of 9', { TESSERA_ACCESS_TOKEN_TTL_SECONDS: '9' }, 'from 10 to 86400'],
    ['an access TTL of 86401', { TESSERA_ACCESS_TOKEN_TTL_SECONDS: '86401' }, 'from 10 to 86400'],
    ['a negative grace', { TESSERA_ROTATION_GRACE_SECONDS: '-1' }, 'TESSERA_ROTATION_GRACE_SECONDS must be'],
    ['a grace of 61', { TESSERA_ROTATION_GRACE_SECONDS: '61' }, 'an integer from 0 to 60'],
    [
      'a refresh TTL equal to the access TTL',
      { TESSERA_ACCESS_TOKEN_TTL_SECONDS: '600', TESSERA_REFRESH_TOKEN_TTL_SECONDS: '600' },
      'TESSERA_REFRESH_TOKEN_TTL_SECONDS must be greater than TESSERA_ACCESS_TOKEN_TTL_SECONDS',
    ],
    [
      'HS256',
      { TESSERA_SIGNING_ALGORITHM: 'HS256' },
      'TESSERA_SIGNING_ALGORITHM must be one of ES256, EdDSA, RS256',
    ],
    [
      'a typo',
      { TESSERA_ADMINKEY: ADMIN_KEY },
      'TESSERA_ADMINKEY is not a Tessera variable; did you mean TESSERA_ADMIN_KEY?',
    ],
    ['a lower-case typo', { tessera_log_level: 'info' }, 'did you mean TESSERA_LOG_LEVEL?'],
    [
      'an unrelated name',
      { TESSERA_FOO: '1' },
      'TESSERA_FOO is not a Tessera variable (see docs/configuration.md)',
    ],
  ])('reports %s', (_, env, expected) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('reports every problem at once, in one message', () => {
    let error: unknown;
    try {
      load({
        PORT: 'x',
        TESSERA_DEMO: '2',
        TESSERA_LOG_LEVEL: 'loud',
        TESSERA_PUBLC_URL: 'https://a.example',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(4);
    for (const problem of problems) expect(message).toContain(problem);
    expect(message).toContain('did you mean TESSERA_PUBLIC_URL?');
  });

  it('never repeats a secret value in a problem', () => {
    const values = {
      TESSERA_ADMIN_KEY: 'short-admin-key-value',
      TESSERA_SECRET: 'c2VjcmV0LXNlY3JldA+/',
      TESSERA_DATABASE_URL: 'mysql://root:db-password-77@db/x',
      TESSERA_REDIS_URL: 'memcached://:cache-password-55@cache',
    };
    const problems = problemsOf(values);
    expect(problems).toHaveLength(4);
    for (const [name, value] of Object.entries(values)) {
      const problem = problems.find((p) => p.startsWith(name));
      expect(problem).toContain('not shown');
      for (const fragment of [value, 'db-password-77', 'cache-password-55', 'short-admin']) {
        expect(problem).not.toContain(fragment);
      }
    }
  });

  it('reports a malformed secret once, not also as missing for PostgreSQL', () => {
    expect(problemsOf({ TESSERA_DATABASE_URL: 'postgres://db/x', TESSERA_SECRET: 'not base64url!' })).toEqual(
      [
        'TESSERA_SECRET must be base64url (A-Z, a-z, 0-9, `-`, `_`) of at least 32 random bytes (the value is not shown)',
      ],
    );
  });

  it('leaves the TESSERA_TEST_ names to the test suite', () => {
    expect(() => load({ TESSERA_TEST_REDIS_URL: 'redis://127.0.0.1:6379' })).not.toThrow();
  });
});

describe('loadConfig: TESSERA_WORKERS', () => {
  const off = { TESSERA_DEMO: '0' };

  it('takes 1 to 256 processes, and `auto` as one per core', () => {
    expect(load({ ...off, TESSERA_WORKERS: '4' }).workers).toBe(4);
    expect(load({ ...off, TESSERA_WORKERS: '256' }).workers).toBe(256);
    expect(load({ ...off, TESSERA_WORKERS: 'auto' }).workers).toBe(availableParallelism());
  });

  it('caps `auto` at 256 processes on a machine with more cores', () => {
    expect(autoWorkers(1)).toBe(1);
    expect(autoWorkers(256)).toBe(256);
    expect(autoWorkers(257)).toBe(256);
    expect(autoWorkers(1024)).toBe(256);
  });

  it.each(['0', '-1', 'x', 'abc', '1.5', '2x', 'AUTO', '1e2', ' 2 2'])(
    'refuses %j, naming the rule',
    (value) => {
      expect(problemsOf({ ...off, TESSERA_WORKERS: value })).toEqual([
        expect.stringContaining('TESSERA_WORKERS must be an integer from 1 to 256, or `auto`'),
      ]);
    },
  );

  it('refuses more than 256', () => {
    expect(problemsOf({ ...off, TESSERA_WORKERS: '257' })).toEqual([
      'TESSERA_WORKERS must be at most 256 (got 257): one process per core is the most that helps',
    ]);
  });

  it("refuses the primary's role marker set by hand: only a worker takes it out", () => {
    expect(problemsOf({ ...off, TESSERA_CLUSTER_MAINTENANCE: '1' })).toEqual([
      expect.stringContaining('TESSERA_CLUSTER_MAINTENANCE is not a Tessera variable'),
    ]);
  });

  it('refuses several workers with the demo on, or on sqlite::memory:', () => {
    expect(problemsOf({ TESSERA_WORKERS: '2' })).toEqual([
      expect.stringContaining('TESSERA_WORKERS above 1 is refused with the demo on'),
    ]);
    expect(problemsOf({ ...off, TESSERA_WORKERS: '2', TESSERA_DATABASE_URL: 'sqlite::memory:' })).toEqual([
      expect.stringContaining('TESSERA_WORKERS above 1 is refused with sqlite::memory:'),
    ]);
    expect(load({ TESSERA_WORKERS: '1', TESSERA_DATABASE_URL: 'sqlite::memory:' }).workers).toBe(1);
  });
});
