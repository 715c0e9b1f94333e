/**
 * Every failure becomes `{error, message}` with the code's status (DESIGN §3). Unknown errors are
 * logged with their stack and answered as a generic 500: no stack, SQL or value ever leaves.
 */
import type { ErrorCode } from '@tessera/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { genericMessage, TesseraError } from '../errors.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_VALIDATION: 'invalid_request',
};

/**
 * A dependency that is down or overloaded — the database, Redis — is `503 service_unavailable`,
 * never a decision (OPS-06: fail closed). Recognised by the drivers' error codes.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
]);
// PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources,
// 57 operator intervention (shutdown, cancelled by statement_timeout).
const UNAVAILABLE_SQLSTATE = /^(08|53|57)/;
const UNAVAILABLE_MESSAGES = [
  /^timeout exceeded when trying to connect/,
  /^Connection terminated/,
  /^Connection is closed/,
];

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (
    typeof code === 'string' &&
    (UNAVAILABLE_CODES.has(code) || (code.length === 5 && UNAVAILABLE_SQLSTATE.test(code)))
  ) {
    return true;
  }
  const message = error instanceof Error ? error.message : '';
  return (
    error instanceof Error &&
    (error.name === 'MaxRetriesPerRequestError' || UNAVAILABLE_MESSAGES.some((m) => m.test(message)))
  );
}

export function toTesseraError(error: unknown): TesseraError | null {
  if (error instanceof TesseraError) return error;
  if (isUnavailable(error))
    return new TesseraError('service_unavailable', { cause: error, retryAfterSeconds: 5 });
  const fastifyError = error as Partial<FastifyError> & { statusCode?: number };
  if (fastifyError.validation) {
    // Ajv messages name the field and the rule, never the value.
    return new TesseraError('invalid_request', {
      message: `Invalid request: ${fastifyError.message}.`,
      cause: error,
    });
  }
  const code = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (code) return new TesseraError(code, { cause: error });
  // secure-json-parse (prototype poisoning) and JSON syntax errors surface as 400s.
  if (fastifyError.statusCode === 400 || error instanceof SyntaxError) {
    return new TesseraError('invalid_request', { cause: error });
  }
  if (fastifyError.statusCode === 413) return new TesseraError('payload_too_large', { cause: error });
  if (fastifyError.statusCode === 415) return new TesseraError('unsupported_media_type', { cause: error });
  return null;
}

/**
 * What a failure answers with, logged once: the known error (a 5xx with its cause), or an
 * unknown one as a generic `internal_error` with its stack in the log. `Retry-After` is set here.
 * Shared by the JSON error handler below and the hosted login's HTML pages.
 */
export function resolveError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): { status: number; code: ErrorCode; message: string } {
  const known = toTesseraError(error);
  if (!known) {
    request.log.error({ err: error }, 'unhandled error');
    return { status: 500, code: 'internal_error', message: genericMessage('internal_error') };
  }
  if (known.status >= 500)
    request.log.error({ err: known.cause ?? known, code: known.code }, 'request failed');
  if (known.retryAfterSeconds !== undefined)
    void reply.header('retry-after', String(Math.ceil(known.retryAfterSeconds)));
  return { status: known.status, code: known.code, message: known.message };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, code, message } = resolveError(error, request, reply);
  void reply.status(status).send({ error: code, message });
}
