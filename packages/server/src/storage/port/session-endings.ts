/**
 * The session-ending role of the storage port: what the revocation feed announces (sessions that
 * ended) and what the lapse sweep ends (live sessions past a timeout), per environment
 * (docs/revocation-feed.md).
 */
import type { SessionRecord } from '../../engine/records.js';
import type { SessionEnding } from '../records.js';

/** Which live sessions may have lapsed: any one of the bounds makes a session a candidate. */
export interface LapseCandidateBounds {
  /** Last user activity before this (the shortest idle timeout in force); `null`: no idle policy. */
  lastActiveBefore: number | null;
  /** Created before this (the shortest absolute timeout); `null`: no absolute policy. */
  createdBefore: number | null;
  /** Last refreshed before this (the refresh-token lifetime). */
  lastRefreshBefore: number;
}

export interface SessionEndingStore {
  /** Sessions of the environment that ended at or after `endedSince`, oldest first. */
  listSessionEndings(envId: string, endedSince: number, limit: number): Promise<SessionEnding[]>;
  /** Live sessions of the environment that may have lapsed (see the bounds), least recently active first. */
  listLapseCandidates(envId: string, bounds: LapseCandidateBounds, limit: number): Promise<SessionRecord[]>;
}
