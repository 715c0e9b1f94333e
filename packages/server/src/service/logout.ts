import type { ClientRecord } from '../storage/records.js';
import { isBrowserClient } from './browser-clients.js';
import type { ServiceDeps } from './deps.js';
import { type RequestOrigin, recordEvent } from './events.js';
import { lookUpRefreshToken } from './refresh-token-lookup.js';

/** `refused`: the session API does not serve the calling client, and nothing was ended. */
export type LogoutOutcome = { kind: 'logged_out' } | { kind: 'refused'; error: 'unauthorized_client' };

/**
 * The session API's logout: {@link endBrowserSession} for a client the session API serves
 * (DESIGN §3.1), checked first so that a confidential client's id ends nothing.
 */
export async function logout(
  deps: ServiceDeps,
  input: { envId: string; client: ClientRecord; refreshToken: string | undefined } & RequestOrigin,
): Promise<LogoutOutcome> {
  if (!isBrowserClient(input.client)) return { kind: 'refused', error: 'unauthorized_client' };
  await endBrowserSession(deps, {
    envId: input.envId,
    refreshToken: input.refreshToken,
    clientId: input.client.clientId,
    ip: input.ip,
    userAgent: input.userAgent,
  });
  return { kind: 'logged_out' };
}

/**
 * Ends the browser session a refresh cookie belongs to. Idempotent: an absent, unknown or
 * already-ended token changes nothing and is not an error, and so is a token that is not the
 * browser's own (a confidential client's, RT-07).
 */
export async function endBrowserSession(
  deps: ServiceDeps,
  input: { envId: string; refreshToken: string | undefined; clientId?: string | undefined } & RequestOrigin,
): Promise<void> {
  const found = await lookUpRefreshToken(deps, {
    envId: input.envId,
    refreshToken: input.refreshToken,
    presenter: { kind: 'browser' },
  });
  if (found.kind === 'not_found') return;
  const { session } = found.context;
  if (await deps.storage.endSession(session.id, 'logout', deps.clock.now())) {
    await recordEvent(deps, {
      type: 'session.ended',
      envId: input.envId,
      userId: session.userId,
      sid: session.id,
      tenantId: session.defaultTenantId,
      clientId: input.clientId,
      ip: input.ip,
      userAgent: input.userAgent,
      details: { reason: 'logout' },
    });
  }
}

/**
 * The id of the session the browser's refresh cookie belongs to, ended or not; `null` when the
 * cookie is absent, garbled, unknown, of another environment or not the browser's own token.
 */
export async function sessionOfRefreshCookie(
  deps: ServiceDeps,
  input: { envId: string; refreshToken: string | undefined },
): Promise<string | null> {
  const found = await lookUpRefreshToken(deps, { ...input, presenter: { kind: 'browser' } });
  return found.kind === 'found' ? found.context.session.id : null;
}
