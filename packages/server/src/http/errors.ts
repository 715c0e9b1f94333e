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

export function toTesseraError(error: unknown): TesseraError | null {
  if (error instanceof TesseraError) return error;
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

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const known = toTesseraError(error);
  if (!known) {
    request.log.error({ err: error }, 'unhandled error');
    void reply.status(500).send({ error: 'internal_error', message: genericMessage('internal_error') });
    return;
  }
  if (known.status >= 500)
    request.log.error({ err: known.cause ?? known, code: known.code }, 'request failed');
  if (known.retryAfterSeconds !== undefined)
    void reply.header('retry-after', String(Math.ceil(known.retryAfterSeconds)));
  void reply.status(known.status).send({ error: known.code, message: known.message });
}
