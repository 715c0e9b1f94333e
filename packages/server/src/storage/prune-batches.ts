/**
 * Pruning in short batches with a pause between them, so that requests are served while a large
 * backlog is deleted. On SQLite a batch runs on the event loop and holds the write lock, so its
 * batches are small (issue #13: 1,000 rows held the loop 15–130 ms, and more with their commit,
 * at 1 M sessions); on PostgreSQL a batch waits on its connection, not on the loop.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PruneOptions } from './port/maintenance.js';

/**
 * Rows per statement on SQLite: a batch of superseded tokens or events is a few ms at 1 M sessions
 * (docs/benchmarks-scale.md#pruning-in-short-batches).
 */
export const SQLITE_PRUNE_BATCH_SIZE = 25;
/** Ended sessions per statement on SQLite: each one's delete cascades to its tokens, clients and codes. */
export const SQLITE_SESSION_PRUNE_BATCH_SIZE = 10;
/** Rows per statement on PostgreSQL: short write transactions, so refreshes interleave with pruning. */
export const POSTGRES_PRUNE_BATCH_SIZE = 1000;

export interface DeleteInBatchesOptions extends PruneOptions {
  batchSize: number;
}

/**
 * Runs `deleteBatch(batchSize)` until a batch deletes fewer rows than `batchSize` or `signal` is
 * aborted (checked before each batch); returns how many rows were deleted. Between two batches it
 * pauses as long as the last batch took (at least 1 ms), so pruning takes at most about half of
 * the event loop and of the write lock, however loaded the server is.
 */
export async function deleteInBatches(
  deleteBatch: (batchSize: number) => Promise<number>,
  { batchSize, signal }: DeleteInBatchesOptions,
): Promise<number> {
  let total = 0;
  while (!signal?.aborted) {
    const started = performance.now();
    const deleted = await deleteBatch(batchSize);
    total += deleted;
    if (deleted < batchSize) break;
    await sleep(Math.max(1, Math.ceil(performance.now() - started)));
  }
  return total;
}
