import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { VERIFY_ERROR_CODES, VERIFY_ERROR_STATUS } from './errors.js';
import type { VerifierOptions } from './options.js';
import { createVerifier, type Verifier } from './verifier.js';

const made: Verifier[] = [];
const base: VerifierOptions = { issuer: 'https://auth.example.com', audience: 'app' };
const create = (options: Partial<VerifierOptions>) => {
  const verifier = createVerifier({ ...base, ...options } as VerifierOptions);
  made.push(verifier);
  return verifier;
};
afterEach(async () => {
  for (const verifier of made.splice(0)) await verifier.close();
});

describe('createVerifier options (MW-03: a misconfiguration never means "allow")', () => {
  it('accepts the defaults', () => {
    expect(create({}).status()).toEqual({
      state: 'off',
      lastEventAt: null,
      cursor: null,
      revokedSessions: 0,
    });
  });

  it('refuses a leeway over 60 s with a clear error; 0 and 60 are fine', () => {
    expect(() => create({ clockToleranceSeconds: 61 })).toThrow(
      /clockToleranceSeconds must be an integer from 0 to 60 \(more than 60 s would accept tokens of keys the server has already retired/,
    );
    expect(() => create({ clockToleranceSeconds: -1 })).toThrow(/clockToleranceSeconds/);
    expect(() => create({ clockToleranceSeconds: 1.5 })).toThrow(/clockToleranceSeconds/);
    create({ clockToleranceSeconds: 0 });
    create({ clockToleranceSeconds: 60 });
  });

  it.each([['none'], ['None'], ['HS256'], ['HS512'], ['PBES2-HS256+A128KW'], ['dir']])(
    'JWT-02: refuses to pin %s',
    (alg) => {
      expect(() => create({ algorithms: [alg] as never })).toThrow(/never none or HS\*/);
    },
  );

  it('refuses an empty algorithm list and an empty audience', () => {
    expect(() => create({ algorithms: [] })).toThrow(/algorithms must be a non-empty array/);
    expect(() => create({ audience: '' })).toThrow(/audience/);
    expect(() => create({ audience: [] })).toThrow(/audience/);
  });

  it('MW-02: the issuer and JWKS must be https, except on loopback', () => {
    expect(() => create({ issuer: 'http://auth.example.com' })).toThrow(/issuer must use https/);
    expect(() => create({ jwksUri: 'http://keys.example.com/jwks.json' })).toThrow(/jwksUri must use https/);
    expect(() => create({ issuer: 'ftp://auth.example.com' })).toThrow(/issuer must use https/);
    expect(() => create({ issuer: 'auth.example.com' })).toThrow(/issuer must be an absolute URL/);
    expect(() => create({ issuer: 'https://user:pw@auth.example.com' })).toThrow(/credentials/);
    expect(() => create({ issuer: 'https://auth.example.com/?env=1' })).toThrow(/query/);
    for (const issuer of ['http://localhost:4000', 'http://127.0.0.1:4000', 'http://[::1]:4000'])
      create({ issuer });
  });

  it('refuses a JWKS cache longer than the server publishes a next key ahead', () => {
    expect(() => create({ jwksCacheMaxAgeSeconds: 301 })).toThrow(
      /jwksCacheMaxAgeSeconds must be an integer from 1 to 300/,
    );
    expect(() => create({ jwksCooldownSeconds: 0 })).toThrow(/jwksCooldownSeconds/);
    expect(() => create({ jwksTimeoutSeconds: 60 })).toThrow(/jwksTimeoutSeconds/);
  });

  it('strict mode needs credentials and a staleness of at least two ticks', () => {
    expect(() => create({ strict: {} as never })).toThrow(/strict.clientId .*strict.clientSecret/);
    expect(() => create({ strict: { clientId: 'a', clientSecret: 'b', maxStalenessSeconds: 5 } })).toThrow(
      /strict.maxStalenessSeconds must be an integer from 10 to 3600/,
    );
    expect(() => create({ strict: { clientId: 'a', clientSecret: 'b', startupWaitSeconds: 31 } })).toThrow(
      /startupWaitSeconds/,
    );
    expect(() => create({ strict: true as never })).toThrow(/strict must be false or/);
  });

  it('reports every problem at once', () => {
    expect(() =>
      create({
        issuer: 'http://auth.example.com',
        audience: '',
        clockToleranceSeconds: 120,
        algorithms: ['HS256' as never],
      }),
    ).toThrow(/issuer.*audience.*algorithms.*clockToleranceSeconds/);
  });
});

describe('README.md', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const documented = new Map(
    [...readme.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((match) => [
      match[1],
      Number(match[2]),
    ]),
  );

  it.each(VERIFY_ERROR_CODES)('documents %s with its status', (code) => {
    expect(documented.get(code)).toBe(VERIFY_ERROR_STATUS[code]);
  });

  it('documents no code that does not exist', () => {
    expect([...documented.keys()].sort()).toEqual([...VERIFY_ERROR_CODES].sort());
  });
});
