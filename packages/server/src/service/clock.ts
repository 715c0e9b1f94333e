/**
 * Time at the edges. The engine takes `now` as a parameter; the service reads it from a `Clock`.
 * With several nodes on one PostgreSQL, session timing follows the database's clock (DESIGN §8):
 * `createDatabaseClock` samples the offset between the local clock and the database's and applies
 * it, so node clock skew cannot stretch or cut sessions, without a query per request.
 */
export interface Clock {
  /** Epoch seconds (integer). */
  now(): number;
  /** Epoch milliseconds (integer), on the same time base: when an event happened (docs/events.md). */
  nowMillis(): number;
}

export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000), nowMillis: () => Date.now() };

/** A clock for tests: set and advance it explicitly (Keycloak's time-offset technique). */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = 1_700_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  nowMillis(): number {
    return this.#now * 1000;
  }

  set(epochSeconds: number): void {
    this.#now = epochSeconds;
  }

  advance(seconds: number): void {
    this.#now += seconds;
  }
}

export interface DatabaseClock extends Clock {
  /** The last measured offset (database minus local), in seconds. */
  offsetSeconds(): number;
  /** Samples no more; resolves once a sample in flight has ended (the storage may close then). */
  stop(): Promise<void>;
}

export interface DatabaseClockOptions {
  databaseTime: () => Promise<number>;
  resampleSeconds?: number;
  onError?: (error: unknown) => void;
}

export async function createDatabaseClock(options: DatabaseClockOptions): Promise<DatabaseClock> {
  let offset = 0;
  let sampling: Promise<void> | null = null;
  const sample = async (): Promise<void> => {
    const before = Date.now() / 1000;
    const database = await options.databaseTime();
    const after = Date.now() / 1000;
    offset = database - (before + after) / 2;
  };
  await sample();
  const timer = setInterval(
    () => {
      if (sampling) return;
      sampling = sample()
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          sampling = null;
        });
    },
    (options.resampleSeconds ?? 30) * 1000,
  );
  timer.unref();
  return {
    now: () => Math.floor(Date.now() / 1000 + offset),
    nowMillis: () => Math.floor(Date.now() + offset * 1000),
    offsetSeconds: () => offset,
    async stop() {
      clearInterval(timer);
      await sampling;
    },
  };
}
