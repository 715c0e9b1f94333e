import { decideRefresh, type RefreshDecision, type TokenHolder } from '../engine/refresh.js';
import type { RefreshContext } from '../storage/records.js';

export interface RefreshQuestion {
  holder: TokenHolder;
  request: { tenantId?: string; active: boolean };
  now: number;
}

/**
 * What the engine decides for a refresh of the token a context was loaded for. One place turns a
 * stored context into the engine's input, so the session API's refresh and single sign-on's
 * judgement of the cookie cannot drift apart (one engine decides every door).
 */
export function decideRefreshOf(context: RefreshContext, question: RefreshQuestion): RefreshDecision {
  return decideRefresh({
    token: context.token,
    successor: context.successor,
    session: context.session,
    holder: question.holder,
    user: context.user,
    memberships: context.memberships,
    environmentPolicy: context.environment.sessionPolicy,
    tokenSettings: context.environment.tokenSettings,
    request: question.request,
    now: question.now,
  });
}
