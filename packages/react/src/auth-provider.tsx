import { type AuthClient, type AuthClientOptions, createAuthClient } from '@tessera/browser';
import { type ReactElement, type ReactNode, useEffect, useReducer, useRef } from 'react';
import { clientKey, getOrCreateClient, initClientOnce, retainClient } from './client-cache.js';
import { AuthClientContext } from './context.js';

interface CommonProps {
  children?: ReactNode;
  /**
   * Called once when `init()` fails (a hosted-login callback this tab did not start, unusable
   * options). The state is then `unauthenticated`. [`console.error`]
   */
  onInitError?: (error: unknown) => void;
}

/** Let the provider create the client (once per set of options, whatever React does). */
export interface AuthProviderOwnClientProps extends AuthClientOptions, CommonProps {
  client?: undefined;
}

/** Bring a client made with `createAuthClient` yourself: the provider calls its `init()` once and never destroys it. */
export interface AuthProviderClientProps extends CommonProps {
  client: AuthClient;
}

export type AuthProviderProps = AuthProviderOwnClientProps | AuthProviderClientProps;

function optionsOf(props: AuthProviderOwnClientProps): AuthClientOptions {
  const { baseUrl, clientId, hostedLogin, redirectUri, authOptions } = props;
  return {
    baseUrl,
    clientId,
    ...(hostedLogin !== undefined && { hostedLogin }),
    ...(redirectUri !== undefined && { redirectUri }),
    ...(authOptions !== undefined && { authOptions }),
  };
}

/**
 * Makes one auth client available to the hooks below it and starts it: `init()` restores the
 * session from the refresh cookie (silent refresh) or completes a hosted-login callback.
 *
 * StrictMode-safe: the client is cached by its options, so React's double render and double mount
 * create one client, call `init()` once (one refresh, at most one redirect), and `destroy()` it only
 * after the last provider using it has really unmounted. `authOptions` may be an inline object:
 * options are compared by value.
 *
 * @example
 * ```tsx
 * createRoot(root).render(
 *   <StrictMode>
 *     <AuthProvider baseUrl="https://auth.example.com" clientId="my-app"
 *       authOptions={{ keepSessionAlive: true, enableSessionPerTenant: true }}>
 *       <App />
 *     </AuthProvider>
 *   </StrictMode>,
 * );
 * ```
 */
export function AuthProvider(props: AuthProviderProps): ReactElement {
  const ownOptions = props.client ? null : optionsOf(props);
  const key = ownOptions ? clientKey(ownOptions) : null;
  const client =
    props.client ?? getOrCreateClient(key as string, () => createAuthClient(ownOptions as AuthClientOptions));

  const onInitError = useRef(props.onInitError);
  useEffect(() => {
    onInitError.current = props.onInitError;
  });
  const [, renderAgain] = useReducer((count: number) => count + 1, 0);

  useEffect(() => {
    const report = (error: unknown) => (onInitError.current ?? console.error)(error);
    if (key === null) {
      void initClientOnce(client, report);
      return;
    }
    const release = retainClient(key, client);
    if (release === null) {
      // Destroyed between this render and now (its last provider had just unmounted): get a new one.
      renderAgain();
      return;
    }
    void initClientOnce(client, report);
    return release;
  }, [key, client]);

  return <AuthClientContext.Provider value={client}>{props.children}</AuthClientContext.Provider>;
}
