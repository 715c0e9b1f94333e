/**
 * The id of the HTTP request the current code runs for (docs/operations.md, "Request ids"), kept
 * across `await`s by an AsyncLocalStorage: the use cases log through a plain logger, and their lines
 * still carry the request's id. Set by the HTTP layer, read by the logger of the use cases.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from './logger.js';

const requestIds = new AsyncLocalStorage<string>();

/** Runs `work` (and everything it starts) as part of request `id`. */
export function runForRequest<T>(id: string, work: () => T): T {
  return requestIds.run(id, work);
}

/** The current request's id; `undefined` outside a request (start-up, timers of background jobs). */
export function currentRequestId(): string | undefined {
  return requestIds.getStore();
}

/** `logger`, adding `reqId` to every line written while a request runs. */
export function withRequestIds(logger: Logger): Logger {
  const fields = (given: object): object => {
    const reqId = requestIds.getStore();
    return reqId === undefined ? given : { reqId, ...given };
  };
  return {
    info: (given, message) => logger.info(fields(given), message),
    warn: (given, message) => logger.warn(fields(given), message),
    error: (given, message) => logger.error(fields(given), message),
  };
}
