export { createAuthClient } from './auth-client.js';
export { type ClientErrorCode, TesseraAuthError } from './errors.js';
export type {
  AuthClient,
  AuthClientOptions,
  AuthListener,
  AuthOptions,
  AuthState,
  AuthStatus,
  LoginCredentials,
  LoginWithRedirectOptions,
  PublicUser,
} from './types.js';
