/**
 * The admin API's lists page with a cursor (`Link: <…>; rel="next"`), and users are found by
 * email, normalised as at login; a bad cursor or limit is 400 naming it, and changes nothing.
 */

import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  createClient,
  createEnvironment,
  createTenant,
  createUser,
  expectError,
  startAdmin,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();

/** The next page's URL, relative to /admin/v1, from a `Link` header. */
function nextOf(link: string | string[] | number | undefined): string | null {
  if (link === undefined) return null;
  const match = /^<\/admin\/v1([^>]+)>; rel="next"$/.exec(String(link));
  if (!match?.[1]) throw new Error(`unexpected Link header: ${String(link)}`);
  return match[1];
}

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
  });
  afterAll(async () => {
    await admin?.close();
  });

  /** Every item of a list, following its Links; and how many pages it took. */
  async function walk(first: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let pages = 0;
    for (let url: string | null = first; url !== null; pages++) {
      const response = await admin.get(url);
      expect(response.statusCode, response.body).toBe(200);
      ids.push(
        ...(response.json() as { id?: string; clientId?: string }[]).map((item) => item.id ?? item.clientId!),
      );
      url = nextOf(response.headers.link);
    }
    return { ids, pages };
  }

  it.each([
    ['users', (admin: AdminClient, envId: string) => createUser(admin, envId).then((user) => user.id)],
    [
      'tenants',
      (admin: AdminClient, envId: string) => createTenant(admin, envId).then((tenant) => tenant.id),
    ],
    [
      'clients',
      (admin: AdminClient, envId: string) =>
        createClient(admin, envId).then((client) => (client as unknown as { clientId: string }).clientId),
    ],
  ] as const)('pages %s in creation order, and a page of all has no Link', async (list, create) => {
    const { id: envId } = await createEnvironment(admin);
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      created.push(await create(admin, envId));
      admin.server.clock.advance(1);
    }
    const all = await admin.get(`/environments/${envId}/${list}`);
    expect(all.headers.link).toBeUndefined();
    expect(await walk(`/environments/${envId}/${list}?limit=2`)).toEqual({ ids: created, pages: 3 });
    expect(await walk(`/environments/${envId}/${list}?limit=5`)).toEqual({ ids: created, pages: 1 });
  });

  it('a user created between pages neither repeats nor hides another', async () => {
    const { id: envId } = await createEnvironment(admin);
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      created.push((await createUser(admin, envId)).id);
      admin.server.clock.advance(1);
    }
    const first = await admin.get(`/environments/${envId}/users?limit=2`);
    created.push((await createUser(admin, envId)).id);
    const rest = await walk(nextOf(first.headers.link)!);
    const ids = [...(first.json() as { id: string }[]).map((user) => user.id), ...rest.ids];
    expect(ids).toEqual(created);
  });

  it('finds a user by email, normalised as at login, and only that user', async () => {
    const { id: envId } = await createEnvironment(admin);
    const ada = await createUser(admin, envId, { email: 'Ada.Lovelace@Example.com' });
    await createUser(admin, envId);
    const query = encodeURIComponent('ＡＤＡ.lovelace@EXAMPLE.COM');
    expect(await admin.read(`/environments/${envId}/users?email=${query}`)).toEqual([ada]);
    expect(await admin.read(`/environments/${envId}/users?email=nobody%40example.com`)).toEqual([]);
  });

  it.each([
    ['a cursor that is not one', 'cursor=not-a-cursor', 'cursor'],
    ['a cursor of another shape', `cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'cursor'],
    ['a limit of 0', 'limit=0', 'limit'],
    ['a limit past the maximum', 'limit=201', 'limit'],
    ['a limit that is not a number', 'limit=ten', 'limit'],
    ['an unknown parameter', 'page=2', 'page'],
  ])('refuses %s with 400 naming it, and changes nothing', async (_, query, field) => {
    const { id: envId } = await createEnvironment(admin);
    await createUser(admin, envId);
    const before = await admin.read(`/environments/${envId}/users`);
    const response = await admin.get(`/environments/${envId}/users?${query}`);
    expectError(response, 400, 'invalid_request');
    expect(response.json().field).toBe(field);
    expect(await admin.read(`/environments/${envId}/users`)).toEqual(before);
  });

  it('answers 404 for an unknown environment, paged or not', async () => {
    expectError(await admin.get('/environments/nope/users?limit=2'), 404, 'not_found');
    expectError(await admin.get('/environments/nope/users?email=a%40b.example'), 404, 'not_found');
  });
});
