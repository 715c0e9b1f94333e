/**
 * The session role of the storage port: sessions, their refresh tokens and the clients they serve
 * — what login, refresh, single sign-on, the token endpoint and logout persist.
 *
 * Atomicity (DESIGN §4.5) is part of the contract:
 * - `rotateRefreshToken` supersedes a token only if it is still current, in one atomic step;
 * - `createSession` runs `decide` and applies its outcome under a per-user lock, so the session
 *   limit holds under concurrent logins across processes.
 */
import type { EndReason, SessionRecord } from '../../engine/records.js';
import type { NewRefreshToken, NewSession, RefreshContext } from '../records.js';
import type { Page, PageRequest } from './paging.js';

export interface RotateRefreshTokenInput {
  sessionId: string;
  presentedHash: string;
  successor: NewRefreshToken;
  now: number;
  /** The refresh carried user activity: advance `lastActiveAt` (never backwards). */
  activity: boolean;
  /** Set the session's default tenant (tenant switch). */
  defaultTenantId?: string;
  /** The refreshing request's IP, stored as the session's `lastIp`; absent keeps the stored one. */
  ip?: string;
}

export interface TouchSessionInput {
  sessionId: string;
  now: number;
  activity: boolean;
  defaultTenantId?: string;
}

/** What `createSession`'s `decide` callback returns, from the user's live sessions. */
export type SessionLimitDecision =
  | { kind: 'create'; end: { sessionId: string; reason: EndReason }[] }
  | { kind: 'reject' };

export interface CreateSessionInput {
  session: NewSession;
  token: NewRefreshToken;
  /**
   * The browser's previous session, which the new one replaces (SES-06): ended with `replaced` in
   * the same atomic step as the creation, and not among the sessions `decide` counts. Nothing
   * happens to it when `decide` rejects.
   */
  replaces?: string | undefined;
  /**
   * Called inside the per-user lock with the user's sessions that have not ended (oldest first).
   * Pure and synchronous.
   */
  decide: (liveSessions: readonly SessionRecord[]) => SessionLimitDecision;
}

export interface AddSessionClientInput {
  sessionId: string;
  clientId: string;
  now: number;
  /** The scopes of the client's latest authorization; they replace earlier ones. */
  scopes: readonly string[];
}

export interface EndUserSessionsInput {
  envId: string;
  userId: string;
  reason: EndReason;
  now: number;
  /** A session to leave live: the caller's own, when it signs out everywhere else. */
  exceptSessionId?: string | undefined;
}

export interface LiveSessionsPageInput {
  envId: string;
  /** Only this user's sessions. */
  userId?: string | undefined;
  /** Keyed by `[lastActiveAt, id]`, descending. */
  page: PageRequest;
}

export type CreateSessionResult =
  | { created: true; ended: { sessionId: string; reason: EndReason }[] }
  | { created: false };

export interface SessionStore {
  /** Creates a session and its first refresh token under the session limit, atomically. */
  createSession(input: CreateSessionInput): Promise<CreateSessionResult>;
  getSession(sessionId: string): Promise<SessionRecord | null>;
  /** Sessions of the user that have not ended, oldest first. */
  listLiveSessions(envId: string, userId: string): Promise<SessionRecord[]>;
  /**
   * Sessions of the environment that have not ended, most recently active first (`lastActiveAt`,
   * then id, both descending), one keyset page at a time; only `userId`'s when given.
   */
  listLiveSessionsPage(input: LiveSessionsPageInput): Promise<Page<SessionRecord>>;
  /** How many sessions of the environment have not ended. */
  countLiveSessions(envId: string): Promise<number>;
  /**
   * The clients each of these sessions serves (the one that logged in, and any that joined), in
   * the order they were added; a session with none, or unknown, is absent from the map.
   */
  listSessionClientIds(sessionIds: readonly string[]): Promise<Map<string, string[]>>;
  /** `clientId`: the client asking, for `clientAuthorized` (the session's own client when absent). */
  loadRefreshContext(tokenHash: string, clientId?: string): Promise<RefreshContext | null>;
  /**
   * Supersedes `presentedHash` with `successor` if and only if it is still current and its session
   * has not ended; updates the session's refresh time, activity (never backwards), default
   * tenant and last IP, in the same step. `false` when another request won the race or the session ended.
   */
  rotateRefreshToken(input: RotateRefreshTokenInput): Promise<boolean>;
  /**
   * Authorizes one more client for a session (single sign-on), with the scopes of its latest
   * authorization (they replace earlier ones). Idempotent.
   */
  addSessionClient(input: AddSessionClientInput): Promise<void>;
  /** The scopes a client of the session was last authorized for; `null` when it is not one of its clients. */
  getSessionClientScopes(sessionId: string, clientId: string): Promise<string[] | null>;
  /**
   * Adds a confidential client's refresh-token family to a live session: a root token with no
   * predecessor, issued to `clientId` (its successors inherit it, RT-07), rotated by the same rules
   * (ADR 0004). `false` when the session has ended or does not exist; then nothing is written.
   */
  addRefreshToken(sessionId: string, token: NewRefreshToken, clientId: string): Promise<boolean>;
  /** Records activity / default tenant without rotating (a grace-window replay). */
  touchSession(input: TouchSessionInput): Promise<void>;
  /** Ends a live session; `false` if it had already ended or does not exist. */
  endSession(sessionId: string, reason: EndReason, now: number): Promise<boolean>;
  /** Ends every live session of a user, except `exceptSessionId`; returns the ended ids. */
  endUserSessions(input: EndUserSessionsInput): Promise<string[]>;
}
