export {
  AuthProvider,
  type AuthProviderClientProps,
  type AuthProviderOwnClientProps,
  type AuthProviderProps,
} from './auth-provider.js';
export { RequireAuth, type RequireAuthProps } from './require-auth.js';
export { useAccessToken } from './use-access-token.js';
export {
  type AuthActions,
  type UseAuthResult,
  type UseTenantsResult,
  useAuth,
  useAuthUser,
  useTenants,
} from './use-auth.js';
