/** Keyset paging of users, tenants and clients: the list's order, page by page, stable under inserts. */
import { describe, expect, it } from 'vitest';
import type { Page, PageRequest } from '../port/paging.js';
import type { Storage } from '../port.js';
import { client, ENV, environment, newUser, T0, tenant } from './fixtures.js';
import type { ConformanceContext } from './suite.js';

interface Pageable {
  name: string;
  /** Inserts an item with this id and creation time. */
  insert(storage: Storage, id: string, createdAt: number, envId?: string): Promise<unknown>;
  list(storage: Storage): Promise<string[]>;
  page(storage: Storage, request: PageRequest): Promise<Page<string>>;
}

const ids = <R>(page: Page<R>, id: (record: R) => string): Page<string> => ({
  items: page.items.map(id),
  next: page.next,
});

const PAGEABLE: Pageable[] = [
  {
    name: 'users',
    insert: (storage, id, createdAt, envId = ENV) =>
      storage.insertUser(newUser(envId, id, `${id}@example.com`, { createdAt })),
    list: async (storage) => (await storage.listUsers(ENV)).map((user) => user.id),
    page: async (storage, request) => ids(await storage.listUsersPage(ENV, request), (user) => user.id),
  },
  {
    name: 'tenants',
    insert: (storage, id, createdAt, envId = ENV) => storage.insertTenant(tenant(envId, id, { createdAt })),
    list: async (storage) => (await storage.listTenants(ENV)).map((t) => t.id),
    page: async (storage, request) => ids(await storage.listTenantsPage(ENV, request), (t) => t.id),
  },
  {
    name: 'clients',
    insert: (storage, id, createdAt, envId = ENV) => storage.insertClient(client(envId, id, { createdAt })),
    list: async (storage) => (await storage.listClients(ENV)).map((c) => c.clientId),
    page: async (storage, request) => ids(await storage.listClientsPage(ENV, request), (c) => c.clientId),
  },
];

export function pagingCases(context: ConformanceContext): void {
  describe.each(PAGEABLE)('paging $name', (pageable) => {
    async function seed(): Promise<Storage> {
      const { storage } = context;
      await storage.insertEnvironment(environment(ENV));
      await storage.insertEnvironment(environment('env-b'));
      // Ties on the creation time are ordered by id.
      for (const [id, at] of [
        ['e', T0],
        ['a', T0 + 1],
        ['c', T0 + 1],
        ['b', T0 + 1],
        ['d', T0 + 2],
      ] as const) {
        await pageable.insert(storage, id, at);
      }
      return storage;
    }

    it('walks the whole list in its order, page by page', async () => {
      const storage = await seed();
      expect(await pageable.list(storage)).toEqual(['e', 'a', 'b', 'c', 'd']);
      const first = await pageable.page(storage, { after: null, limit: 2 });
      expect(first).toEqual({ items: ['e', 'a'], next: [T0 + 1, 'a'] });
      const second = await pageable.page(storage, { after: first.next, limit: 2 });
      expect(second).toEqual({ items: ['b', 'c'], next: [T0 + 1, 'c'] });
      expect(await pageable.page(storage, { after: second.next, limit: 2 })).toEqual({
        items: ['d'],
        next: null,
      });
      expect(await pageable.page(storage, { after: null, limit: 5 })).toEqual({
        items: ['e', 'a', 'b', 'c', 'd'],
        next: null,
      });
    });

    it('neither repeats nor skips an item when others are inserted between pages', async () => {
      const storage = await seed();
      const first = await pageable.page(storage, { after: null, limit: 2 });
      await pageable.insert(storage, '0-early', T0 - 10);
      await pageable.insert(storage, 'z-late', T0 + 50);
      const rest = await pageable.page(storage, { after: first.next, limit: 10 });
      expect([...first.items, ...rest.items]).toEqual(['e', 'a', 'b', 'c', 'd', 'z-late']);
    });

    it('pages only its environment, and past the last item answers one empty page', async () => {
      const storage = await seed();
      await pageable.insert(storage, 'aa', T0 + 1, 'env-b');
      expect(await pageable.page(storage, { after: [T0, 'e'], limit: 2 })).toEqual({
        items: ['a', 'b'],
        next: [T0 + 1, 'b'],
      });
      expect(await pageable.page(storage, { after: [T0 + 2, 'd'], limit: 3 })).toEqual({
        items: [],
        next: null,
      });
    });
  });
}
