/**
 * The `pg` pool as the adapter needs it: bounded waits, numbers for int8, an optional schema, and
 * connection errors that are logged instead of crashing the process.
 */
import pg from 'pg';
import type { Logger } from '../../logger.js';

/** Only warnings: a lost connection is logged, never thrown into an idle pool's event loop. */
export type StorageLogger = Pick<Logger, 'warn'>;

export interface PostgresPoolOptions {
  url: string;
  poolSize?: number | undefined;
  /** Every connection's `search_path`: a lower-case identifier. */
  schema?: string | undefined;
  logger?: StorageLogger | undefined;
  /** Told the time of every query and shown the connection counts (the node's metrics). */
  observer?: PoolObserver | undefined;
}

/** The pool's connections now. */
export interface PoolConnections {
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

export interface PoolObserver {
  /** A query was answered (or failed) after `seconds`. */
  queryAnswered(seconds: number): void;
  /** Called once, with how to read the pool's connection counts at any time. */
  watchConnections(read: () => PoolConnections): void;
}

const CONNECTION_TIMEOUT_MILLIS = 5000;
const STATEMENT_TIMEOUT_MILLIS = 10_000;
const IDLE_IN_TRANSACTION_TIMEOUT_MILLIS = 10_000;
const DEFAULT_POOL_SIZE = 10;
const INT8_OID = 20;

// Epoch seconds and counts fit a double; pg's default for int8 is a string.
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? Number
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const consoleLogger: StorageLogger = {
  warn: (obj, msg) => console.warn(msg, obj),
};

export function createPool(options: PostgresPoolOptions): pg.Pool {
  const logger = options.logger ?? consoleLogger;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MILLIS,
    statement_timeout: STATEMENT_TIMEOUT_MILLIS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MILLIS,
    application_name: 'tessera',
    types: typeParsers,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${checkedSchema(options.schema)}` }),
  });
  // An idle client's connection failed (server restart, network): the pool drops it; log only.
  pool.on('error', (error) => {
    logger.warn(
      { err: error },
      'PostgreSQL connection error on an idle client; it was removed from the pool',
    );
  });
  // A checked-out client whose connection fails emits 'error' too; without a listener that would
  // crash the process. Its pending or next query fails and reports it, so nothing to do here.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  if (options.observer) observe(pool, options.observer);
  return pool;
}

function checkedSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error('The PostgreSQL schema must be a lower-case identifier ([a-z_][a-z0-9_]*)');
  }
  return schema;
}

/** Runs `work` in a transaction on one connection (READ COMMITTED), committing unless it throws. */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

type QueryFunction = (...args: unknown[]) => unknown;

function observe(pool: pg.Pool, observer: PoolObserver): void {
  observer.watchConnections(() => ({
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  }));
  // Every query, Kysely's, the transactions' and pool.query's alike, goes through a client's query().
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as QueryFunction;
    const timed: QueryFunction = (...args) => {
      const started = performance.now();
      const done = () => observer.queryAnswered((performance.now() - started) / 1000);
      const callback = args.at(-1);
      if (typeof callback === 'function') {
        args[args.length - 1] = (...results: unknown[]) => {
          done();
          return (callback as QueryFunction)(...results);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise) result.then(done, done);
      return result;
    };
    (client as unknown as { query: QueryFunction }).query = timed;
  });
}
