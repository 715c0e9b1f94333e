/**
 * A live session written straight through the storage port (no login, no password hashing): for
 * tests about what happens to a session afterwards, not about how it began.
 */
import { generateRefreshToken, hashRefreshToken } from '../../server/src/tokens/refresh-token.js';
import type { TestServer } from './harness.js';

export interface LiveSessionOptions {
  id: string;
  userId: string;
  /** [`default`] */
  envId?: string;
  /** The client that logged it in [the spa `app`]. */
  clientId?: string;
}

/** Creates the session with a browser refresh token valid for an hour; returns that token. */
export async function insertLiveSession(server: TestServer, options: LiveSessionOptions): Promise<string> {
  const now = server.clock.now();
  const token = generateRefreshToken();
  const created = await server.deps.storage.createSession({
    session: {
      id: options.id,
      envId: options.envId ?? 'default',
      userId: options.userId,
      clientId: options.clientId ?? 'app',
      createdAt: now,
      authTime: now,
      lastActiveAt: now,
      lastRefreshAt: now,
      defaultTenantId: null,
      userAgent: null,
      ip: null,
    },
    token: { hash: hashRefreshToken(token), issuedAt: now, expiresAt: now + 3600 },
    decide: () => ({ kind: 'create', end: [] }),
  });
  if (!created.created) throw new Error(`insertLiveSession: session ${options.id} was not created`);
  return token;
}
