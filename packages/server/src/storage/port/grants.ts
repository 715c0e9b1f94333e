/**
 * The grant role of the storage port: what the hosted login holds between its requests —
 * authorization codes (RFC 6749 §4.1) and the interactions of sign-ins whose password was proven
 * (ADR 0004). Each is single use, atomically, across processes.
 */
import type { AuthorizationCodeRecord, InteractionRecord, NewAuthorizationCode } from '../records.js';

/** What a redemption must match for the code to be consumed (AS-02, AS-05, AS-06). */
export type AuthorizationCodeBinding = Pick<
  AuthorizationCodeRecord,
  'clientId' | 'redirectUri' | 'codeChallenge'
>;

export interface GrantStore {
  insertAuthorizationCode(code: NewAuthorizationCode): Promise<void>;
  /**
   * Marks the code redeemed at `now` if it was not **and** it is bound to `binding`, in one atomic
   * step: across processes exactly one caller ever sees `firstUse: true`, and a presentation that
   * does not match the binding never consumes the code (then `firstUse: false` with `redeemedAt`
   * as it was). `null` for an unknown code.
   */
  redeemAuthorizationCode(
    codeHash: string,
    now: number,
    binding: AuthorizationCodeBinding,
  ): Promise<{ code: AuthorizationCodeRecord; firstUse: boolean } | null>;
  /** Stores the interaction; `false` (and nothing written) when one with its id exists. */
  insertInteraction(interaction: InteractionRecord): Promise<boolean>;
  getInteraction(idHash: string): Promise<InteractionRecord | null>;
  /** Records the authenticated user of an interaction; `false` if it does not exist. */
  setInteractionUser(idHash: string, userId: string, authTime: number): Promise<boolean>;
  /**
   * Marks the interaction completed (clears its user) and returns it, atomically: an interaction
   * completes once, and `null` answers one that does not exist or has no user. The row stays, as
   * the completed mark, until it expires and is pruned.
   */
  consumeInteraction(idHash: string): Promise<InteractionRecord | null>;
}
