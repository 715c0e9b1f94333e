import type { AuthClient, AuthState, PublicUser } from '@tessera/browser';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { useAuthClient } from './context.js';

/** The client's methods, bound, stable for the provider's lifetime. */
export type AuthActions = Pick<
  AuthClient,
  'login' | 'loginWithRedirect' | 'logout' | 'switchTenant' | 'getAccessToken'
>;

export interface UseAuthResult extends AuthState, AuthActions {
  isLoading: boolean;
  isAuthenticated: boolean;
  /** The provider's client, for what the hooks do not cover. */
  client: AuthClient;
}

/** The client's state, re-rendering the caller on every change (`useSyncExternalStore`). */
export function useAuthState(client: AuthClient): AuthState {
  const subscribe = useCallback((onChange: () => void) => client.subscribe(onChange), [client]);
  const getState = useCallback(() => client.getState(), [client]);
  return useSyncExternalStore(subscribe, getState, getState);
}

/**
 * The auth state and the client's methods.
 *
 * @example
 * ```tsx
 * function Header() {
 *   const { status, user, logout } = useAuth();
 *   if (status !== 'authenticated') return null;
 *   return <button onClick={() => logout()}>Sign out {user?.email}</button>;
 * }
 * ```
 */
export function useAuth(): UseAuthResult {
  const client = useAuthClient('useAuth');
  const state = useAuthState(client);
  const actions = useMemo<AuthActions>(
    () => ({
      login: (credentials) => client.login(credentials),
      loginWithRedirect: (options) => client.loginWithRedirect(options),
      logout: () => client.logout(),
      switchTenant: (tenantId) => client.switchTenant(tenantId),
      getAccessToken: () => client.getAccessToken(),
    }),
    [client],
  );
  return useMemo(
    () => ({
      ...state,
      ...actions,
      isLoading: state.status === 'loading',
      isAuthenticated: state.status === 'authenticated',
      client,
    }),
    [state, actions, client],
  );
}

/** The signed-in user, or `null`. */
export function useAuthUser(): PublicUser | null {
  return useAuthState(useAuthClient('useAuthUser')).user;
}

export interface UseTenantsResult {
  /** The tenant this tab acts for. */
  tenantId: string | null;
  /** Every tenant the user belongs to. */
  tenantIds: string[];
  /** With `enableSessionPerTenant`, changes this tab only; otherwise every tab follows. */
  switchTenant: (tenantId: string) => Promise<AuthState>;
}

/**
 * The tab's tenant, the user's tenants and the switch.
 *
 * @example
 * ```tsx
 * const { tenantId, tenantIds, switchTenant } = useTenants();
 * return tenantIds.map((id) => (
 *   <button key={id} aria-pressed={id === tenantId} onClick={() => switchTenant(id)}>{id}</button>
 * ));
 * ```
 */
export function useTenants(): UseTenantsResult {
  const client = useAuthClient('useTenants');
  const { tenantId, tenantIds } = useAuthState(client);
  const switchTenant = useCallback((id: string) => client.switchTenant(id), [client]);
  return useMemo(() => ({ tenantId, tenantIds, switchTenant }), [tenantId, tenantIds, switchTenant]);
}
