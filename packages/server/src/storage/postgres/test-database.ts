/**
 * For tests: the PostgreSQL server at `TESSERA_TEST_PG_URL`, and a fresh schema per test file so
 * that suites run in parallel. Without a server the PostgreSQL tests are skipped loudly, except
 * under `CI=true`, where that is a failure.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const DEFAULT_TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const PROBE_TIMEOUT_MILLIS = 3000;

export function testPostgresUrl(): string {
  return process.env.TESSERA_TEST_PG_URL || DEFAULT_TEST_PG_URL;
}

let availability: Promise<boolean> | undefined;

/**
 * `true` when a server answers; otherwise prints a banner and resolves `false`, or rejects when
 * `CI=true`. Probed once per process.
 */
export function postgresTestAvailability(): Promise<boolean> {
  availability ??= probe(testPostgresUrl());
  return availability;
}

async function probe(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MILLIS });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    const where = redactedUrl(url);
    if (process.env.CI === 'true') {
      throw new Error(`CI=true: the PostgreSQL tests must run, but no server answered at ${where}`, {
        cause: error,
      });
    }
    const line = '#'.repeat(78);
    console.warn(
      `\n${line}\n#  SKIPPING the PostgreSQL tests: no server answered at ${where}\n` +
        '#  Start one, or point TESSERA_TEST_PG_URL at one. (Under CI=true this fails instead.)\n' +
        `${line}\n`,
    );
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

export interface TestSchema {
  url: string;
  /** Pass as `openStorage(url, { schema: name })`. */
  name: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

export async function createTestSchema(url: string = testPostgresUrl()): Promise<TestSchema> {
  const name = `tessera_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await runOnce(url, `CREATE SCHEMA ${name}`);
  return { url, name, drop: () => runOnce(url, `DROP SCHEMA IF EXISTS ${name} CASCADE`) };
}

async function runOnce(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MILLIS });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
