/**
 * The part of the port that is the same on both databases: admin CRUD and plain reads, each one
 * statement, written once with Kysely. The adapters add what needs dialect SQL or a transaction.
 */
import type { Kysely } from 'kysely';
import type { Storage } from './port.js';
import { recordTable } from './record-table.js';
import {
  clientPatch,
  clientRow,
  environmentPatch,
  environmentRow,
  membershipRow,
  rolePatch,
  roleRow,
  signingKeyRow,
  tenantPatch,
  tenantRow,
  toClient,
  toEnvironment,
  toMembership,
  toRole,
  toSession,
  toSigningKey,
  toTenant,
  toUser,
  toUserWithPassword,
  userPatch,
  userRow,
} from './rows.js';
import type { Database } from './schema.js';

export type SharedQueries = Pick<
  Storage,
  | 'getEnvironment'
  | 'listEnvironments'
  | 'insertEnvironment'
  | 'updateEnvironment'
  | 'deleteEnvironment'
  | 'getClient'
  | 'listClients'
  | 'listClientsPage'
  | 'insertClient'
  | 'updateClient'
  | 'deleteClient'
  | 'getRole'
  | 'listRoles'
  | 'insertRole'
  | 'updateRole'
  | 'deleteRole'
  | 'getTenant'
  | 'listTenants'
  | 'listTenantsPage'
  | 'insertTenant'
  | 'updateTenant'
  | 'deleteTenant'
  | 'getUser'
  | 'findUserByEmail'
  | 'listUsers'
  | 'listUsersPage'
  | 'insertUser'
  | 'updateUser'
  | 'putMembership'
  | 'deleteMembership'
  | 'listTenantMembers'
  | 'getSession'
  | 'listLiveSessions'
  | 'listLiveSessionsPage'
  | 'countLiveSessions'
  | 'listSessionClientIds'
  | 'listSigningKeys'
  | 'deleteRetiredSigningKeys'
>;

export function sharedQueries(db: Kysely<Database>): SharedQueries {
  const environments = recordTable(db, {
    table: 'environments',
    keyColumns: ['id'],
    orderBy: ['created_at', 'id'],
    toRecord: toEnvironment,
    toRow: environmentRow,
    toPatch: environmentPatch,
  });
  const clients = recordTable(db, {
    table: 'clients',
    keyColumns: ['env_id', 'client_id'],
    orderBy: ['created_at', 'client_id'],
    toRecord: toClient,
    toRow: clientRow,
    toPatch: clientPatch,
  });
  const roles = recordTable(db, {
    table: 'roles',
    keyColumns: ['env_id', 'key'],
    orderBy: ['key'],
    toRecord: toRole,
    toRow: roleRow,
    toPatch: rolePatch,
  });
  const tenants = recordTable(db, {
    table: 'tenants',
    keyColumns: ['env_id', 'id'],
    orderBy: ['created_at', 'id'],
    toRecord: toTenant,
    toRow: tenantRow,
    toPatch: tenantPatch,
  });
  const users = recordTable(db, {
    table: 'users',
    keyColumns: ['env_id', 'id'],
    orderBy: ['created_at', 'id'],
    toRecord: toUser,
    toRow: userRow,
    toPatch: userPatch,
  });
  const memberships = recordTable(db, {
    table: 'memberships',
    keyColumns: ['env_id', 'tenant_id', 'user_id'],
    orderBy: ['created_at', 'user_id'],
    toRecord: toMembership,
    toRow: membershipRow,
    toPatch: () => ({}),
  });
  const signingKeys = recordTable(db, {
    table: 'signing_keys',
    keyColumns: ['env_id', 'kid'],
    orderBy: ['activates_at', 'created_at', 'kid'],
    toRecord: toSigningKey,
    toRow: signingKeyRow,
    toPatch: () => ({}),
  });

  return {
    getEnvironment: (envId) => environments.get([envId]),
    listEnvironments: () => environments.list([]),
    insertEnvironment: (env) => environments.insert(env),
    updateEnvironment: (envId, patch) => environments.update([envId], patch),
    deleteEnvironment: (envId) => environments.delete([envId]),

    getClient: (envId, clientId) => clients.get([envId, clientId]),
    listClients: (envId) => clients.list([envId]),
    listClientsPage: (envId, page) => clients.page([envId], page),
    insertClient: (client) => clients.insert(client),
    updateClient: (envId, clientId, patch) => clients.update([envId, clientId], patch),
    deleteClient: (envId, clientId) => clients.delete([envId, clientId]),

    getRole: (envId, key) => roles.get([envId, key]),
    listRoles: (envId) => roles.list([envId]),
    insertRole: (role) => roles.insert(role),
    updateRole: (envId, key, patch) => roles.update([envId, key], patch),
    deleteRole: (envId, key) => roles.delete([envId, key]),

    getTenant: (envId, tenantId) => tenants.get([envId, tenantId]),
    listTenants: (envId) => tenants.list([envId]),
    listTenantsPage: (envId, page) => tenants.page([envId], page),
    insertTenant: (tenant) => tenants.insert(tenant),
    updateTenant: (envId, tenantId, patch) => tenants.update([envId, tenantId], patch),
    deleteTenant: (envId, tenantId) => tenants.delete([envId, tenantId]),

    getUser: (envId, userId) => users.get([envId, userId]),
    listUsers: (envId) => users.list([envId]),
    listUsersPage: (envId, page, search) =>
      users.page(
        [envId],
        page,
        search === undefined ? undefined : { column: 'email_normalized', text: search.emailContains },
      ),
    insertUser: (user) => users.insert(user),
    updateUser: (envId, userId, patch) => users.update([envId, userId], patch),
    async findUserByEmail(envId, emailNormalized) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('env_id', '=', envId)
        .where('email_normalized', '=', emailNormalized)
        .executeTakeFirst();
      return row ? toUserWithPassword(row) : null;
    },

    async putMembership(membership) {
      // Replacing the roles keeps `created_at`, so the membership keeps its place in the order.
      await db
        .insertInto('memberships')
        .values(membershipRow(membership))
        .onConflict((conflict) =>
          conflict
            .columns(['env_id', 'tenant_id', 'user_id'])
            .doUpdateSet((eb) => ({ roles: eb.ref('excluded.roles') })),
        )
        .execute();
    },
    deleteMembership: (envId, tenantId, userId) => memberships.delete([envId, tenantId, userId]),
    listTenantMembers: (envId, tenantId) => memberships.list([envId, tenantId]),

    async getSession(sessionId) {
      const row = await db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
      return row ? toSession(row) : null;
    },
    async listLiveSessions(envId, userId) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('env_id', '=', envId)
        .where('user_id', '=', userId)
        .where('ended_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toSession);
    },

    async listLiveSessionsPage({ envId, userId, page: { after, limit } }) {
      let query = db
        .selectFrom('sessions')
        .selectAll()
        .where('env_id', '=', envId)
        .where('ended_at', 'is', null);
      if (userId !== undefined) query = query.where('user_id', '=', userId);
      if (after !== null) {
        const [lastActiveAt, id] = after;
        query = query.where((eb) =>
          eb.or([
            eb('last_active_at', '<', lastActiveAt),
            eb.and([eb('last_active_at', '=', lastActiveAt), eb('id', '<', id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy('last_active_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit).map(toSession);
      const last = items.at(-1);
      return { items, next: rows.length > limit && last ? [last.lastActiveAt, last.id] : null };
    },
    async countLiveSessions(envId) {
      const row = await db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('env_id', '=', envId)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.count ?? 0);
    },
    async listSessionClientIds(sessionIds) {
      const clients = new Map<string, string[]>();
      if (sessionIds.length === 0) return clients;
      const rows = await db
        .selectFrom('session_clients')
        .select(['session_id', 'client_id'])
        .where('session_id', 'in', [...sessionIds])
        .orderBy('session_id')
        .orderBy('added_at')
        .orderBy('client_id')
        .execute();
      for (const row of rows) {
        const ids = clients.get(row.session_id) ?? [];
        ids.push(row.client_id);
        clients.set(row.session_id, ids);
      }
      return clients;
    },

    listSigningKeys: (envId) => signingKeys.list([envId]),
    async deleteRetiredSigningKeys(envId, before) {
      const result = await db
        .deleteFrom('signing_keys')
        .where('env_id', '=', envId)
        .where('retired_at', 'is not', null)
        .where('retired_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
