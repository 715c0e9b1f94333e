import type { AuthClient, AuthState } from '@tessera/browser';
import { type ReactNode, useEffect, useRef } from 'react';
import { useAuthClient } from './context.js';
import { useAuthState } from './use-auth.js';

export interface RequireAuthProps {
  children?: ReactNode;
  /** Rendered while signed out. [nothing] */
  fallback?: ReactNode;
  /** Rendered while the session is being restored (`init()`). [nothing] */
  loading?: ReactNode;
  /**
   * Called once each time the state becomes `unauthenticated` (not twice under StrictMode), e.g.
   * to send the user to the hosted login: `(client) => client.loginWithRedirect()`.
   */
  onUnauthenticated?: (client: AuthClient, state: AuthState) => void;
}

/**
 * Renders its children only when signed in; `loading` while the session is being restored and
 * `fallback` when signed out.
 *
 * @example
 * ```tsx
 * <RequireAuth loading={<Spinner />} fallback={<SignInForm />}>
 *   <Dashboard />
 * </RequireAuth>
 *
 * <RequireAuth onUnauthenticated={(client) => client.loginWithRedirect()}>
 *   <Dashboard />
 * </RequireAuth>
 * ```
 */
export function RequireAuth({
  children,
  fallback = null,
  loading = null,
  onUnauthenticated,
}: RequireAuthProps) {
  const client = useAuthClient('RequireAuth');
  const state = useAuthState(client);
  const handler = useRef(onUnauthenticated);
  const notified = useRef(false);

  useEffect(() => {
    handler.current = onUnauthenticated;
  });

  useEffect(() => {
    if (state.status !== 'unauthenticated') {
      notified.current = false;
      return;
    }
    // Refs survive StrictMode's simulated unmount: a second run of this effect finds the flag set.
    if (notified.current) return;
    notified.current = true;
    handler.current?.(client, state);
  }, [client, state]);

  if (state.status === 'authenticated') return <>{children}</>;
  return <>{state.status === 'loading' ? loading : fallback}</>;
}
