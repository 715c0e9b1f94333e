/**
 * The Express adapter: a middleware that verifies the Bearer token and puts its claims on
 * `req.auth`, or answers 401/503 itself and never calls `next` (security.md MW-03).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessTokenClaims } from './claims.js';
import { TesseraVerifyError } from './errors.js';
import { refusal, writeAnswer } from './http/answers.js';
import { readBearerToken } from './http/bearer.js';
import type { Verifier } from './verifier.js';

declare global {
  // Express's own request type is augmented this way (@types/express-serve-static-core).
  namespace Express {
    interface Request {
      /** The verified access-token claims, set by `tesseraExpress`. */
      auth?: AccessTokenClaims;
    }
  }
}

export interface AdapterOptions<R = IncomingMessage> {
  /** Called with every refused request's error (log its `code`; never the token). */
  onError?: (error: TesseraVerifyError, request: R) => void;
}

export type TesseraExpressMiddleware = (
  req: IncomingMessage & { auth?: AccessTokenClaims },
  res: ServerResponse,
  next: () => void,
) => Promise<void>;

/**
 * @example
 * const app = express();
 * app.use('/api', tesseraExpress(verifier));
 * app.get('/api/tenants/:tenantId/orders', requireTenant('tenantId'), (req, res) => {
 *   res.json({ user: req.auth!.sub });
 * });
 */
export function tesseraExpress(verifier: Verifier, options: AdapterOptions = {}): TesseraExpressMiddleware {
  if (typeof verifier?.verify !== 'function') throw new TypeError('tesseraExpress: pass a verifier.');
  return async (req, res, next) => {
    let claims: AccessTokenClaims;
    try {
      const token = readBearerToken(req.rawHeaders);
      if (token instanceof TesseraVerifyError) throw token;
      claims = await verifier.verify(token);
    } catch (caught) {
      const error =
        caught instanceof TesseraVerifyError
          ? caught
          : new TesseraVerifyError('internal_error', { cause: caught });
      try {
        options.onError?.(error, req);
      } catch {
        // A throwing logger must not turn a refusal into something else.
      }
      writeAnswer(res, refusal(error));
      return;
    }
    req.auth = claims;
    next();
  };
}
