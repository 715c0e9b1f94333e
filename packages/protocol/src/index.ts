export type { AccessTokenClaims, AccessTokenHeader, SigningAlgorithm } from './claims.js';
export { MAX_VERIFIER_LEEWAY_SECONDS, SIGNING_ALGORITHMS } from './claims.js';
export { DEFAULT_ENVIRONMENT_ID } from './environments.js';
export type { ErrorBody, ErrorCode } from './error-codes.js';
export { ERROR_CODES, ERROR_STATUS, isErrorCode } from './error-codes.js';
export type { OAuthErrorResponse, OAuthTokenResponse } from './oauth.js';
export type {
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
