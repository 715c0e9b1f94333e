/** Records for the conformance suite. Timestamps are fixed epoch seconds (no clock). */

import type { TokenSettings } from '../../config/token-settings.js';
import type { SessionPolicy } from '../../engine/policy.js';
import type { RefreshTokenRecord, SessionRecord } from '../../engine/records.js';
import type { SessionLimitDecision } from '../port/sessions.js';
import type { Storage } from '../port.js';
import type {
  ClientRecord,
  EnvironmentRecord,
  InteractionRecord,
  MembershipRecord,
  NewAuthorizationCode,
  NewRefreshToken,
  NewSession,
  NewUser,
  RoleRecord,
  SigningKeyRecord,
  TenantRecord,
} from '../records.js';

export const T0 = 1_700_000_000;
export const ENV = 'env-a';
export const USER = 'user-a';

export const TOKEN_SETTINGS: TokenSettings = {
  accessTokenTtlSeconds: 300,
  refreshTokenTtlSeconds: 2_592_000,
  rotationGraceSeconds: 10,
  signingAlgorithm: 'ES256',
  cookie: { name: 'tessera_refresh', sameSite: 'lax', secure: true },
};

export const SESSION_POLICY: SessionPolicy = {
  idleTimeoutSeconds: 1800,
  absoluteTimeoutSeconds: null,
  maxConcurrentSessions: 3,
  onLimit: 'evict_oldest',
};

export function environment(id: string, overrides: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  return {
    id,
    name: `Environment ${id}`,
    tokenSettings: TOKEN_SETTINGS,
    sessionPolicy: SESSION_POLICY,
    branding: {},
    webhookSettings: { allowPrivateTargets: false },
    createdAt: T0,
    ...overrides,
  };
}

export function client(envId: string, clientId: string, overrides: Partial<ClientRecord> = {}): ClientRecord {
  return {
    envId,
    clientId,
    name: `Client ${clientId}`,
    type: 'spa',
    secretHash: null,
    redirectUris: ['https://app.example/callback'],
    allowedOrigins: ['https://app.example'],
    postLogoutRedirectUris: [],
    createdAt: T0,
    ...overrides,
  };
}

export function role(envId: string, key: string, permissions: string[]): RoleRecord {
  return { envId, key, name: `Role ${key}`, permissions };
}

export function tenant(envId: string, id: string, overrides: Partial<TenantRecord> = {}): TenantRecord {
  return { envId, id, name: `Tenant ${id}`, sessionPolicy: {}, createdAt: T0, ...overrides };
}

export function newUser(envId: string, id: string, email: string, overrides: Partial<NewUser> = {}): NewUser {
  return {
    envId,
    id,
    email,
    emailNormalized: email.normalize('NFKC').toLowerCase(),
    name: null,
    passwordHash: `argon2-hash-of-${id}`,
    createdAt: T0,
    ...overrides,
  };
}

export function newSession(
  envId: string,
  userId: string,
  id: string,
  at: number,
  overrides: Partial<NewSession> = {},
): NewSession {
  return {
    id,
    envId,
    userId,
    clientId: 'web',
    createdAt: at,
    authTime: at,
    lastActiveAt: at,
    lastRefreshAt: at,
    defaultTenantId: null,
    userAgent: 'Mozilla/5.0',
    ip: '192.0.2.1',
    ...overrides,
  };
}

export function refreshToken(hash: string, issuedAt: number): NewRefreshToken {
  return { hash, issuedAt, expiresAt: issuedAt + TOKEN_SETTINGS.refreshTokenTtlSeconds };
}

/** `refreshToken(hash, issuedAt)` as stored for `sessionId`, not yet rotated. */
export function storedToken(hash: string, sessionId: string, issuedAt: number): RefreshTokenRecord {
  return { ...refreshToken(hash, issuedAt), sessionId, rotatedAt: null, successorHash: null, clientId: null };
}

export function membership(
  tenantId: string,
  roles: string[],
  createdAt = T0,
  userId = USER,
): MembershipRecord {
  return { envId: ENV, tenantId, userId, roles, createdAt };
}

export const ALWAYS_CREATE = (): SessionLimitDecision => ({ kind: 'create', end: [] });

/** An environment with one user in it. */
export async function seedUser(storage: Storage, envId = ENV, userId = USER): Promise<void> {
  await storage.insertEnvironment(environment(envId));
  await storage.insertUser(newUser(envId, userId, `${userId}@example.com`));
}

/** Creates a session (no limit) whose first refresh token is `tokenHash`. */
export async function startSession(
  storage: Storage,
  sessionId: string,
  tokenHash: string,
  at: number,
  overrides: Partial<NewSession> = {},
): Promise<SessionRecord> {
  const session = newSession(ENV, USER, sessionId, at, overrides);
  const result = await storage.createSession({
    session,
    token: refreshToken(tokenHash, at),
    decide: ALWAYS_CREATE,
  });
  if (!result.created) throw new Error('fixture: the session was not created');
  const stored = await storage.getSession(sessionId);
  if (!stored) throw new Error('fixture: the session was not stored');
  return stored;
}

export function signingKey(
  envId: string,
  kid: string,
  activatesAt = T0,
  createdAt = activatesAt,
): SigningKeyRecord {
  return {
    envId,
    kid,
    alg: 'ES256',
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid, alg: 'ES256', use: 'sig' },
    privateKeyEncrypted: `encrypted-${kid}`,
    createdAt,
    activatesAt,
    retiredAt: null,
  };
}

/** A code issued at `T0` from session `s-1`, expiring a minute later. */
/** The binding of {@link authorizationCode}'s codes: what a redemption must present. */
export const CODE_BINDING = {
  clientId: 'app',
  redirectUri: 'https://app.example.com/cb',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
} as const;

export function authorizationCode(
  codeHash: string,
  overrides: Partial<NewAuthorizationCode> = {},
): NewAuthorizationCode {
  return {
    codeHash,
    envId: ENV,
    clientId: 'app',
    sessionId: 's-1',
    userId: USER,
    tenantId: 'acme',
    redirectUri: 'https://app.example.com/cb',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    scopes: ['openid', 'email'],
    nonce: 'n-1',
    authTime: T0,
    issuedAt: T0,
    expiresAt: T0 + 60,
    ...overrides,
  };
}

/** An interaction created at `T0`, expiring ten minutes later. */
export function interaction(idHash: string, overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  return {
    idHash,
    envId: ENV,
    clientId: 'app',
    request: { redirectUri: 'https://app.example.com/cb', scopes: ['openid'], state: 'xyz' },
    csrfTokenHash: 'csrf-hash',
    userId: null,
    authTime: null,
    createdAt: T0,
    expiresAt: T0 + 600,
    ...overrides,
  };
}
