/**
 * The records the engine decides on. Storage adapters map rows to these shapes; timestamps are
 * epoch seconds.
 */
import type { TenantPolicyOverride } from './policy.js';

/** Why a session ended. Each maps to the error code a later refresh answers with. */
export type EndReason =
  | 'logout'
  | 'evicted'
  | 'refresh_token_reused'
  | 'idle_timeout'
  | 'relogin_required'
  | 'session_expired'
  | 'revoked'
  | 'user_disabled'
  | 'user_deleted'
  /**
   * A new password: an administrator set it (and did not ask to keep the sessions), or the user
   * changed it on the account page (their other sessions).
   */
  | 'password_changed'
  /** A new login in the same browser took its place (SES-06). */
  | 'replaced';

export interface SessionRecord {
  id: string;
  envId: string;
  userId: string;
  clientId: string;
  createdAt: number;
  /** When the user last presented a credential. */
  authTime: number;
  /** The last user activity that reached the server (login, tenant switch, active refresh). */
  lastActiveAt: number;
  /**
   * Orders sessions by their last activity below the second: larger is more recent. Storage
   * assigns it from one database-wide counter on creation and on every activity, so it is
   * monotonic across nodes (migration 0007); only comparisons between sessions mean anything.
   */
  activityOrder: number;
  lastRefreshAt: number;
  defaultTenantId: string | null;
  userAgent: string | null;
  /** The IP of the login. */
  ip: string | null;
  /** The IP of the latest refresh by the browser; `null` until one. */
  lastIp: string | null;
  endedAt: number | null;
  endReason: EndReason | null;
}

export interface RefreshTokenRecord {
  /** SHA-256 of the token, base64url. The token itself is never stored. */
  hash: string;
  sessionId: string;
  issuedAt: number;
  expiresAt: number;
  /** Set when a successor was issued. */
  rotatedAt: number | null;
  successorHash: string | null;
  /**
   * Whose token it is (RT-07): `null` for the browser's refresh cookie, or the confidential client
   * it was issued to at the token endpoint. A successor inherits it.
   */
  clientId: string | null;
}

export type UserStatus = 'active' | 'disabled';

export interface UserRecord {
  id: string;
  envId: string;
  email: string;
  name: string | null;
  status: UserStatus;
}

/** A user's membership of one tenant, with what the engine and the token need of it. */
export interface MembershipView {
  tenantId: string;
  tenantName: string;
  roles: string[];
  /** Permission keys of `roles`, de-duplicated and sorted. */
  permissions: string[];
  policy: TenantPolicyOverride;
}
