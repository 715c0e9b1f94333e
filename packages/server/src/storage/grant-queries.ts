/**
 * What the hosted login stores besides the session itself: authorization codes, interactions, the
 * clients of a session and their scopes, and confidential clients' refresh-token families. Each operation is one
 * statement, written once with Kysely for both databases. Single use is a conditional UPDATE
 * (`redeemed_at IS NULL`) or a DELETE, each returning the row, so concurrent callers serialize on
 * the row and exactly one wins.
 */
import type { Kysely, Selectable } from 'kysely';
import type { GrantStore } from './port/grants.js';
import type { SessionStore } from './port/sessions.js';
import type { AuthorizationCodeRecord, InteractionRecord } from './records.js';
import { parseJson } from './rows.js';
import type { AuthorizationCodesTable, Database, InteractionsTable } from './schema.js';

/** The grant role, and the session writes single sign-on and the token endpoint add to a session. */
export type GrantQueries = GrantStore &
  Pick<SessionStore, 'addSessionClient' | 'getSessionClientScopes' | 'addRefreshToken'>;

function toAuthorizationCode(row: Selectable<AuthorizationCodesTable>): AuthorizationCodeRecord {
  return {
    codeHash: row.code_hash,
    envId: row.env_id,
    clientId: row.client_id,
    sessionId: row.session_id,
    userId: row.user_id,
    tenantId: row.tenant_id,
    redirectUri: row.redirect_uri,
    codeChallenge: row.code_challenge,
    scopes: parseJson<string[]>(row.scopes),
    nonce: row.nonce,
    authTime: row.auth_time,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    redeemedAt: row.redeemed_at,
  };
}

function toInteraction(row: Selectable<InteractionsTable>): InteractionRecord {
  return {
    idHash: row.id_hash,
    envId: row.env_id,
    clientId: row.client_id,
    request: parseJson<Record<string, unknown>>(row.request),
    csrfTokenHash: row.csrf_token_hash,
    userId: row.user_id,
    authTime: row.auth_time,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export function grantQueries(db: Kysely<Database>): GrantQueries {
  return {
    async insertAuthorizationCode(code) {
      await db
        .insertInto('authorization_codes')
        .values({
          code_hash: code.codeHash,
          env_id: code.envId,
          client_id: code.clientId,
          session_id: code.sessionId,
          user_id: code.userId,
          tenant_id: code.tenantId,
          redirect_uri: code.redirectUri,
          code_challenge: code.codeChallenge,
          scopes: JSON.stringify(code.scopes),
          nonce: code.nonce,
          auth_time: code.authTime,
          issued_at: code.issuedAt,
          expires_at: code.expiresAt,
        })
        .execute();
    },

    async redeemAuthorizationCode(codeHash, now, binding) {
      // The binding is in the conditional UPDATE itself: a presentation that fails it is not a use.
      const redeemed = await db
        .updateTable('authorization_codes')
        .set({ redeemed_at: now })
        .where('code_hash', '=', codeHash)
        .where('redeemed_at', 'is', null)
        .where('client_id', '=', binding.clientId)
        .where('redirect_uri', '=', binding.redirectUri)
        .where('code_challenge', '=', binding.codeChallenge)
        .returningAll()
        .executeTakeFirst();
      if (redeemed) return { code: toAuthorizationCode(redeemed), firstUse: true };
      const used = await db
        .selectFrom('authorization_codes')
        .selectAll()
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      return used ? { code: toAuthorizationCode(used), firstUse: false } : null;
    },

    async insertInteraction(interaction) {
      const result = await db
        .insertInto('interactions')
        .values({
          id_hash: interaction.idHash,
          env_id: interaction.envId,
          client_id: interaction.clientId,
          request: JSON.stringify(interaction.request),
          csrf_token_hash: interaction.csrfTokenHash,
          user_id: interaction.userId,
          auth_time: interaction.authTime,
          created_at: interaction.createdAt,
          expires_at: interaction.expiresAt,
        })
        .onConflict((conflict) => conflict.column('id_hash').doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    async getInteraction(idHash) {
      const row = await db
        .selectFrom('interactions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
      return row ? toInteraction(row) : null;
    },

    async setInteractionUser(idHash, userId, authTime) {
      const result = await db
        .updateTable('interactions')
        .set({ user_id: userId, auth_time: authTime })
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async addSessionClient({ sessionId, clientId, now, scopes }) {
      // A repeated authorization replaces the scopes and keeps `added_at`: when the client joined.
      await db
        .insertInto('session_clients')
        .values({ session_id: sessionId, client_id: clientId, added_at: now, scopes: JSON.stringify(scopes) })
        .onConflict((conflict) =>
          conflict
            .columns(['session_id', 'client_id'])
            .doUpdateSet((eb) => ({ scopes: eb.ref('excluded.scopes') })),
        )
        .execute();
    },

    async getSessionClientScopes(sessionId, clientId) {
      const row = await db
        .selectFrom('session_clients')
        .select('scopes')
        .where('session_id', '=', sessionId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row ? parseJson<string[]>(row.scopes) : null;
    },

    async addRefreshToken(sessionId, token, clientId) {
      // One INSERT … SELECT: the session's liveness is checked by the statement that writes, so
      // there is no window between a check and the insert. The casts type the selected parameters.
      const result = await db
        .insertInto('refresh_tokens')
        .columns(['token_hash', 'session_id', 'issued_at', 'expires_at', 'client_id'])
        .expression((eb) =>
          eb
            .selectFrom('sessions')
            .select([
              eb.cast<string>(eb.val(token.hash), 'text').as('token_hash'),
              'id',
              eb.cast<number>(eb.val(token.issuedAt), 'bigint').as('issued_at'),
              eb.cast<number>(eb.val(token.expiresAt), 'bigint').as('expires_at'),
              eb.cast<string>(eb.val(clientId), 'text').as('client_id'),
            ])
            .where('id', '=', sessionId)
            .where('ended_at', 'is', null),
        )
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    async consumeInteraction(idHash) {
      const row = await db
        .updateTable('interactions')
        .set({ user_id: null })
        .where('id_hash', '=', idHash)
        .where('user_id', 'is not', null)
        .returningAll()
        .executeTakeFirst();
      return row ? toInteraction(row) : null;
    },
  };
}
