export type { AccessTokenClaims } from './claims.js';
export type { VerifyErrorCode } from './errors.js';
export {
  isTesseraVerifyError,
  TesseraVerifyError,
  VERIFY_ERROR_CODES,
  VERIFY_ERROR_STATUS,
} from './errors.js';
export type { AdapterOptions, TesseraExpressMiddleware } from './express.js';
export { tesseraExpress } from './express.js';
export type { TesseraFastifyOptions } from './fastify.js';
export { tesseraFastify } from './fastify.js';
export type { Guard, GuardRequest } from './guards.js';
export { requirePermissions, requireRoles, requireTenant } from './guards.js';
export type { Clock, StrictOptions, VerifierAlgorithm, VerifierLogger, VerifierOptions } from './options.js';
export type { FeedState } from './revocation/revocation-feed.js';
export type { Verifier, VerifierStatus } from './verifier.js';
export { createVerifier } from './verifier.js';
