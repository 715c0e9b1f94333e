/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0; DESIGN §3.2). The request is
 * validated before anything happens: `post_logout_redirect_uri` must be one of the client's
 * registered values exactly (AS-10), and a given `id_token_hint` must be an ID token this
 * environment signed. With a valid hint the session it names ends at once; without one the user
 * is asked first (SES-16), so a link cannot sign anybody out.
 */
import { MAX_STATE_LENGTH, textProblem } from '../../oauth/authorize-request.js';
import { appendQuery } from '../../oauth/authorize-response.js';
import { parseFormUrlEncoded } from '../../oauth/form-urlencoded.js';
import { matchPostLogoutRedirectUri } from '../../oauth/redirect-uri.js';
import type { ClientRecord, EnvironmentRecord } from '../../storage/records.js';
import { textInputProblem } from '../../text-input.js';
import { ID_TOKEN_TYP } from '../../tokens/id-token.js';
import type { ServiceDeps } from '../deps.js';
import { verifyEnvironmentJwt } from '../environment-jwt.js';
import { recordEvent } from '../events.js';

/** An `id_token_hint` is accepted this long after it expired: logging out is what old tabs do. */
const EXPIRED_HINT_TOLERANCE_SECONDS = 30 * 86400;

export interface LogoutRequest {
  /** The client that asked, when it said (or its ID token says) which. */
  client: ClientRecord | null;
  /** The registered value to return to; `null` → the "signed out" page. */
  postLogoutRedirectUri: string | null;
  state?: string;
  /** The session the verified `id_token_hint` names. */
  hintedSessionId: string | null;
}

export type ParsedLogoutRequest = { ok: true; request: LogoutRequest } | { ok: false; message: string };

export async function parseLogoutRequest(
  deps: ServiceDeps,
  environment: EnvironmentRecord,
  rawQuery: string,
): Promise<ParsedLogoutRequest> {
  const parsed = parseFormUrlEncoded(rawQuery);
  if (!parsed.ok) return { ok: false, message: 'The sign-out request is malformed.' };
  const param = (name: string) => parsed.params.get(name) || undefined;

  let hinted: { sessionId: string; clientId: string } | null = null;
  const hint = param('id_token_hint');
  if (hint !== undefined) {
    const payload = await verifyEnvironmentJwt(deps, environment.id, hint, {
      typ: ID_TOKEN_TYP,
      requiredClaims: ['sub', 'aud', 'sid'],
      clockToleranceSeconds: EXPIRED_HINT_TOLERANCE_SECONDS,
    });
    if (payload === null || typeof payload.sid !== 'string' || typeof payload.aud !== 'string')
      return { ok: false, message: 'The sign-out request carries an ID token that is not valid here.' };
    hinted = { sessionId: payload.sid, clientId: payload.aud };
  }

  const clientId = param('client_id') ?? hinted?.clientId;
  if (hinted !== null && clientId !== hinted.clientId)
    return { ok: false, message: 'The sign-out request names two different applications.' };
  // The boundary rule (text-input.ts) before the lookup: the route leaves its query to this parser.
  if (clientId !== undefined && textInputProblem(clientId) !== null)
    return { ok: false, message: 'The application that sent you here is not known.' };
  const client = clientId === undefined ? null : await deps.lookups.getClient(environment.id, clientId);
  if (clientId !== undefined && client === null)
    return { ok: false, message: 'The application that sent you here is not known.' };

  const requestedUri = param('post_logout_redirect_uri');
  let postLogoutRedirectUri: string | null = null;
  if (requestedUri !== undefined) {
    const match = client === null ? null : matchPostLogoutRedirectUri(client, requestedUri);
    if (match === null || !match.ok)
      return { ok: false, message: 'The address to return to after signing out is not registered.' };
    postLogoutRedirectUri = match.uri;
  }

  const state = param('state');
  if (state !== undefined && textProblem('state', state, MAX_STATE_LENGTH) !== null)
    return { ok: false, message: 'The sign-out request is malformed.' };

  return {
    ok: true,
    request: {
      client,
      postLogoutRedirectUri,
      ...(state !== undefined && { state }),
      hintedSessionId: hinted?.sessionId ?? null,
    },
  };
}

/** Where to send the browser once signed out: the registered URI with `state`, or `null`. */
export function postLogoutLocation(request: LogoutRequest): string | null {
  if (request.postLogoutRedirectUri === null) return null;
  const url = request.postLogoutRedirectUri;
  if (request.state === undefined) return url;
  return appendQuery(url, new URLSearchParams({ state: request.state }));
}

/** Ends the session an `id_token_hint` names, if it is a live session of this environment. */
export async function endHintedSession(
  deps: ServiceDeps,
  environment: EnvironmentRecord,
  sessionId: string,
): Promise<void> {
  const session = await deps.storage.getSession(sessionId);
  if (!session || session.envId !== environment.id) return;
  if (await deps.storage.endSession(sessionId, 'logout', deps.clock.now())) {
    await recordEvent(deps, {
      type: 'session.ended',
      envId: environment.id,
      userId: session.userId,
      sid: sessionId,
      tenantId: session.defaultTenantId,
      details: { reason: 'logout' },
    });
  }
}
