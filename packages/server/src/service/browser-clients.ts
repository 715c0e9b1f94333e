/**
 * Which clients the browser session API serves (DESIGN §3.1; RT-07): `spa` (public browser)
 * clients only. A `confidential` client gets and refreshes its tokens at `/oauth/token` with its
 * secret; serving it here would hand out its tokens to anyone who knows its id.
 */
import type { ClientRecord } from '../storage/records.js';

/** Whether the session API serves the client. */
export function isBrowserClient(client: ClientRecord): boolean {
  return client.type === 'spa';
}

/**
 * Whether the request comes from a page on one of the client's registered origins. Only a browser
 * sends `Origin` for a cross-origin fetch, and it cannot be forged by a page: this is what lets a
 * spa join the browser's session without a password (ADR 0004). No `Origin` proves nothing.
 */
export function isFromClientOrigin(client: ClientRecord, origin: string | undefined): boolean {
  return origin !== undefined && client.allowedOrigins.includes(origin);
}
