import { useEffect, useState } from 'react';
import { useAuthClient } from './context.js';
import { useAuthState } from './use-auth.js';

/**
 * The current access token, or `null` while signed out; the caller re-renders with the new token
 * after every refresh. For a request, prefer `await getAccessToken()` from {@link useAuth} at the
 * moment of the call: it refreshes first when the token is about to expire.
 *
 * After a change of user or tenant it is `null` until the new token is read, never the previous
 * tenant's token.
 *
 * @example
 * ```tsx
 * const token = useAccessToken();
 * useEffect(() => {
 *   if (token) fetch('/api/projects', { headers: { authorization: `Bearer ${token}` } });
 * }, [token]);
 * ```
 */
export function useAccessToken(): string | null {
  const client = useAuthClient('useAccessToken');
  const { status, user, tenantId, expiresAt } = useAuthState(client);
  const identity = status === 'authenticated' ? JSON.stringify([user?.id ?? null, tenantId]) : null;
  const [current, setCurrent] = useState<{ identity: string; token: string } | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: expiresAt changes with every refresh, which is when the token does
  useEffect(() => {
    if (identity === null) return;
    let live = true;
    client.getAccessToken().then(
      (token) => {
        if (live) setCurrent(token ? { identity, token } : null);
      },
      () => {
        // A failed refresh shows in the state (status, endReason); the token stays until then.
      },
    );
    return () => {
      live = false;
    };
  }, [client, identity, expiresAt]);

  return identity !== null && current?.identity === identity ? current.token : null;
}
