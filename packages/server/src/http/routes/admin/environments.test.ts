/** `/admin/v1/environments` (DESIGN §2, §3.3). */

import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  createClient,
  createEnvironment,
  createLoginSetup,
  createUser,
  expectError,
  login,
  refresh,
  startAdmin,
  uniqueId,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();

/** Branding the hosted login pages could not render safely, refused on POST and PATCH alike. */
const BAD_BRANDING: [string, Record<string, unknown>][] = [
  ['an empty branding name', { branding: { name: '' } }],
  ['a branding name of 101 characters', { branding: { name: 'n'.repeat(101) } }],
  ['a branding name with a control character', { branding: { name: 'Acme\u0000' } }],
  ['a colour name', { branding: { primaryColor: 'red' } }],
  ['a three-digit colour', { branding: { primaryColor: '#abc' } }],
  ['a colour with a non-hex digit', { branding: { primaryColor: '#12345g' } }],
  ['a colour with an escape from the declaration', { branding: { primaryColor: '#123456;}' } }],
  ['an rgb() colour', { branding: { primaryColor: 'rgb(0,0,0)' } }],
  ['an http logo URL', { branding: { logoUrl: 'http://acme.example/logo.svg' } }],
  ['a relative logo URL', { branding: { logoUrl: '/logo.svg' } }],
  ['a javascript: logo URL', { branding: { logoUrl: 'javascript:alert(1)' } }],
  ['a data: logo URL', { branding: { logoUrl: 'data:image/svg+xml,<svg/>' } }],
  ['a logo URL with credentials', { branding: { logoUrl: 'https://user:pass@acme.example/logo.svg' } }],
  ['a logo URL of 2049 characters', { branding: { logoUrl: `https://acme.example/${'a'.repeat(2028)}` } }],
  ['a number for a colour', { branding: { primaryColor: 123456 } }],
  ['an unknown branding field', { branding: { favicon: 'https://acme.example/favicon.ico' } }],
];

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
  });
  afterAll(async () => {
    await admin?.close();
  });

  describe('POST /environments', () => {
    it('creates an environment with the default settings, its base URL and a signing key', async () => {
      const id = uniqueId('env');
      const response = await admin.post('/environments', { id, name: 'Staging' });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.headers['cache-control']).toBe('no-store');
      const environment = response.json();
      expect(environment).toEqual({
        id,
        name: 'Staging',
        baseUrl: `http://localhost:4000/e/${id}`,
        tokenSettings: {
          accessTokenTtlSeconds: 300,
          refreshTokenTtlSeconds: 2_592_000,
          rotationGraceSeconds: 10,
          signingAlgorithm: 'ES256',
          cookie: { name: `tessera_refresh_${id}`, sameSite: 'lax', secure: false },
        },
        sessionPolicy: {
          idleTimeoutSeconds: null,
          absoluteTimeoutSeconds: null,
          maxConcurrentSessions: null,
          onLimit: 'evict_oldest',
        },
        branding: {},
        webhookSettings: { allowPrivateTargets: false },
        createdAt: new Date(admin.server.clock.now() * 1000).toISOString(),
      });
      expect(await admin.read(`/environments/${id}`)).toEqual(environment);
      const jwks = await admin.server.app.inject({ method: 'GET', url: `/e/${id}/.well-known/jwks.json` });
      expect(jwks.json().keys).toHaveLength(1);
      expect(jwks.json().keys[0]).toMatchObject({ alg: 'ES256' });
    });

    it('generates an id when none is given', async () => {
      const response = await admin.post('/environments', { name: 'Generated' });
      expect(response.statusCode).toBe(201);
      expect(response.json().id).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
    });

    it('overlays partial settings on the defaults', async () => {
      const environment = await createEnvironment(admin, {
        tokenSettings: {
          accessTokenTtlSeconds: 120,
          signingAlgorithm: 'EdDSA',
          cookie: { sameSite: 'strict' },
        },
        sessionPolicy: { idleTimeoutSeconds: 900, maxConcurrentSessions: 3, onLimit: 'reject' },
      });
      expect(environment.tokenSettings).toMatchObject({
        accessTokenTtlSeconds: 120,
        refreshTokenTtlSeconds: 2_592_000,
        signingAlgorithm: 'EdDSA',
        cookie: { name: `tessera_refresh_${environment.id}`, sameSite: 'strict', secure: false },
      });
      expect(environment.sessionPolicy).toEqual({
        idleTimeoutSeconds: 900,
        absoluteTimeoutSeconds: null,
        maxConcurrentSessions: 3,
        onLimit: 'reject',
      });
      const keys = await admin.read(`/environments/${environment.id}/keys`);
      expect(keys).toMatchObject({ keys: [{ alg: 'EdDSA' }] });
    });

    it('stores branding with the colour in lower case and the logo URL normalised', async () => {
      const environment = await createEnvironment(admin, {
        branding: { name: 'Acme', primaryColor: '#0E7490', logoUrl: 'https://CDN.acme.example/logo.svg' },
      });
      const branding = {
        name: 'Acme',
        primaryColor: '#0e7490',
        logoUrl: 'https://cdn.acme.example/logo.svg',
      };
      expect(environment.branding).toEqual(branding);
      expect(await admin.read(`/environments/${environment.id}`)).toEqual(environment);
      const list = (await admin.read('/environments')) as { id: string }[];
      expect(list.find((e) => e.id === environment.id)).toEqual(environment);
    });

    it('accepts branding at its limits: a name of 100 characters, a logo URL of 2048', async () => {
      const logoUrl = `https://acme.example/${'a'.repeat(2048 - 'https://acme.example/'.length)}`;
      const environment = await createEnvironment(admin, { branding: { name: 'n'.repeat(100), logoUrl } });
      expect(environment.branding).toEqual({ name: 'n'.repeat(100), logoUrl });
    });

    it('refuses a taken id with 409 conflict and leaves the existing one alone', async () => {
      const existing = await createEnvironment(admin);
      const response = await admin.post('/environments', { id: existing.id, name: 'Impostor' });
      expectError(response, 409, 'conflict');
      expect(await admin.read(`/environments/${existing.id}`)).toEqual(existing);
      expectError(await admin.post('/environments', { id: 'default', name: 'Impostor' }), 409, 'conflict');
    });

    it.each([
      ['an id with upper case', { id: 'Staging' }],
      ['an id starting with a hyphen', { id: '-staging' }],
      ['an id of 64 characters', { id: 'a'.repeat(64) }],
      ['an empty name', { name: '' }],
      ['a name with a control character', { name: 'a\u0007b' }],
      ['an access TTL under the minimum', { tokenSettings: { accessTokenTtlSeconds: 5 } }],
      ['a fractional TTL', { tokenSettings: { accessTokenTtlSeconds: 300.5 } }],
      ['an unknown algorithm', { tokenSettings: { signingAlgorithm: 'HS256' } }],
      ['the none algorithm', { tokenSettings: { signingAlgorithm: 'none' } }],
      ['an unknown cookie field', { tokenSettings: { cookie: { domain: 'example.com' } } }],
      ['a __Host- cookie name', { tokenSettings: { cookie: { name: '__Host-x' } } }],
      [
        'a refresh TTL not above the access TTL',
        { tokenSettings: { accessTokenTtlSeconds: 600, refreshTokenTtlSeconds: 600 } },
      ],
      ['SameSite=None without Secure', { tokenSettings: { cookie: { sameSite: 'none', secure: false } } }],
      ['a zero idle timeout', { sessionPolicy: { idleTimeoutSeconds: 0 } }],
      ['an unknown onLimit', { sessionPolicy: { onLimit: 'ignore' } }],
      ['a null onLimit', { sessionPolicy: { onLimit: null } }],
      ...BAD_BRANDING,
      ['a null branding field', { branding: { name: null } }],
      ['a null branding', { branding: null }],
      ['a string for allowPrivateTargets', { webhookSettings: { allowPrivateTargets: 'yes' } }],
      ['an unknown webhook setting', { webhookSettings: { allowRedirects: true } }],
      ['null webhookSettings', { webhookSettings: null }],
    ])('refuses %s with 400 invalid_request and creates nothing', async (_case, body) => {
      const before = await admin.read('/environments');
      const response = await admin.post('/environments', { id: uniqueId('env'), name: 'Bad', ...body });
      expectError(response, 400, 'invalid_request');
      expect(await admin.read('/environments')).toEqual(before);
    });

    it("refuses another environment's cookie name: one host, one `Path=/` (400 invalid_request)", async () => {
      for (const name of ['tessera_refresh', `tessera_refresh_${(await createEnvironment(admin)).id}`]) {
        const before = await admin.read('/environments');
        const response = await admin.post('/environments', {
          name: 'Clash',
          tokenSettings: { cookie: { name } },
        });
        expectError(response, 400, 'invalid_request');
        expect(response.json().message).toContain('cookie.name');
        expect(await admin.read('/environments')).toEqual(before);
      }
    });

    it('reports every settings problem at once', async () => {
      const response = await admin.post('/environments', {
        name: 'Bad',
        tokenSettings: {
          accessTokenTtlSeconds: 600,
          refreshTokenTtlSeconds: 60,
          cookie: { sameSite: 'none', secure: false },
        },
      });
      expectError(response, 400, 'invalid_request');
      const { message } = response.json();
      expect(message).toContain('refreshTokenTtlSeconds');
      expect(message).toContain('cookie.sameSite');
    });
  });

  describe('GET /environments', () => {
    it('lists the default environment and created ones', async () => {
      const created = await createEnvironment(admin);
      const list = (await admin.read('/environments')) as { id: string }[];
      expect(list.map((e) => e.id)).toEqual(expect.arrayContaining(['default', created.id]));
      expect(list.find((e) => e.id === 'default')).toMatchObject({ baseUrl: 'http://localhost:4000' });
    });

    it('answers an unknown environment with 404 not_found', async () => {
      expectError(await admin.get('/environments/nope'), 404, 'not_found');
    });
  });

  describe('PATCH /environments/{envId}', () => {
    it('changes only the given fields, the cookie deeply', async () => {
      const environment = await createEnvironment(admin, {
        sessionPolicy: { idleTimeoutSeconds: 900, maxConcurrentSessions: 2 },
      });
      const response = await admin.patch(`/environments/${environment.id}`, {
        name: 'Renamed',
        tokenSettings: { rotationGraceSeconds: 5, cookie: { sameSite: 'strict' } },
        sessionPolicy: { idleTimeoutSeconds: null, absoluteTimeoutSeconds: 86_400 },
      });
      expect(response.statusCode, response.body).toBe(200);
      const expected = {
        ...environment,
        name: 'Renamed',
        tokenSettings: {
          ...(environment.tokenSettings as object),
          rotationGraceSeconds: 5,
          cookie: { name: `tessera_refresh_${environment.id}`, sameSite: 'strict', secure: false },
        },
        sessionPolicy: {
          idleTimeoutSeconds: null,
          absoluteTimeoutSeconds: 86_400,
          maxConcurrentSessions: 2,
          onLimit: 'evict_oldest',
        },
      };
      expect(response.json()).toEqual(expected);
      expect(await admin.read(`/environments/${environment.id}`)).toEqual(expected);
    });

    it('changes only the given branding fields; null clears one', async () => {
      const environment = await createEnvironment(admin, {
        branding: { name: 'Acme', primaryColor: '#0e7490', logoUrl: 'https://acme.example/logo.svg' },
      });
      const response = await admin.patch(`/environments/${environment.id}`, {
        branding: { primaryColor: '#ABCDEF', logoUrl: null },
      });
      expect(response.statusCode, response.body).toBe(200);
      const expected = { ...environment, branding: { name: 'Acme', primaryColor: '#abcdef' } };
      expect(response.json()).toEqual(expected);
      expect(await admin.read(`/environments/${environment.id}`)).toEqual(expected);

      const cleared = await admin.patch(`/environments/${environment.id}`, {
        branding: { name: null, primaryColor: null, logoUrl: null },
      });
      expect(cleared.json()).toEqual({ ...environment, branding: {} });
      expect(await admin.read(`/environments/${environment.id}`)).toEqual({ ...environment, branding: {} });
    });

    it('keeps the branding when other fields change, and an empty branding patch changes nothing', async () => {
      const environment = await createEnvironment(admin, { branding: { name: 'Acme' } });
      expect((await admin.patch(`/environments/${environment.id}`, { name: 'Renamed' })).json()).toEqual({
        ...environment,
        name: 'Renamed',
      });
      expect((await admin.patch(`/environments/${environment.id}`, { branding: {} })).json()).toEqual({
        ...environment,
        name: 'Renamed',
      });
    });

    it('turns webhookSettings.allowPrivateTargets on and off, keeping the other settings', async () => {
      const environment = await createEnvironment(admin);
      const on = await admin.patch(`/environments/${environment.id}`, {
        webhookSettings: { allowPrivateTargets: true },
      });
      expect(on.statusCode, on.body).toBe(200);
      expect(on.json()).toEqual({ ...environment, webhookSettings: { allowPrivateTargets: true } });
      expect((await admin.server.deps.storage.getEnvironment(environment.id))?.webhookSettings).toEqual({
        allowPrivateTargets: true,
      });
      const off = await admin.patch(`/environments/${environment.id}`, {
        webhookSettings: { allowPrivateTargets: false },
      });
      expect(off.json()).toEqual(environment);
    });

    it('names each invalid branding field and its rule, all at once', async () => {
      const environment = await createEnvironment(admin);
      const response = await admin.patch(`/environments/${environment.id}`, {
        branding: { primaryColor: 'red', logoUrl: 'http://acme.example/logo.svg' },
      });
      expectError(response, 400, 'invalid_request');
      const { message } = response.json();
      expect(message).toContain('branding.primaryColor must be a colour of the form #rrggbb.');
      expect(message).toContain('branding.logoUrl must be an absolute https URL without credentials');
      expect(message).not.toContain('acme.example');
      expect(await admin.read(`/environments/${environment.id}`)).toEqual(environment);
    });

    it('rotates to a key of the new algorithm when signingAlgorithm changes', async () => {
      const environment = await createEnvironment(admin);
      const response = await admin.patch(`/environments/${environment.id}`, {
        tokenSettings: { signingAlgorithm: 'EdDSA' },
      });
      expect(response.statusCode, response.body).toBe(200);
      const { keys } = (await admin.read(`/environments/${environment.id}/keys`)) as {
        keys: { alg: string }[];
      };
      expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'EdDSA']);
    });

    it('does not rotate when the algorithm stays', async () => {
      const environment = await createEnvironment(admin);
      await admin.patch(`/environments/${environment.id}`, {
        tokenSettings: { signingAlgorithm: 'ES256', accessTokenTtlSeconds: 60 },
      });
      const { keys } = (await admin.read(`/environments/${environment.id}/keys`)) as { keys: unknown[] };
      expect(keys).toHaveLength(1);
    });

    it.each([
      ['an invalid merged cookie', { tokenSettings: { cookie: { sameSite: 'none' } } }],
      ['a refresh TTL under the access TTL', { tokenSettings: { refreshTokenTtlSeconds: 60 } }],
      ['a negative session limit', { sessionPolicy: { maxConcurrentSessions: -1 } }],
      ['a string for a number', { sessionPolicy: { idleTimeoutSeconds: '600' } }],
      ['an empty patch', {}],
      ['an id', { id: 'other' }],
      ...BAD_BRANDING,
      ['a null branding', { branding: null }],
      ['a string for allowPrivateTargets', { webhookSettings: { allowPrivateTargets: 'yes' } }],
      ['an unknown webhook setting', { webhookSettings: { allowRedirects: true } }],
      ['null webhookSettings', { webhookSettings: null }],
    ])('refuses %s with 400 invalid_request and changes nothing', async (_case, body) => {
      const environment = await createEnvironment(admin, {
        branding: { name: 'Acme', primaryColor: '#0e7490' },
      });
      const response = await admin.patch(`/environments/${environment.id}`, body);
      expectError(response, 400, 'invalid_request');
      expect(await admin.read(`/environments/${environment.id}`)).toEqual(environment);
      expect(
        ((await admin.read(`/environments/${environment.id}/keys`)) as { keys: unknown[] }).keys,
      ).toHaveLength(1);
    });

    it("refuses to take another environment's cookie name, and keeps its own", async () => {
      const environment = await createEnvironment(admin);
      const clash = await admin.patch(`/environments/${environment.id}`, {
        tokenSettings: { cookie: { name: 'tessera_refresh' } },
      });
      expectError(clash, 400, 'invalid_request');
      expect(await admin.read(`/environments/${environment.id}`)).toEqual(environment);
      const own = await admin.patch(`/environments/${environment.id}`, {
        tokenSettings: { cookie: { name: `tessera_refresh_${environment.id}`, sameSite: 'strict' } },
      });
      expect(own.statusCode, own.body).toBe(200);
    });

    it('answers an unknown environment with 404 not_found', async () => {
      expectError(await admin.patch('/environments/nope', { name: 'x' }), 404, 'not_found');
      expectError(await admin.get('/environments/nope'), 404, 'not_found');
    });

    it('applies a new idle timeout at the next refresh of existing sessions', async () => {
      const { envId, clientId, user } = await createLoginSetup(admin);
      const browser = await login(admin, { envId, clientId, email: user.email });
      admin.server.clock.advance(120);
      expect((await refresh(admin, browser)).statusCode).toBe(200);

      await admin.patch(`/environments/${envId}`, { sessionPolicy: { idleTimeoutSeconds: 60 } });
      expectError(await refresh(admin, browser), 401, 'idle_timeout');
    });

    it('applies a new absolute timeout at the next refresh of existing sessions', async () => {
      const { envId, clientId, user } = await createLoginSetup(admin);
      const browser = await login(admin, { envId, clientId, email: user.email });
      admin.server.clock.advance(120);
      expect((await refresh(admin, browser, { active: true })).statusCode).toBe(200);

      await admin.patch(`/environments/${envId}`, { sessionPolicy: { absoluteTimeoutSeconds: 100 } });
      expectError(await refresh(admin, browser, { active: true }), 401, 'relogin_required');
    });
  });

  describe('DELETE /environments/{envId}', () => {
    it('refuses to delete the default environment with 403 forbidden', async () => {
      const before = await admin.read('/environments/default');
      expectError(await admin.delete('/environments/default'), 403, 'forbidden');
      expect(await admin.read('/environments/default')).toEqual(before);
    });

    it('deletes an environment and everything in it', async () => {
      const environment = await createEnvironment(admin);
      await createClient(admin, environment.id);
      await createUser(admin, environment.id);
      const response = await admin.delete(`/environments/${environment.id}`);
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      expectError(await admin.get(`/environments/${environment.id}`), 404, 'not_found');

      await createEnvironment(admin, { id: environment.id });
      expect(await admin.read(`/environments/${environment.id}/clients`)).toEqual([]);
      expect(await admin.read(`/environments/${environment.id}/users`)).toEqual([]);
    });

    it('answers an unknown environment with 404 not_found', async () => {
      expectError(await admin.delete('/environments/nope'), 404, 'not_found');
    });
  });
});
