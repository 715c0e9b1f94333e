/** Event types and a one-line description of each event, for tables. Pure. */
import type { TesseraEvent } from './types';

/** The event types the server records (docs/events.md); filters also take `prefix.*`. */
export const EVENT_TYPES = [
  'session.created',
  'login.failed',
  'session.refresh_refused',
  'session.refresh_reused',
  'session.ended',
  'session.tenant_switched',
  'session.client_joined',
  'oauth.code_reused',
  'webhook.test',
  'session.*',
  'admin.*',
] as const;

export type EventTone = 'success' | 'danger' | 'warning' | 'info' | 'neutral' | 'accent';

export function eventTone(type: string): EventTone {
  if (type === 'session.created') return 'success';
  if (type === 'session.refresh_reused' || type === 'oauth.code_reused') return 'danger';
  if (type === 'login.failed' || type === 'session.refresh_refused') return 'warning';
  if (type === 'session.ended') return 'neutral';
  if (type.startsWith('admin.')) return 'accent';
  return 'info';
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);

function actorOf(details: Record<string, unknown>): string {
  const actor = details.actor as { kind?: unknown } | undefined;
  if (actor?.kind === 'console') return 'console';
  if (actor?.kind === 'admin_key') return 'admin key';
  return '';
}

/**
 * What happened, in words: "Sign-in failed: invalid_credentials", "Session ended: idle_timeout",
 * "admin.tenant.updated by console". Values stay plain text (the caller renders them as text).
 */
export function describeEvent(event: Pick<TesseraEvent, 'type' | 'details'>): string {
  const details = event.details ?? {};
  switch (event.type) {
    case 'session.created': {
      const via =
        details.via === 'hosted_login'
          ? 'hosted login'
          : details.via === 'session_api'
            ? 'session API'
            : text(details.via);
      return via ? `Signed in (${via})` : 'Signed in';
    }
    case 'login.failed':
      return `Sign-in failed: ${text(details.reason) || 'unknown reason'}`;
    case 'session.refresh_refused':
      return `Refresh refused: ${text(details.code) || 'unknown code'}`;
    case 'session.refresh_reused':
      return 'Replayed refresh token (possible theft): session ended';
    case 'session.ended':
      return `Session ended: ${text(details.reason) || 'unknown reason'}`;
    case 'session.tenant_switched':
      return `Tenant switched: ${text(details.from) || '—'} → ${text(details.to) || '—'}`;
    case 'session.client_joined':
      return 'Another client joined the session (SSO)';
    case 'oauth.code_reused':
      return 'Authorization code used twice: session ended';
    case 'webhook.test':
      return 'Webhook test event';
    default: {
      if (event.type.startsWith('admin.')) {
        const actor = actorOf(details);
        const target =
          details.target && typeof details.target === 'object'
            ? Object.values(details.target as object)
                .map(text)
                .join(', ')
            : '';
        return [
          capitalise(event.type.slice('admin.'.length).replace('.', ' ')),
          target && `(${target})`,
          actor && `by ${actor}`,
        ]
          .filter(Boolean)
          .join(' ');
      }
      return event.type;
    }
  }
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Newest first, without duplicates: a live tail's new items over the ones shown. */
export function mergeEvents(newer: readonly TesseraEvent[], shown: readonly TesseraEvent[]): TesseraEvent[] {
  const seen = new Set<string>();
  const merged: TesseraEvent[] = [];
  for (const event of [...newer, ...shown]) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    merged.push(event);
  }
  return merged.sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
}
