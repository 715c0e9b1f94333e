/**
 * The revocation feed's transport: one streaming `GET` at a time over `fetch` (Node 20 has no
 * EventSource), its events through {@link SseParser}, and reconnects with backoff, resuming with
 * `Last-Event-ID`. It knows HTTP and SSE, not what the events mean: each goes to `onEvent`.
 */
import { sleep, type Timers, unref } from '../timers.js';
import { type SseEvent, SseParser } from './sse-parser.js';

export interface FeedLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface FeedTransportOptions {
  url: URL;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  timers: Timers;
  logger: FeedLogger;
  /** Aborting it ends the current connection and every wait, and stops reconnecting. */
  signal: AbortSignal;
  /** The `Last-Event-ID` of the next connection; `null` for none. */
  cursor(): string | null;
  /** Applies one event; `true` when it was `ready` (the backoff starts over). */
  onEvent(event: SseEvent): boolean;
  /** A connection ended (not called once `signal` has aborted). */
  onDisconnect(): void;
  /** A connection silent this long is dropped and reopened: three missed ticks [15000]. */
  silenceTimeoutMs?: number;
  /** The longest pause between reconnects [30000]. */
  maxReconnectDelayMs?: number;
  /** The pause after the server refused the credentials [30000]. */
  unauthorizedDelayMs?: number;
}

/** The server sends `retry: 1000`; this is the delay until it does. */
const DEFAULT_RETRY_MS = 1000;

type ConnectOutcome = 'unauthorized' | 'failed' | 'ended';

/** Connects, and reconnects after every end, until `signal` aborts. Rejects only if a callback throws. */
export async function runFeedTransport(options: FeedTransportOptions): Promise<void> {
  const state = { retryMs: DEFAULT_RETRY_MS, failuresLogged: 0 };
  let attempt = 0;
  while (!options.signal.aborted) {
    const { outcome, sawReady } = await connectOnce(options, state);
    // Closed on purpose: the feed is not stale, it is gone; nothing to report.
    if (options.signal.aborted) break;
    options.onDisconnect();
    attempt = sawReady ? 0 : attempt + 1;
    const delay =
      outcome === 'unauthorized'
        ? (options.unauthorizedDelayMs ?? 30_000)
        : reconnectDelay(state.retryMs, attempt, options.maxReconnectDelayMs ?? 30_000);
    await sleep(options.timers, delay, options.signal);
  }
}

interface TransportState {
  /** The server's `retry:`, the base of the backoff. */
  retryMs: number;
  failuresLogged: number;
}

async function connectOnce(
  options: FeedTransportOptions,
  state: TransportState,
): Promise<{ outcome: ConnectOutcome; sawReady: boolean }> {
  const { timers, signal } = options;
  const controller = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // Aborting the fetch does not always end a pending read of its body (undici cancels a locked
  // stream in vain); cancelling through our own reader always does.
  const stop = () => {
    controller.abort();
    reader?.cancel().catch(() => {});
  };
  signal.addEventListener('abort', stop);
  let sawReady = false;
  const headers: Record<string, string> = {
    accept: 'text/event-stream',
    'cache-control': 'no-store',
    authorization: basicAuthorization(options.clientId, options.clientSecret),
  };
  const cursor = options.cursor();
  if (cursor !== null) headers['last-event-id'] = cursor;
  let silence: ReturnType<Timers['setTimeout']>;
  const armSilenceTimer = () => {
    timers.clearTimeout(silence);
    silence = unref(timers.setTimeout(stop, options.silenceTimeoutMs ?? 15_000));
  };
  try {
    armSilenceTimer();
    const response = await options.fetch(options.url, {
      headers,
      signal: controller.signal,
      redirect: 'error',
    });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel().catch(() => {});
      options.logger.error(
        `tessera: the revocation feed refused the client credentials (${response.status}); check strict.clientId and strict.clientSecret (a confidential client of the environment).`,
      );
      return { outcome: 'unauthorized', sawReady };
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !contentType.startsWith('text/event-stream') || !response.body) {
      await response.body?.cancel().catch(() => {});
      logFailure(options, state, `answered ${response.status} ${contentType}`);
      return { outcome: 'failed', sawReady };
    }
    const decoder = new TextDecoder();
    const parser = new SseParser({
      onEvent: (event) => {
        if (options.onEvent(event)) {
          sawReady = true;
          state.failuresLogged = 0;
        }
      },
      onRetry: (milliseconds) => {
        state.retryMs = milliseconds;
      },
    });
    reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armSilenceTimer();
        parser.push(decoder.decode(value, { stream: true }));
      }
    } finally {
      reader.releaseLock();
      response.body.cancel().catch(() => {});
    }
    return { outcome: 'ended', sawReady };
  } catch (error) {
    if (!signal.aborted && !sawReady) logFailure(options, state, describeError(error));
    return { outcome: 'failed', sawReady };
  } finally {
    timers.clearTimeout(silence);
    signal.removeEventListener('abort', stop);
    controller.abort();
  }
}

/** One line per outage, not one per reconnect attempt. */
function logFailure(options: FeedTransportOptions, state: TransportState, reason: string): void {
  if (state.failuresLogged++ % 20 !== 0) return;
  options.logger.warn(`tessera: could not follow the revocation feed (${reason}); retrying with backoff.`);
}

/** Exponential from the server's `retry`, capped, with jitter so a fleet does not reconnect in step. */
function reconnectDelay(baseMs: number, attempt: number, maxMs: number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 10));
  return exponential / 2 + Math.random() * (exponential / 2);
}

/** RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding. */
function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  return 'unknown error';
}
