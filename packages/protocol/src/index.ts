export type { AccessTokenClaims, AccessTokenHeader, SigningAlgorithm } from './claims.js';
export { SIGNING_ALGORITHMS } from './claims.js';
export { DEFAULT_ENVIRONMENT_ID } from './environments.js';
export type { ErrorBody, ErrorCode } from './error-codes.js';
export { ERROR_CODES, ERROR_STATUS, isErrorCode } from './error-codes.js';
export type { OAuthErrorResponse, OAuthTokenResponse } from './oauth.js';
export type {
  DeviceView,
  LoginRequest,
  LogoutRequest,
  MeResponse,
  PublicUser,
  RefreshRequest,
  SessionSummary,
  SwitchTenantRequest,
  TokenResponse,
} from './session-api.js';
export { CSRF_HEADER } from './session-api.js';
export {
  JWKS_CACHE_SECONDS,
  MAX_ACCESS_TOKEN_TTL_SECONDS,
  MAX_VERIFIER_LEEWAY_SECONDS,
} from './verification.js';
