/** Rows deleted per statement: short write transactions, so refreshes interleave with pruning. */
export const PRUNE_BATCH_SIZE = 1000;

/** Runs `deleteBatch` until a batch deletes fewer rows than the batch size; returns the total. */
export async function deleteInBatches(deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch();
    total += deleted;
    if (deleted < PRUNE_BATCH_SIZE) return total;
    await new Promise((done) => setImmediate(done));
  }
}
