/**
 * One auth client per set of options, shared by every provider that asks for it, initialised once
 * and destroyed only when the last provider using it has really unmounted.
 *
 * Why a module cache rather than a ref: React StrictMode renders twice, and mounts, unmounts and
 * mounts again every effect in development. A client created in render or in an effect would then
 * be created twice and refresh (or redirect) twice; two tabs' worth of refreshes from one tab would
 * race the refresh-token rotation for nothing. Keyed by options, both renders find the same client,
 * and the simulated unmount is undone before the deferred `destroy()` runs.
 */
import type { AuthClient, AuthClientOptions, AuthState } from '@tessera/browser';

interface Entry {
  readonly client: AuthClient;
  users: number;
  pendingDestroy: ReturnType<typeof setTimeout> | null;
}

const entries = new Map<string, Entry>();
const initialised = new WeakMap<AuthClient, Promise<AuthState | null>>();

/** A stable key for `options`: equal for equal options, whatever their object identity or key order. */
export function clientKey(options: AuthClientOptions): string {
  const authOptions = Object.entries(options.authOptions ?? {})
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([
    options.baseUrl,
    options.clientId,
    options.hostedLogin ?? false,
    options.redirectUri ?? null,
    authOptions,
  ]);
}

/**
 * The cached client for `key` (from {@link clientKey}), created with `create` the first time. Safe
 * to call during render: it only creates, it starts nothing (no refresh, no redirect).
 */
export function getOrCreateClient(key: string, create: () => AuthClient): AuthClient {
  let entry = entries.get(key);
  if (!entry) {
    entry = { client: create(), users: 0, pendingDestroy: null };
    entries.set(key, entry);
  }
  return entry.client;
}

/**
 * Marks `client`, the cached client for `key`, in use (from an effect) and returns the release
 * function (the effect's cleanup). The last release destroys the client on the next task, unless a
 * mount retains it again first — which is what StrictMode's simulated unmount does.
 *
 * Returns `null` when `client` is no longer the cached one (it was destroyed between the render
 * that got it and this effect): render again to get the current one.
 */
export function retainClient(key: string, client: AuthClient): (() => void) | null {
  const entry = entries.get(key);
  if (!entry || entry.client !== client) return null;
  entry.users++;
  if (entry.pendingDestroy !== null) {
    clearTimeout(entry.pendingDestroy);
    entry.pendingDestroy = null;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    entry.users--;
    if (entry.users > 0) return;
    entry.pendingDestroy = setTimeout(() => {
      if (entry.users > 0 || entries.get(key) !== entry) return;
      entries.delete(key);
      entry.client.destroy();
    }, 0);
  };
}

/**
 * Calls `client.init()` the first time this client is seen, reporting its failure to `onError`
 * once; later calls return that same promise.
 */
export function initClientOnce(
  client: AuthClient,
  onError: (error: unknown) => void,
): Promise<AuthState | null> {
  const existing = initialised.get(client);
  if (existing) return existing;
  const init = client.init().catch((error: unknown) => {
    onError(error);
    return null;
  });
  initialised.set(client, init);
  return init;
}
