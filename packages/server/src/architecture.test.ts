/**
 * The layer rule of docs/architecture.md, enforced: every non-test source file of the server is
 * read, its imports resolved, and each violation printed as `file:line [rule] import` with what to
 * do instead. The second block proves each rule catches what it is meant to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  findLayerViolations,
  formatLayerViolation,
  isTestSupport,
  type LayerExemption,
  type LayerRuleId,
  type LayerSource,
} from './layer-rule.test-helpers.js';

const SRC = fileURLToPath(new URL('.', import.meta.url));

/**
 * Violations another change of issue #10 removes. Each must still be found (a stale exemption
 * fails the check), so whoever lands that change deletes the line here.
 */
const EXEMPTIONS: readonly LayerExemption[] = [];

function serverSources(): LayerSource[] {
  return (readdirSync(SRC, { recursive: true, encoding: 'utf8' }) as string[])
    .map((path) => path.split('\\').join('/'))
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))
    .map((path) => ({ path, text: readFileSync(`${SRC}${path}`, 'utf8') }));
}

function expectNoViolations(violations: ReturnType<typeof findLayerViolations>) {
  if (violations.length === 0) return;
  expect.fail(
    `The layer rule (docs/architecture.md, "The layer rule") is broken:\n\n${violations.map(formatLayerViolation).join('\n')}\n`,
  );
}

describe('the layer rule', () => {
  it('holds for every non-test source file of the server', () => {
    const sources = serverSources();
    // Guard against checking nothing (a moved folder, a wrong root): every layer is there.
    for (const layer of [
      'http/',
      'service/',
      'engine/',
      'storage/sqlite/',
      'storage/postgres/',
      'storage/port/',
      'storage/records.ts',
      'login-ui/',
    ]) {
      expect(
        sources.some((s) => s.path.startsWith(layer) && !isTestSupport(s.path)),
        layer,
      ).toBe(true);
    }
    expectNoViolations(findLayerViolations(sources, EXEMPTIONS));
  });
});

describe('the layer check', () => {
  const flagged = (path: string, text: string): LayerRuleId[] =>
    findLayerViolations([{ path, text }]).map((v) => v.rule);

  it('flags a route that imports a storage adapter, or the port for more than types', () => {
    expect(
      flagged('http/routes/a.ts', "import { openSqlite } from '../../storage/sqlite/sqlite-storage.js';"),
    ).toEqual(['http-imports-storage']);
    expect(flagged('http/routes/a.ts', "import { x } from '../../storage/port.js';")).toEqual([
      'http-imports-storage',
    ]);
    expect(flagged('http/routes/a.ts', "import type { ClientRecord } from '../../storage/port.js';")).toEqual(
      [],
    );
    expect(flagged('http/a.ts', "import { type ClientRecord } from '../storage/port.js';")).toEqual([]);
    expect(flagged('http/a.ts', "import type { ClientRecord } from '../storage/records.js';")).toEqual([]);
    expect(flagged('http/a.ts', "import { CLIENT_TYPES } from '../storage/records.js';")).toEqual([
      'http-imports-storage',
    ]);
    expect(flagged('http/a.ts', "import type { Page } from '../storage/port/paging.js';")).toEqual([]);
    expect(flagged('http/a.ts', "import type { GrantQueries } from '../storage/grant-queries.js';")).toEqual([
      'http-imports-storage',
    ]);
  });

  it('flags runtime code in the port or its records: they are types only', () => {
    expect(
      flagged('storage/records.ts', "import { DEFAULT_SESSION_POLICY } from '../engine/policy.js';"),
    ).toEqual(['port-has-runtime']);
    expect(flagged('storage/port/sessions.ts', "import '../../config/load.js';")).toEqual([
      'port-has-runtime',
    ]);
    expect(flagged('storage/port.ts', "export type C = import('./records.js').ClientRecord;")).toEqual([]);
    expect(flagged('storage/records.ts', "export const CLIENT_TYPES = ['spa', 'confidential'];")).toEqual([
      'port-has-runtime',
    ]);
    expect(flagged('storage/port/keys.ts', 'export function isRetired() { return true; }')).toEqual([
      'port-has-runtime',
    ]);
    expect(
      flagged('storage/port.ts', "export { DEFAULT_SESSION_POLICY } from '../engine/policy.js';"),
    ).toEqual(['port-has-runtime']);
    expect(
      flagged(
        'storage/records.ts',
        [
          "import type { SessionPolicy } from '../engine/policy.js';",
          "export type { SessionRecord } from '../engine/records.js';",
          'export interface TenantRecord { policy: SessionPolicy }',
          "export type ClientType = 'spa' | 'confidential';",
        ].join('\n'),
      ),
    ).toEqual([]);
    // Elsewhere in storage/, runtime code is the point.
    expect(flagged('storage/rows.ts', 'export function toUser() {}')).toEqual([]);
  });

  it('flags a route that calls storage, however it holds it', () => {
    expect(
      flagged('http/routes/a.ts', 'async function f(deps) { return deps.storage.getUser("e", "u"); }'),
    ).toEqual(['http-calls-storage']);
    expect(
      flagged('http/routes/a.ts', 'function f(deps) { const { storage } = deps; return storage; }'),
    ).toEqual(['http-calls-storage']);
    expect(flagged('http/routes/a.ts', '// deps.storage.getUser() is the service’s to call')).toEqual([]);
  });

  it('flags a use case that imports http/ or login-ui/', () => {
    expect(
      flagged('service/oauth/a.ts', "import type { LoginPageError } from '../../login-ui/index.js';"),
    ).toEqual(['service-imports-http']);
    expect(flagged('service/a.ts', "import { readRefreshCookie } from '../http/cookies.js';")).toEqual([
      'service-imports-http',
    ]);
  });

  it('flags an engine import of anything but the engine and protocol types', () => {
    expect(
      flagged('engine/a.ts', "import type { CookieSettings } from '../config/token-settings.js';"),
    ).toEqual(['engine-imports-outside']);
    expect(flagged('engine/a.ts', "import { randomUUID } from 'node:crypto';")).toEqual([
      'engine-imports-outside',
    ]);
    expect(flagged('engine/a.ts', "import { SIGNING_ALGORITHMS } from '@tessera/protocol';")).toEqual([
      'engine-imports-outside',
    ]);
    expect(flagged('engine/a.ts', "import type { SigningAlgorithm } from '@tessera/protocol';")).toEqual([]);
    expect(flagged('engine/a.ts', "import type { SessionPolicy } from './policy.js';")).toEqual([]);
  });

  it('flags a SQL driver loaded outside the storage adapters', () => {
    expect(flagged('service/a.ts', "import { sql } from 'kysely';")).toEqual(['sql-outside-adapters']);
    expect(flagged('storage/port.ts', "import type { Kysely } from 'kysely';")).toEqual([
      'sql-outside-adapters',
    ]);
    expect(flagged('storage/records.ts', "import type { Selectable } from 'kysely';")).toEqual([
      'sql-outside-adapters',
    ]);
    expect(flagged('storage/port/grants.ts', "import type { Kysely } from 'kysely';")).toEqual([
      'sql-outside-adapters',
    ]);
    expect(flagged('http/a.ts', "const pg = await import('pg');")).toEqual(['sql-outside-adapters']);
    expect(flagged('storage/postgres/a.ts', "import pg from 'pg';")).toEqual([]);
    expect(flagged('storage/shared-queries.ts', "import { sql } from 'kysely';")).toEqual([]);
  });

  it('flags test support imported by code that is not a test', () => {
    expect(flagged('demo/a.ts', "import { createTestServer } from '@tessera/testing/harness';")).toEqual([
      'imports-test-support',
    ]);
    expect(flagged('http/a.test.ts', "import { createTestServer } from '@tessera/testing/harness';")).toEqual(
      [],
    );
    expect(flagged('demo/a.ts', "import { createTestServer } from '../testing/harness.js';")).toEqual([
      'imports-test-support',
    ]);
    expect(flagged('http/a.ts', "export { f } from './routes/admin/admin.test-helpers.js';")).toEqual([
      'imports-test-support',
    ]);
    expect(flagged('http/a.test.ts', "import { createTestServer } from '../testing/harness.js';")).toEqual(
      [],
    );
  });

  it('prints the file, the line, the rule and the import', () => {
    const [violation] = findLayerViolations([
      {
        path: 'service/oauth/a.ts',
        text: "\nimport type { LoginPageError } from '../../login-ui/index.js';",
      },
    ]);
    expect(formatLayerViolation(violation!)).toBe(
      "service/oauth/a.ts:2  [service-imports-http] import type '../../login-ui/index.js'\n" +
        '    → service/ does not import http/ or login-ui/: return an outcome the route translates, or move the shared rule to a neutral module',
    );
  });

  it('fails on an exemption whose violation is gone', () => {
    const exemption: LayerExemption = { rule: 'http-calls-storage', file: 'http/a.ts', why: 'being moved' };
    expect(findLayerViolations([{ path: 'http/a.ts', text: '' }], [exemption]).map((v) => v.rule)).toEqual([
      'stale-exemption',
    ]);
    expect(findLayerViolations([{ path: 'http/a.ts', text: 'deps.storage.x();' }], [exemption])).toEqual([]);
  });
});
