/**
 * Interactions: the pending authorization request behind the hosted login page (ADR 0004).
 *
 * Nothing is stored for an anonymous visitor. `GET /oauth/authorize` seals the validated request
 * into a **ticket** — `base64url(payload).HMAC(interactionKey, payload ‖ binding)` — that the login
 * page carries (in its URL, so a reload works, and in its form). The MAC binds the ticket to the
 * browser that started it (its login binding, see login-csrf.ts) and to an expiry, so it cannot be
 * forged, altered, replayed from another browser or used late; any node can verify it.
 *
 * A row appears only once a password was proven — by the `interactions` table's primary key, the
 * hash of the ticket's random id, so a ticket is claimed once:
 * - no row: the page is fresh;
 * - a row with a user: the password was proven and the user is picking a tenant;
 * - a row without a user: the sign-in completed (the row stays as that mark until it expires).
 * So an anonymous flood of authorization requests writes nothing, and every row stands for a
 * successful, throttled password check. The ticket's id never becomes a session id.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import type { InteractionRecord } from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';
import { isValidLoginCsrfToken, loginCsrfToken } from './login-csrf.js';

/** How long a login page stays usable [30 minutes]. */
export const INTERACTION_TTL_SECONDS = 30 * 60;

/**
 * The longest ticket accepted. The sealed request is bounded by what the authorization endpoint
 * accepts (its query is at most 8192 characters), so a ticket is too.
 */
export const MAX_TICKET_LENGTH = 12_288;
const TICKET_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/;

/** A live interaction, loaded for the browser that started it. */
export interface Interaction {
  /** The sealed ticket: what the page's URL and form carry. */
  id: string;
  envId: string;
  request: AuthorizeRequest;
  /** The token the page's forms carry. */
  csrfToken: string;
  /** Set once the password was verified, while the user picks a tenant. */
  userId: string | null;
  /** The ticket's random id; its hash keys the row. */
  ref: string;
  /** Epoch seconds. */
  expiresAt: number;
}

interface TicketPayload {
  v: 1;
  e: string;
  i: string;
  x: number;
  r: AuthorizeRequest;
}

function hashId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('base64url');
}

function csrfPurpose(ref: string): string {
  return `interaction:${ref}`;
}

function seal(deps: ServiceDeps, payload: string, binding: string): string {
  return createHmac('sha256', deps.secrets.interactionKey)
    .update(`${payload}\n${binding}`, 'utf8')
    .digest('base64url');
}

/** A ticket for `request`, bound to the browser holding `binding`. Stores nothing. */
export function startInteraction(
  deps: ServiceDeps,
  input: { envId: string; request: AuthorizeRequest; binding: string },
): string {
  const payload: TicketPayload = {
    v: 1,
    e: input.envId,
    i: randomBytes(16).toString('base64url'),
    x: deps.clock.now() + INTERACTION_TTL_SECONDS,
    r: { ...input.request },
  };
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${encoded}.${seal(deps, encoded, input.binding)}`;
}

/** The payload of a ticket this server sealed for `binding`, or `null`. */
function openTicket(deps: ServiceDeps, ticket: string, binding: string): TicketPayload | null {
  if (ticket.length > MAX_TICKET_LENGTH || !TICKET_PATTERN.test(ticket)) return null;
  const dot = ticket.indexOf('.');
  const encoded = ticket.slice(0, dot);
  const expected = Buffer.from(seal(deps, encoded, binding), 'utf8');
  const presented = Buffer.from(ticket.slice(dot + 1), 'utf8');
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return null;
  try {
    const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as TicketPayload;
    return payload.v === 1 && typeof payload.i === 'string' && typeof payload.x === 'number' ? payload : null;
  } catch {
    return null;
  }
}

/**
 * The interaction of ticket `id` in environment `envId`, when the ticket is genuine, was sealed for
 * the browser holding `binding`, has not expired and has not completed; otherwise `null` (the
 * caller shows "this sign-in expired").
 */
export async function loadInteraction(
  deps: ServiceDeps,
  input: { envId: string; id: string | undefined; binding: string | undefined },
): Promise<Interaction | null> {
  const { id, binding } = input;
  if (id === undefined || binding === undefined) return null;
  const payload = openTicket(deps, id, binding);
  if (payload === null || payload.e !== input.envId || payload.x <= deps.clock.now()) return null;
  const csrfToken = loginCsrfToken(deps.secrets, binding, csrfPurpose(payload.i));
  const record = await deps.storage.getInteraction(hashId(payload.i));
  if (record !== null && (record.userId === null || record.csrfTokenHash !== hashId(csrfToken))) return null;
  return {
    id,
    envId: payload.e,
    request: payload.r,
    csrfToken,
    userId: record?.userId ?? null,
    ref: payload.i,
    expiresAt: payload.x,
  };
}

/** Whether a form post carries the interaction's CSRF token for this browser (CSRF-03). */
export function isInteractionPost(
  deps: ServiceDeps,
  interaction: Interaction,
  binding: string | undefined,
  presentedToken: string | undefined,
): boolean {
  return isValidLoginCsrfToken(deps.secrets, binding, csrfPurpose(interaction.ref), presentedToken);
}

function record(deps: ServiceDeps, interaction: Interaction, userId: string | null): InteractionRecord {
  const now = deps.clock.now();
  return {
    idHash: hashId(interaction.ref),
    envId: interaction.envId,
    clientId: interaction.request.clientId,
    request: { ...interaction.request },
    csrfTokenHash: hashId(interaction.csrfToken),
    userId,
    authTime: userId === null ? null : now,
    createdAt: now,
    expiresAt: interaction.expiresAt,
  };
}

/**
 * Records the user who proved their password, while they pick a tenant: the ticket's first row.
 * `false` when the ticket was already claimed (another tab or a double submit got there first).
 */
export async function rememberInteractionUser(
  deps: ServiceDeps,
  interaction: Interaction,
  userId: string,
): Promise<boolean> {
  return deps.storage.insertInteraction(record(deps, interaction, userId));
}

/**
 * Completes the interaction, once: `false` when it was completed already or has expired. Straight
 * after the password, the completed mark is the ticket's first row; after the tenant picker, the
 * row's user is cleared.
 */
export async function consumeInteraction(deps: ServiceDeps, interaction: Interaction): Promise<boolean> {
  if (interaction.expiresAt <= deps.clock.now()) return false;
  if (interaction.userId === null) return deps.storage.insertInteraction(record(deps, interaction, null));
  const consumed = await deps.storage.consumeInteraction(hashId(interaction.ref));
  return consumed !== null && consumed.envId === interaction.envId && consumed.expiresAt > deps.clock.now();
}
