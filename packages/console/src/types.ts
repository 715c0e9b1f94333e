/** The admin API's JSON shapes the console reads (packages/server/src/http/routes/admin/schemas/). */

export type SigningAlgorithm = 'ES256' | 'EdDSA' | 'RS256';
export type SameSite = 'lax' | 'strict' | 'none';
export type OnLimit = 'evict_oldest' | 'reject';

export interface TokenSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  rotationGraceSeconds: number;
  signingAlgorithm: SigningAlgorithm;
  cookie: { name: string; sameSite: SameSite; secure: boolean };
}

export interface SessionPolicy {
  idleTimeoutSeconds: number | null;
  absoluteTimeoutSeconds: number | null;
  maxConcurrentSessions: number | null;
  onLimit: OnLimit;
}

export interface Environment {
  id: string;
  name: string;
  baseUrl: string;
  tokenSettings: TokenSettings;
  sessionPolicy: SessionPolicy;
  branding: { name?: string; primaryColor?: string; logoUrl?: string };
  /** Present on servers with webhooks (docs/webhooks.md). */
  webhookSettings?: { allowPrivateTargets: boolean };
  createdAt: string;
}

export interface Client {
  clientId: string;
  name: string;
  type: 'spa' | 'confidential';
  redirectUris: string[];
  allowedOrigins: string[];
  postLogoutRedirectUris: string[];
  createdAt: string;
  clientSecret?: string;
}

export interface TenantPolicy {
  idleTimeoutSeconds?: number;
  absoluteTimeoutSeconds?: number;
  maxConcurrentSessions?: number;
  onLimit?: OnLimit;
}

export interface Tenant {
  id: string;
  name: string;
  sessionPolicy: TenantPolicy;
  createdAt: string;
}

export interface Membership {
  tenantId: string;
  userId: string;
  roles: string[];
  createdAt: string;
}

export interface Role {
  key: string;
  name: string;
  permissions: string[];
}

export interface User {
  id: string;
  email: string;
  name: string | null;
  status: 'active' | 'disabled';
}

export interface DeviceView {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  kind: string | null;
  label: string;
}

/** A live session as the admin API lists it (the newer fields may be absent on older servers). */
export interface AdminSession {
  sid: string;
  createdAt: string;
  lastActiveAt: string;
  userAgent: string | null;
  ip: string | null;
  clientId: string;
  device?: DeviceView | null;
  lastIp?: string | null;
  userId?: string;
  tenantId?: string | null;
  lastRefreshAt?: string | null;
  idleExpiresAt?: string | null;
  absoluteExpiresAt?: string | null;
  clientIds?: string[];
}

export interface StatsMinute {
  at: string;
  logins: number;
  loginFailures: number;
  refreshes: number;
  refusals: Record<string, number>;
}

export interface Stats {
  liveSessions: number;
  minutes: StatsMinute[];
}

export interface TesseraEvent {
  id: string;
  type: string;
  envId: string;
  at: string;
  userId: string | null;
  sid: string | null;
  tenantId: string | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

export interface Webhook {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  enabled: boolean;
  createdAt: string;
  secret?: string;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
}

/** A published public key; `status`/`activatesAt` when the server says which role the key has. */
export interface PublishedKey {
  kid?: string;
  alg?: string;
  kty?: string;
  crv?: string;
  use?: string;
  status?: 'current' | 'next' | 'retired';
  activatesAt?: string;
  retiredAt?: string | null;
  createdAt?: string;
}
