/** The public types of `@tessera/browser` (DESIGN §6). */
import type { PublicUser } from '@tessera/protocol';

export type { PublicUser };

export interface AuthOptions {
  /**
   * Refresh in the background before the access token expires (about 80 % of `expiresIn`, with
   * jitter), once across all tabs, and again when a tab wakes from sleep or comes back online.
   * Without it the user is signed out when the access token expires. [false]
   */
  keepSessionAlive?: boolean;
  /**
   * Do not restore the session from the cookie on page load. With `hostedLogin`, `init()` then
   * sends the browser to the hosted login instead (which comes straight back while the browser is
   * signed in). [false]
   */
  disableSilentRefresh?: boolean;
  /**
   * Each tab keeps its own tenant (in `sessionStorage`, per `clientId`) across reloads, and
   * `switchTenant` changes no other tab. Without it, `switchTenant` sets the session's tenant and
   * every tab follows. [false]
   */
  enableSessionPerTenant?: boolean;
}

export interface AuthClientOptions {
  /** The environment's base URL, e.g. `https://auth.example.com` or `https://auth.example.com/e/staging`. */
  baseUrl: string;
  clientId: string;
  /** Sign in through Tessera's hosted login (OAuth 2 code + PKCE) rather than an embedded form. [false] */
  hostedLogin?: boolean;
  /** Where the hosted login returns to; one of the client's registered redirect URIs. [the current page] */
  redirectUri?: string;
  authOptions?: AuthOptions;
}

export type AuthStatus = 'loading' | 'authenticated' | 'unauthenticated';

export interface AuthState {
  status: AuthStatus;
  user: PublicUser | null;
  /** The tenant this tab's access token acts for. */
  tenantId: string | null;
  /** Every tenant the user belongs to. */
  tenantIds: string[];
  /** When the access token expires, in this browser's clock (epoch milliseconds), from `expiresIn`. */
  expiresAt: number | null;
  /** Why the session ended, when it did: a Tessera error code, or `logout`. */
  endReason: string | null;
}

export type AuthListener = (state: AuthState) => void;

export interface LoginCredentials {
  email: string;
  password: string;
  tenantId?: string;
}

export interface LoginWithRedirectOptions {
  /** Ask the hosted login for this tenant (`tenant_id`). */
  tenantId?: string;
  /** Prefill the email field (`login_hint`). */
  loginHint?: string;
  /** `login`: always show the form, even when signed in. */
  prompt?: 'login';
}

export interface AuthClient {
  /**
   * The environment's account page, where the user sees their profile and devices, signs other
   * sessions out and changes their password: `{baseUrl}/account`, also published as `account_url`
   * in discovery. Derived from `baseUrl`, no request. Link to it; it signs the user in by itself.
   *
   * @example
   * <a href={auth.accountUrl}>Account</a>
   */
  readonly accountUrl: string;
  /** Handles a hosted-login callback, else restores the session from the cookie (silent refresh). */
  init(): Promise<AuthState>;
  getState(): AuthState;
  subscribe(listener: AuthListener): () => void;
  /** A valid access token, refreshing first if it is about to expire; `null` when signed out. */
  getAccessToken(): Promise<string | null>;
  login(credentials: LoginCredentials): Promise<AuthState>;
  loginWithRedirect(options?: LoginWithRedirectOptions): Promise<void>;
  switchTenant(tenantId: string): Promise<AuthState>;
  logout(): Promise<void>;
  /** Stops timers and listeners (tests, hot reload, unmounting an app). */
  destroy(): void;
}
