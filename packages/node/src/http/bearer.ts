/**
 * The access token of a request: only `Authorization: Bearer <token>` (RFC 6750 §2.1), never a
 * query parameter or a body field (RFC 6750 §2.3 and §5.3: URLs end up in logs and Referer headers).
 * Read from the raw headers because Node keeps only the first of two `Authorization` headers, and two
 * are an ambiguity we refuse rather than resolve.
 */
import { TesseraVerifyError } from '../errors.js';

/** `Bearer` (any case, RFC 9110 §11.1), one space, a b64token (RFC 6750 §2.1); nothing else. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token, or the error to refuse the request with. */
export function readBearerToken(rawHeaders: readonly string[]): string | TesseraVerifyError {
  let value: string | undefined;
  let count = 0;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'authorization') {
      value = rawHeaders[i + 1];
      count++;
    }
  }
  if (count === 0) return new TesseraVerifyError('token_missing');
  const match = count === 1 && value !== undefined ? BEARER.exec(value) : null;
  if (!match) return new TesseraVerifyError('token_malformed');
  return match[1]!;
}
