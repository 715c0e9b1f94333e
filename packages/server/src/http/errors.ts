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
  // pg, when a query reaches a client whose backend was just killed or restarted: the connection
  // failed between the pool handing it out and the query (seen in docs/reliability.md, case 3).
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
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

interface AjvError {
  instancePath: string;
  keyword: string;
  params: { missingProperty?: string; additionalProperty?: string };
}

/**
 * A schema refusal as `invalid_request` naming the field: a JSON Pointer into the body, or a path
 * or query parameter's name. Ajv's messages name the rule, never the value; an unexpected member
 * is named too, which Ajv's own message leaves out.
 */
function validationError(fastifyError: Partial<FastifyError>, cause: unknown): TesseraError {
  const first = (fastifyError.validation as AjvError[] | undefined)?.[0];
  const context = (fastifyError as { validationContext?: string }).validationContext ?? 'body';
  let pointer = first?.instancePath ?? '';
  const member = first?.params.missingProperty ?? first?.params.additionalProperty;
  if (member !== undefined) pointer += `/${member.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const field = context === 'body' ? pointer || undefined : pointer.split('/')[1];
  const message =
    first?.keyword === 'additionalProperties'
      ? `Invalid request: ${context}${pointer} is not an accepted field.`
      : `Invalid request: ${fastifyError.message}.`;
  return new TesseraError('invalid_request', { message, cause, ...(field !== undefined && { field }) });
}

export function toTesseraError(error: unknown): TesseraError | null {
  if (error instanceof TesseraError) return error;
  if (isUnavailable(error))
    return new TesseraError('service_unavailable', { cause: error, retryAfterSeconds: 5 });
  const fastifyError = error as Partial<FastifyError> & { statusCode?: number };
  if (fastifyError.validation) return validationError(fastifyError, error);
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
): { status: number; code: ErrorCode; message: string; field?: string } {
  const known = toTesseraError(error);
  if (!known) {
    request.log.error({ err: error }, 'unhandled error');
    return { status: 500, code: 'internal_error', message: genericMessage('internal_error') };
  }
  if (known.status >= 500)
    request.log.error({ err: known.cause ?? known, code: known.code }, 'request failed');
  if (known.retryAfterSeconds !== undefined)
    void reply.header('retry-after', String(Math.ceil(known.retryAfterSeconds)));
  return {
    status: known.status,
    code: known.code,
    message: known.message,
    ...(known.field !== undefined && { field: known.field }),
  };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, code, message } = resolveError(error, request, reply);
  void reply.status(status).send({ error: code, message });
}

/** The admin API's answers also name the input at fault in `field` (docs/errors.md). */
export function handleAdminError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, code, message, field } = resolveError(error, request, reply);
  void reply.status(status).send({ error: code, message, ...(field !== undefined && { field }) });
}
