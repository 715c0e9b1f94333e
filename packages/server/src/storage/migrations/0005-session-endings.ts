/**
 * The revocation feed (docs/revocation-feed.md) reads an environment's sessions by the time they
 * ended; the lapse sweep reads its live sessions by the time they were last active.
 */
export function sessionEndingsSchema(): string[] {
  return [
    'CREATE INDEX sessions_ended_by_env ON sessions (env_id, ended_at) WHERE ended_at IS NOT NULL',
    'CREATE INDEX sessions_live_by_activity ON sessions (env_id, last_active_at) WHERE ended_at IS NULL',
  ];
}
