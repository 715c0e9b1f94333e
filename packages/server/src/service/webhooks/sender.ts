/**
 * One delivery attempt over HTTP (undici): a POST that follows no redirect, gives up after a
 * timeout, reads at most a small part of the answer, and connects only to addresses the SSRF rule
 * allows (`targets.ts`). Nothing of the response body is kept.
 */
import { isIP } from 'node:net';
import type { Agent } from 'undici';
import { guardedLookup, isPublicAddress, PrivateAddressError, type ResolveHost } from './targets.js';

/** How long an attempt may take, connection to last byte [10 s]. */
export const WEBHOOK_TIMEOUT_MILLIS = 10_000;
/** The most of a response body read before the connection is dropped. */
const RESPONSE_BODY_LIMIT_BYTES = 4096;
const USER_AGENT = 'Tessera-Webhooks/1';

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  allowPrivateTargets: boolean;
}

export type AttemptOutcome =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string };

export interface WebhookSender {
  send(request: WebhookRequest): Promise<AttemptOutcome>;
  /** Aborts the attempts in flight (they fail and are retried) and closes every connection. */
  destroy(): Promise<void>;
}

export interface WebhookSenderOptions {
  timeoutMillis?: number;
  /** DNS resolution (tests resolve names of their own). */
  resolve?: ResolveHost;
}

export function createWebhookSender(options: WebhookSenderOptions = {}): WebhookSender {
  const timeout = options.timeoutMillis ?? WEBHOOK_TIMEOUT_MILLIS;
  const agentOptions = { headersTimeout: timeout, bodyTimeout: timeout, connections: 8 };
  // undici is loaded with the first delivery, not with the server: a start that sends no webhook
  // (most, and every restart after a crash) does not pay for it.
  let client: Promise<{
    request: typeof import('undici').request;
    publicOnly: Agent;
    anyAddress: Agent;
  }> | null = null;
  const loadClient = () =>
    (client ??= import('undici')
      .then(({ Agent, request }) => ({
        request,
        publicOnly: new Agent({
          ...agentOptions,
          connect: { timeout, lookup: guardedLookup(options.resolve) as never },
        }),
        anyAddress: new Agent({ ...agentOptions, connect: { timeout } }),
      }))
      .catch((error: unknown) => {
        // Not kept: the next delivery tries the import again.
        client = null;
        throw error;
      }));

  return {
    async send({ url, body, headers, allowPrivateTargets }) {
      const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
      // An address literal never reaches the lookup: check it here.
      if (!allowPrivateTargets && isIP(host) !== 0 && !isPublicAddress(host)) {
        return { ok: false, status: null, error: 'refused: the URL is a non-public address' };
      }
      try {
        const { request, publicOnly, anyAddress } = await loadClient();
        const response = await request(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
          dispatcher: allowPrivateTargets ? anyAddress : publicOnly,
          signal: AbortSignal.timeout(timeout),
        });
        await response.body.dump({ limit: RESPONSE_BODY_LIMIT_BYTES }).catch(() => undefined);
        const status = response.statusCode;
        if (status >= 200 && status < 300) return { ok: true, status };
        return {
          ok: false,
          status,
          error:
            status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`,
        };
      } catch (error) {
        return { ok: false, status: null, error: describeFailure(error, timeout) };
      }
    },
    async destroy() {
      if (!client) return;
      const { publicOnly, anyAddress } = await client;
      await Promise.all([publicOnly.destroy(), anyAddress.destroy()]);
    },
  };
}

/** A short reason, from codes and names only: never a body, a header or a secret. */
function describeFailure(error: unknown, timeoutMillis: number): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    if (current instanceof PrivateAddressError) return `refused: ${current.message}`;
    if (current.name === 'TimeoutError' || current.name === 'AbortError' || /Timeout/.test(current.name)) {
      return `timed out after ${timeoutMillis / 1000} s`;
    }
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && /^[A-Z_]+$/.test(code)) return code;
    current = current.cause;
  }
  return error instanceof Error ? error.name : 'request failed';
}
