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
