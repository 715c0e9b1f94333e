/**
 * The one logger interface the server's modules depend on: the subset of pino's API they call.
 * The composition root (server.ts) passes its pino logger; tests pass a capture (testing/log-capture.ts).
 * Log lines carry identifiers and outcomes, never a token, cookie, password or hash (see the
 * redaction paths in server.ts).
 */
export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * `logger`, with `reqId` first on every line: the logger of the use cases serving one HTTP request
 * (docs/operations.md, "Request ids"), given to them explicitly with that request's dependencies.
 */
export function withRequestId(logger: Logger, reqId: string): Logger {
  return {
    info: (fields, message) => logger.info({ reqId, ...fields }, message),
    warn: (fields, message) => logger.warn({ reqId, ...fields }, message),
    error: (fields, message) => logger.error({ reqId, ...fields }, message),
  };
}
