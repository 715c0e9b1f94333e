/** An `AuthClient` the tests drive by hand, counting what the React layer asks of it. */
import type { AuthClient, AuthState } from '@tessera/browser';

export const LOADING: AuthState = {
  status: 'loading',
  user: null,
  tenantId: null,
  tenantIds: [],
  expiresAt: null,
  endReason: null,
};

export const SIGNED_OUT: AuthState = { ...LOADING, status: 'unauthenticated', endReason: 'no_session' };

export const SIGNED_IN: AuthState = {
  status: 'authenticated',
  user: { id: 'user-alice', email: 'alice@example.com', name: 'Alice Example' },
  tenantId: 'acme',
  tenantIds: ['acme', 'globex'],
  expiresAt: 1_700_000_300_000,
  endReason: null,
};

export interface FakeClient extends AuthClient {
  calls: Record<'init' | 'destroy' | 'subscribe' | 'switchTenant' | 'getAccessToken', number>;
  set(state: AuthState): void;
}

export function fakeClient(
  initial: AuthState = LOADING,
  init: () => Promise<AuthState> = async () => initial,
): FakeClient {
  let state = initial;
  const listeners = new Set<(state: AuthState) => void>();
  const calls = { init: 0, destroy: 0, subscribe: 0, switchTenant: 0, getAccessToken: 0 };
  return {
    calls,
    accountUrl: 'https://auth.example.com/account',
    set(next) {
      state = next;
      for (const listener of listeners) listener(state);
    },
    init() {
      calls.init++;
      return init();
    },
    getState: () => state,
    subscribe(listener) {
      calls.subscribe++;
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async getAccessToken() {
      calls.getAccessToken++;
      return state.status === 'authenticated' ? `token-for-${state.tenantId}` : null;
    },
    login: async () => state,
    loginWithRedirect: async () => undefined,
    async switchTenant(tenantId) {
      calls.switchTenant++;
      this.set({ ...state, tenantId });
      return state;
    },
    logout: async () => undefined,
    destroy() {
      calls.destroy++;
    },
  };
}
