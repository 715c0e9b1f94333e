import type { ClientRecord } from '../storage/port.js';
import { hashRefreshToken, isWellFormedRefreshToken } from '../tokens/refresh-token.js';
import { assertBrowserClient } from './browser-clients.js';
import type { ServiceDeps } from './deps.js';
import { logEvent } from './events.js';

/**
 * Ends the browser session a refresh cookie belongs to. Idempotent: an absent, unknown or
 * already-ended token changes nothing and is not an error, and so is a token that is not the
 * browser's own (a confidential client's, RT-07). `client`: the session API's caller, which must
 * be one it serves (`unauthorized_client` otherwise).
 */
export async function logout(
  deps: ServiceDeps,
  input: { envId: string; client?: ClientRecord; refreshToken: string | undefined },
): Promise<void> {
  if (input.client) assertBrowserClient(input.client);
  if (input.refreshToken === undefined || !isWellFormedRefreshToken(input.refreshToken)) return;
  const context = await deps.storage.loadRefreshContext(hashRefreshToken(input.refreshToken));
  if (!context || context.environment.id !== input.envId || context.token.clientId !== null) return;
  if (await deps.storage.endSession(context.session.id, 'logout', deps.clock.now())) {
    logEvent(deps.logger, {
      event: 'session.ended',
      envId: input.envId,
      sid: context.session.id,
      reason: 'logout',
    });
  }
}
