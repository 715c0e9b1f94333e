/**
 * The records the server stores, as the use cases see them: environments and their clients, roles,
 * tenants, users and memberships, signing keys, hosted-login grants, and the reads a refresh and
 * the revocation feed work on. Adapters map rows to these shapes; timestamps are epoch seconds.
 *
 * The records the engine decides on (sessions, refresh tokens, users, memberships as the token
 * needs them, why a session ended) are the engine's own, in `engine/records.ts`: the engine
 * imports nothing outside itself (docs/architecture.md, "The layer rule").
 *
 * Types only: this module has no runtime code, so anything may name a record without loading
 * storage (`architecture.test.ts` holds it to that).
 */
import type { SigningAlgorithm } from '@tessera/protocol';
import type { TokenSettings } from '../config/token-settings.js';
import type { SessionPolicy, TenantPolicyOverride } from '../engine/policy.js';
import type {
  EndReason,
  MembershipView,
  RefreshTokenRecord,
  SessionRecord,
  UserRecord,
} from '../engine/records.js';

/** How the hosted login pages look for an environment; every field optional. */
export interface EnvironmentBranding {
  /** Shown on the pages; the environment's `name` when absent. */
  name?: string;
  /** `#rrggbb`. */
  primaryColor?: string;
  /** An absolute https URL. */
  logoUrl?: string;
}

export interface EnvironmentRecord {
  id: string;
  name: string;
  tokenSettings: TokenSettings;
  sessionPolicy: SessionPolicy;
  branding: EnvironmentBranding;
  webhookSettings: WebhookSettings;
  createdAt: number;
}

/** An environment's webhook rules (docs/webhooks.md). */
export interface WebhookSettings {
  /**
   * Lets the environment's webhooks target private, loopback, link-local and other non-public
   * addresses (the SSRF rule's exception, for development and private networks). Off by default.
   */
  allowPrivateTargets: boolean;
}

export type ClientType = 'spa' | 'confidential';

export interface ClientRecord {
  envId: string;
  clientId: string;
  name: string;
  type: ClientType;
  /** SHA-256 (base64url) of a confidential client's 256-bit random secret; `null` for `spa`. */
  secretHash: string | null;
  redirectUris: string[];
  allowedOrigins: string[];
  postLogoutRedirectUris: string[];
  createdAt: number;
}

export interface RoleRecord {
  envId: string;
  key: string;
  name: string;
  permissions: string[];
}

export interface TenantRecord {
  envId: string;
  id: string;
  name: string;
  sessionPolicy: TenantPolicyOverride;
  createdAt: number;
}

export interface UserWithPassword extends UserRecord {
  passwordHash: string;
}

export interface NewUser {
  envId: string;
  id: string;
  email: string;
  /** NFKC + lower-case form of `email`, unique per environment. */
  emailNormalized: string;
  name: string | null;
  passwordHash: string;
  createdAt: number;
}

export interface MembershipRecord {
  envId: string;
  tenantId: string;
  userId: string;
  roles: string[];
  createdAt: number;
}

export type KeyState = 'next' | 'current' | 'retired';

export interface SigningKeyRecord {
  envId: string;
  kid: string;
  alg: SigningAlgorithm;
  /** The public key as a JWK (with `kid`, `alg`, `use`). */
  publicJwk: Record<string, unknown>;
  /** The private key, encrypted at rest (see keys/). */
  privateKeyEncrypted: string;
  createdAt: number;
  /** When the key starts signing. In the future for a published "next" key. */
  activatesAt: number;
  /** When the key stopped signing (the next key's `activatesAt`); `null` while it is the newest. */
  retiredAt: number | null;
}

/** An authorization code (RFC 6749 §4.1), stored by the hash of the code. */
export interface AuthorizationCodeRecord {
  codeHash: string;
  envId: string;
  clientId: string;
  /** The browser session it was issued from; a second use of the code ends it (AS-03). */
  sessionId: string;
  userId: string;
  tenantId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  nonce: string | null;
  authTime: number;
  issuedAt: number;
  expiresAt: number;
  redeemedAt: number | null;
}

export type NewAuthorizationCode = Omit<AuthorizationCodeRecord, 'redeemedAt'>;

/**
 * A hosted-login sign-in whose password was proven, stored by the hash of its ticket's id
 * (service/oauth/interactions.ts): with a user while they pick a tenant, without one once completed.
 */
export interface InteractionRecord {
  idHash: string;
  envId: string;
  clientId: string;
  /** The validated authorization request, opaque to storage. */
  request: Record<string, unknown>;
  /** The login-CSRF token bound to this interaction (CSRF-03), hashed. */
  csrfTokenHash: string;
  /** The user who proved their password, while they pick a tenant; `null` once completed. */
  userId: string | null;
  authTime: number | null;
  createdAt: number;
  expiresAt: number;
}

/** Everything a refresh decides on, loaded in one read. */
export interface RefreshContext {
  token: RefreshTokenRecord;
  /** The token that superseded `token`, when it was rotated. */
  successor: RefreshTokenRecord | null;
  session: SessionRecord;
  /**
   * Whether the client asked for is one the session is authorized for: the one that logged in, or
   * one added by single sign-on (ADR 0004).
   */
  clientAuthorized: boolean;
  user: UserRecord;
  /** Every tenant the user belongs to, in membership order (oldest first). */
  memberships: MembershipView[];
  environment: EnvironmentRecord;
}

export interface NewRefreshToken {
  hash: string;
  issuedAt: number;
  expiresAt: number;
}

/** Storage assigns `activityOrder`; `lastIp` starts `null` (set by the first refresh). */
export type NewSession = Omit<SessionRecord, 'endedAt' | 'endReason' | 'activityOrder' | 'lastIp'>;

/** A session that ended, as the revocation feed announces it. */
export interface SessionEnding {
  sessionId: string;
  reason: EndReason;
  endedAt: number;
}

/** A webhook endpoint of an environment (docs/webhooks.md). */
export interface WebhookEndpointRecord {
  id: string;
  envId: string;
  url: string;
  /** Event types, `*` (every type) or `prefix.*` patterns, in the order given; at least one. */
  eventTypes: string[];
  description: string | null;
  enabled: boolean;
  /** The signing secret, encrypted at rest (`service/webhooks/secret.ts`). */
  secretEncrypted: string;
  createdAt: number;
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One event's delivery to one endpoint, and where its attempts stand. */
export interface WebhookDeliveryRecord {
  id: string;
  endpointId: string;
  envId: string;
  eventId: string;
  eventType: string;
  sid: string | null;
  /** The JSON body sent (`{ type, timestamp, data }`), parsed. */
  payload: unknown;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the next attempt is due; `null` once succeeded or given up. */
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  createdAt: number;
}

/**
 * Something that happened to an environment's sessions or settings (docs/events.md): a login, a
 * refusal, an ending, an admin change. Only ids, reasons and settings — never a token, cookie,
 * password, hash, secret or the admin key. Absent values are `null`.
 */
export interface EventRecord {
  /** `evt_` and a time-ordered unique suffix (`service/events.ts`). */
  id: string;
  envId: string;
  /** `session.created`, `login.failed`, `admin.user.disabled`, … (docs/events.md). */
  type: string;
  /** Epoch milliseconds (the one timestamp of the port in milliseconds). */
  at: number;
  userId: string | null;
  sid: string | null;
  tenantId: string | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The type's own fields, a JSON object. */
  details: Record<string, unknown>;
}
