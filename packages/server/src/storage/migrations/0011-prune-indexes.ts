/**
 * Indexes for the pruner (issue #13, docs/benchmarks-scale.md). Each prune statement deletes rows
 * past a time in batches of a thousand; without an index on that time every batch scanned its
 * table from the start, past the rows it had kept in the batches before, and a run that found
 * nothing still read the whole table. On SQLite that scan holds the event loop and the write lock.
 *
 * - `refresh_tokens (rotated_at)`, superseded tokens only: the largest table, several rows per
 *   session. The rotation writes one entry at the right edge (its `rotated_at` is now).
 * - `sessions (ended_at)`, ended sessions only: 0005's `sessions_ended_by_env` starts with the
 *   environment, which the prune does not filter on.
 * - `authorization_codes (session_id)`: the cascade of every pruned session looked its codes up by
 *   a scan of the table; `authorization_codes (expires_at)` and `interactions (expires_at)` for
 *   their own prunes.
 */
export function pruneIndexesSchema(): string[] {
  return [
    'CREATE INDEX refresh_tokens_rotated ON refresh_tokens (rotated_at) WHERE rotated_at IS NOT NULL',
    'CREATE INDEX sessions_ended ON sessions (ended_at) WHERE ended_at IS NOT NULL',
    'CREATE INDEX authorization_codes_by_session ON authorization_codes (session_id)',
    'CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at)',
    'CREATE INDEX interactions_by_expiry ON interactions (expires_at)',
  ];
}
