/**
 * Interactions: the pending authorization request behind the hosted login page (ADR 0004). Stored
 * by the hash of a random id, bound to the browser that started it (through the login binding),
 * consumed when the flow completes — so it completes once, and its id never becomes a session id.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import type { InteractionRecord } from '../../storage/port.js';
import type { ServiceDeps } from '../deps.js';
import { isValidLoginCsrfToken, loginCsrfToken } from './login-csrf.js';

/** How long a login page stays usable [30 minutes]. */
export const INTERACTION_TTL_SECONDS = 30 * 60;

const INTERACTION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A live interaction, loaded for the browser that started it. */
export interface Interaction {
  id: string;
  envId: string;
  request: AuthorizeRequest;
  /** The token the page's forms carry. */
  csrfToken: string;
  /** Set once the password was verified, while the user picks a tenant. */
  userId: string | null;
}

function hashId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('base64url');
}

function csrfPurpose(id: string): string {
  return `interaction:${id}`;
}

/** Stores a new interaction for `request`, bound to `binding`; returns its id. */
export async function startInteraction(
  deps: ServiceDeps,
  input: { envId: string; request: AuthorizeRequest; binding: string },
): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = loginCsrfToken(deps.secrets, input.binding, csrfPurpose(id));
  const now = deps.clock.now();
  await deps.storage.insertInteraction({
    idHash: hashId(id),
    envId: input.envId,
    clientId: input.request.clientId,
    request: { ...input.request },
    csrfTokenHash: hashId(csrfToken),
    userId: null,
    authTime: null,
    createdAt: now,
    expiresAt: now + INTERACTION_TTL_SECONDS,
  });
  return id;
}

/**
 * The interaction `id` of environment `envId`, when it exists, has not expired and was started by
 * the browser holding `binding`; otherwise `null` (the caller shows "this sign-in expired").
 */
export async function loadInteraction(
  deps: ServiceDeps,
  input: { envId: string; id: string | undefined; binding: string | undefined },
): Promise<Interaction | null> {
  const { id, binding } = input;
  if (id === undefined || !INTERACTION_ID_PATTERN.test(id) || binding === undefined) return null;
  const record = await deps.storage.getInteraction(hashId(id));
  if (!record || !isUsable(deps, record, input.envId)) return null;
  const csrfToken = loginCsrfToken(deps.secrets, binding, csrfPurpose(id));
  if (hashId(csrfToken) !== record.csrfTokenHash) return null;
  return {
    id,
    envId: record.envId,
    request: record.request as unknown as AuthorizeRequest,
    csrfToken,
    userId: record.userId,
  };
}

/** Whether a form post carries the interaction's CSRF token for this browser (CSRF-03). */
export function isInteractionPost(
  deps: ServiceDeps,
  interaction: Interaction,
  binding: string | undefined,
  presentedToken: string | undefined,
): boolean {
  return isValidLoginCsrfToken(deps.secrets, binding, csrfPurpose(interaction.id), presentedToken);
}

/** Records the user who proved their password, while they pick a tenant. */
export async function rememberInteractionUser(
  deps: ServiceDeps,
  interaction: Interaction,
  userId: string,
): Promise<void> {
  await deps.storage.setInteractionUser(hashId(interaction.id), userId, deps.clock.now());
}

/** Deletes the interaction; `false` when another request completed it first. */
export async function consumeInteraction(deps: ServiceDeps, interaction: Interaction): Promise<boolean> {
  const consumed = await deps.storage.consumeInteraction(hashId(interaction.id));
  return consumed !== null && isUsable(deps, consumed, interaction.envId);
}

function isUsable(deps: ServiceDeps, record: InteractionRecord, envId: string): boolean {
  return record.envId === envId && record.expiresAt > deps.clock.now();
}
