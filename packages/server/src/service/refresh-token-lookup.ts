/**
 * The session behind a presented refresh token: one lookup and one set of checks for every door a
 * refresh token comes through (the session API, the token endpoint, revocation, introspection,
 * single sign-on, logout). A token that is absent or malformed is not hashed, let alone looked up;
 * one of another environment, or one that is not the presenter's own (RT-07), is not found — the
 * very answer an unknown token gets (RT-04). A token whose session ended is found: what that end
 * means is for the caller (a refresh answers with its reason, a logout has nothing left to do).
 */
import type { SessionStore } from '../storage/port/sessions.js';
import type { RefreshContext } from '../storage/records.js';
import { hashRefreshToken, isWellFormedRefreshToken } from '../tokens/refresh-token.js';

/**
 * Who presents the token. `browser`: the refresh cookie — only the browser's own token counts, and
 * `clientId` (the session API's caller) is the client `clientAuthorized` is judged for. `client`: a
 * confidential client — only the token issued to it. `anyone`: whoever holds it (introspection
 * reports on any token of the environment).
 */
export type RefreshTokenPresenter =
  | { kind: 'browser'; clientId?: string }
  | { kind: 'client'; clientId: string }
  | { kind: 'anyone' };

export type RefreshTokenLookup = { kind: 'found'; context: RefreshContext } | { kind: 'not_found' };

export interface RefreshTokenLookupInput {
  envId: string;
  /** The cookie's value or the request parameter; `undefined` when there is none. */
  refreshToken: string | undefined;
  presenter: RefreshTokenPresenter;
}

const NOT_FOUND: RefreshTokenLookup = { kind: 'not_found' };

export async function lookUpRefreshToken(
  deps: { storage: Pick<SessionStore, 'loadRefreshContext'> },
  input: RefreshTokenLookupInput,
): Promise<RefreshTokenLookup> {
  const { refreshToken, presenter } = input;
  if (refreshToken === undefined || !isWellFormedRefreshToken(refreshToken)) return NOT_FOUND;
  const clientId = presenter.kind === 'anyone' ? undefined : presenter.clientId;
  const context = await deps.storage.loadRefreshContext(hashRefreshToken(refreshToken), clientId);
  if (!context || context.environment.id !== input.envId) return NOT_FOUND;
  if (!isPresentersOwn(context.token.clientId, presenter)) return NOT_FOUND;
  return { kind: 'found', context };
}

/** RT-07: `owner` is `null` for the browser's cookie, or the confidential client it was issued to. */
function isPresentersOwn(owner: string | null, presenter: RefreshTokenPresenter): boolean {
  switch (presenter.kind) {
    case 'browser':
      return owner === null;
    case 'client':
      return owner === presenter.clientId;
    case 'anyone':
      return true;
  }
}
