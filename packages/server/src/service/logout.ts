import { hashRefreshToken, isWellFormedRefreshToken } from '../tokens/refresh-token.js';
import type { ServiceDeps } from './deps.js';
import { logEvent } from './events.js';

/**
 * Ends the session a refresh token belongs to. Idempotent: an absent, unknown or already-ended
 * token changes nothing and is not an error.
 */
export async function logout(
  deps: ServiceDeps,
  input: { envId: string; refreshToken: string | undefined },
): Promise<void> {
  if (input.refreshToken === undefined || !isWellFormedRefreshToken(input.refreshToken)) return;
  const context = await deps.storage.loadRefreshContext(hashRefreshToken(input.refreshToken));
  if (!context || context.environment.id !== input.envId) return;
  if (await deps.storage.endSession(context.session.id, 'logout', deps.clock.now())) {
    logEvent(deps.logger, {
      event: 'session.ended',
      envId: input.envId,
      sid: context.session.id,
      reason: 'logout',
    });
  }
}
