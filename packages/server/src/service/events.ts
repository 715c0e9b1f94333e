/**
 * Security events (ASVS 16.3): one structured log line each, never a token, cookie, password or
 * hash — only ids and reasons.
 */
import type { Logger } from '../logger.js';

export type SecurityEvent =
  | { event: 'login.succeeded'; envId: string; userId: string; sid: string; clientId: string }
  | {
      event: 'login.failed';
      envId: string;
      reason:
        | 'invalid_credentials'
        | 'user_disabled'
        | 'tenant_forbidden'
        | 'max_sessions_reached'
        | 'rate_limited';
    }
  | { event: 'session.ended'; envId: string; sid: string; reason: string }
  | { event: 'session.client_joined'; envId: string; sid: string; clientId: string }
  | { event: 'refresh.reuse_detected'; envId: string; sid: string; userId: string }
  | { event: 'oauth.code_reused'; envId: string; sid: string };

export function logEvent(logger: Logger, event: SecurityEvent): void {
  if (event.event === 'refresh.reuse_detected')
    logger.warn(event, 'refresh token reuse detected; session ended');
  else if (event.event === 'oauth.code_reused')
    logger.warn(event, 'authorization code used twice; its session ended');
  else logger.info(event, event.event);
}
