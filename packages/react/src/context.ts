import type { AuthClient } from '@tessera/browser';
import { createContext, useContext } from 'react';

export const AuthClientContext = createContext<AuthClient | null>(null);

/** The provider's client; throws when there is no `<AuthProvider>` above `hook`'s caller. */
export function useAuthClient(hook = 'useAuthClient'): AuthClient {
  const client = useContext(AuthClientContext);
  if (!client) throw new Error(`${hook}() must be called inside <AuthProvider>`);
  return client;
}
