import type { SessionPolicy } from './policy.js';
import { DEFAULT_SESSION_POLICY } from './policy.js';
import type { MembershipView, RefreshTokenRecord, SessionRecord, UserRecord } from './records.js';

export const T0 = 1_700_000_000;

export function session(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: 'sid-1',
    envId: 'default',
    userId: 'user-1',
    clientId: 'app',
    createdAt: T0,
    authTime: T0,
    lastActiveAt: T0,
    activityOrder: 0,
    lastIp: null,
    lastRefreshAt: T0,
    defaultTenantId: 'acme',
    userAgent: null,
    ip: null,
    endedAt: null,
    endReason: null,
    ...overrides,
  };
}

export function token(overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    hash: 'h1',
    sessionId: 'sid-1',
    issuedAt: T0,
    expiresAt: T0 + 30 * 86400,
    rotatedAt: null,
    successorHash: null,
    clientId: null,
    ...overrides,
  };
}

export function user(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: 'user-1',
    envId: 'default',
    email: 'ada@example.com',
    name: 'Ada',
    status: 'active',
    ...overrides,
  };
}

export function membership(tenantId: string, policy: MembershipView['policy'] = {}): MembershipView {
  return { tenantId, tenantName: tenantId.toUpperCase(), roles: ['member'], permissions: ['read'], policy };
}

export function policy(overrides: Partial<SessionPolicy> = {}): SessionPolicy {
  return { ...DEFAULT_SESSION_POLICY, ...overrides };
}
