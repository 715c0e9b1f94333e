/**
 * Messages between the tabs of one browser for one client: a refreshed token (so one refresh
 * serves every tab on the same tenant), logout, login, a session that ended.
 * Over BroadcastChannel — same-origin memory, never storage (SDK-01). Where it is missing,
 * signals (never tokens) travel through the `storage` event of a localStorage key.
 */

import type { Platform } from './platform.js';
import type { TokenSet } from './token-set.js';

export type TabMessage =
  /** A token a tab just got; `tenantKey` says which tabs may use it. */
  | { type: 'token'; tenantKey: string; token: TokenSet }
  | { type: 'logout' }
  /** The session ended on the server (`reason` is the error code). */
  | { type: 'ended'; reason: string }
  /** A tab signed in: the others join the session. */
  | { type: 'login' };

/** The messages that carry no token: these also travel where BroadcastChannel is missing. */
export type TabSignal = Exclude<TabMessage, { type: 'token' }>;

export interface TabChannel {
  post(message: TabMessage): void;
  close(): void;
}

const TYPES = new Set(['token', 'logout', 'ended', 'login']);

function isTabMessage(value: unknown): value is TabMessage {
  return (
    typeof value === 'object' && value !== null && TYPES.has((value as { type?: unknown }).type as string)
  );
}

export function openTabChannel(
  platform: Platform,
  clientId: string,
  onMessage: (message: TabMessage) => void,
): TabChannel {
  const name = `tessera:${clientId}`;
  const channel = platform.createChannel(name);
  if (channel) {
    // SDK-06: only well-formed messages; BroadcastChannel never crosses origins.
    channel.onmessage = (event: MessageEvent) => {
      if (isTabMessage(event.data)) onMessage(event.data);
    };
    return { post: (message) => channel.postMessage(message), close: () => channel.close() };
  }
  const storage = platform.localStorage;
  const key = `${name}:signal`;
  const stop = platform.listen('window', 'storage', () => {
    const raw = storage?.getItem(key);
    if (!raw) return;
    try {
      const message: unknown = JSON.parse(raw);
      if (isTabMessage(message) && message.type !== 'token') onMessage(message);
    } catch {
      // Not ours.
    }
  });
  return {
    post(message) {
      if (message.type === 'token' || !storage) return;
      // A nonce makes each write an event, even for the same message twice.
      storage.setItem(key, JSON.stringify({ ...message, nonce: platform.random() }));
    },
    close: stop,
  };
}
