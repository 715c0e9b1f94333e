/**
 * Everything the SDK takes from the browser, in one place: tests substitute a fake, and a
 * missing capability (Web Locks, BroadcastChannel, storage in a sandboxed iframe) degrades to a
 * documented fallback instead of throwing.
 */
import { type Clock, systemClock } from './clock.js';

export interface Platform {
  fetch: typeof fetch;
  /** Time and timers, for every module of the SDK. */
  clock: Clock;
  /** A number in [0, 1) for jitter. */
  random(): number;
  /** Fills `bytes` from the CSPRNG. */
  randomBytes(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>;
  sha256(data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  /** `null` where storage is unavailable (blocked, sandboxed). */
  sessionStorage: Storage | null;
  localStorage: Storage | null;
  /** `null` where BroadcastChannel is missing. */
  createChannel(name: string): BroadcastChannel | null;
  /** Web Locks; `null` where missing. */
  locks: LockManager | null;
  location(): URL;
  /** Navigates the whole page (hosted login). */
  assign(url: string): void;
  /** Replaces the current history entry's URL without navigating (cleaning a callback URL). */
  replaceUrl(url: string): void;
  isVisible(): boolean;
  /** Adds a window or document listener; returns its removal. */
  listen(target: 'window' | 'document', type: string, listener: () => void): () => void;
}

function storageOrNull(get: () => Storage): Storage | null {
  try {
    const storage = get();
    const probe = '__tessera_probe__';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

/** The real browser. */
export function browserPlatform(): Platform {
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    clock: systemClock(),
    random: () => Math.random(),
    randomBytes: (bytes) => globalThis.crypto.getRandomValues(bytes),
    sha256: (data) => globalThis.crypto.subtle.digest('SHA-256', data),
    sessionStorage: storageOrNull(() => globalThis.sessionStorage),
    localStorage: storageOrNull(() => globalThis.localStorage),
    createChannel: (name) => (typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null),
    locks: typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null,
    location: () => new URL(globalThis.location.href),
    assign: (url) => globalThis.location.assign(url),
    replaceUrl: (url) => globalThis.history.replaceState(globalThis.history.state, '', url),
    isVisible: () => typeof document === 'undefined' || document.visibilityState !== 'hidden',
    listen: (target, type, listener) => {
      const on = target === 'window' ? globalThis : document;
      on.addEventListener(type, listener, { passive: true });
      return () => on.removeEventListener(type, listener);
    },
  };
}
