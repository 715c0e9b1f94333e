/**
 * The maintenance role of the storage port: the database as such rather than its records — its
 * schema, its clock (the multi-node time source and the readiness probe), and the pruning of
 * history no decision needs any more.
 */

export interface PruneSessionHistoryInput {
  rotatedBefore: number;
  endedBefore: number;
  /** Authorization codes and interactions that expired before this are deleted. */
  grantsExpiredBefore: number;
}

/** What every prune of the port takes besides its bounds. */
export interface PruneOptions {
  /** Aborted: the prune stops before its next batch (a server shutting down) and returns what it deleted. */
  signal?: AbortSignal | undefined;
}

export interface PruneSessionHistoryResult {
  refreshTokens: number;
  sessions: number;
  authorizationCodes: number;
  interactions: number;
}

/** What `tessera migrate status` and `tessera check` show. */
export interface MigrationStatus {
  /** In the order they were applied; `appliedAt` in epoch seconds. */
  applied: { id: string; appliedAt: number }[];
  /** The migrations this version has that the database has not, in the order they would run. */
  pending: string[];
}

export interface MaintenanceStore {
  /** Applies pending migrations. Idempotent; safe to run from several processes at once. */
  migrate(): Promise<void>;
  /** Reads which migrations are applied and which pending; changes nothing (not even on a fresh database). */
  migrationStatus(): Promise<MigrationStatus>;
  /** The database's own clock, epoch seconds with a fraction (multi-node time source). */
  databaseTime(): Promise<number>;
  /**
   * Deletes history no decision needs any more, in small batches: refresh tokens superseded before
   * `rotatedBefore` (a replay of one is then just an unknown token), and sessions ended before
   * `endedBefore` with their tokens, and authorization codes and interactions that expired before
   * `grantsExpiredBefore`. Never a live session's current token.
   */
  pruneSessionHistory(
    input: PruneSessionHistoryInput,
    options?: PruneOptions,
  ): Promise<PruneSessionHistoryResult>;
}
