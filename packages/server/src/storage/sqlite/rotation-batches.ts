/**
 * Group commit for the refresh hot path on SQLite (docs/benchmarks.md, "Where a refresh's CPU
 * goes"): the rotations asked for while the event loop handles one round of sockets are written in
 * one `BEGIN IMMEDIATE` transaction, committed before the next round. A commit's cost is mostly
 * per page written to the WAL (two `pwrite`s each) and per lock taken; rotations of one round share
 * the locks and the pages they all append to (the newest tokens, the newest activity).
 *
 * Each rotation keeps its own outcome: its supersede either matched (it went through) or not (a
 * lost race, retried by the caller from a fresh read), exactly as in a transaction of its own,
 * because the transactions of one connection are serial either way. No caller hears of its
 * rotation before the commit that holds it. When the batch's transaction fails, every rotation of
 * it is tried again alone, so that one rotation's failure is nobody else's.
 */

/** Writes one rotation inside the open transaction; `false` when the presented token had moved on. */
export type RotateInTransaction<Input> = (input: Input) => boolean;

export interface RotationBatches<Input> {
  /** Resolves once the transaction holding this rotation committed. */
  rotate(input: Input): Promise<boolean>;
  /** Commits what is waiting now (before the connection closes). */
  flush(): void;
}

interface Waiting<Input> {
  input: Input;
  resolve(rotated: boolean): void;
  reject(error: unknown): void;
}

// Taken at load, so that a test faking the timers does not hold every rotation back.
const nextRound = setImmediate;

/**
 * @param inTransaction runs a function in one `BEGIN IMMEDIATE` transaction and returns its result
 *   (better-sqlite3's `db.transaction(fn).immediate`).
 */
export function rotationBatches<Input>(
  inTransaction: <T>(work: () => T) => T,
  rotateOne: RotateInTransaction<Input>,
): RotationBatches<Input> {
  let waiting: Waiting<Input>[] = [];

  const flush = () => {
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    let outcomes: boolean[];
    try {
      outcomes = inTransaction(() => batch.map((item) => rotateOne(item.input)));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const item of batch) {
        try {
          item.resolve(inTransaction(() => rotateOne(item.input)));
        } catch (alone) {
          item.reject(alone);
        }
      }
      return;
    }
    for (const [index, item] of batch.entries()) item.resolve(outcomes[index] === true);
  };

  return {
    rotate(input) {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ input, resolve, reject });
        if (waiting.length === 1) nextRound(flush);
      });
    },
    flush,
  };
}
