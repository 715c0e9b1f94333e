/** `/admin/v1/environments/{envId}/clients` (DESIGN §3.3). */
import { createHash } from 'node:crypto';
import { backendsUnderTest } from '@tessera/testing/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  createClient,
  createEnvironment,
  createLoginSetup,
  expectError,
  loginAs,
  PASSWORD,
  startAdmin,
  uniqueId,
} from './admin.test-helpers.js';

const backends = await backendsUnderTest();

describe.each(backends)('on %s', (backend) => {
  let admin: AdminClient;
  let envId: string;
  beforeAll(async () => {
    admin = await startAdmin({ backend });
    envId = (await createEnvironment(admin)).id;
  });
  afterAll(async () => {
    await admin?.close();
  });

  const spa = {
    name: 'Web app',
    type: 'spa',
    redirectUris: ['https://app.example.com/callback', 'http://localhost:5173/callback'],
    allowedOrigins: ['https://app.example.com', 'http://localhost:5173'],
    postLogoutRedirectUris: ['https://app.example.com/'],
  };

  describe('POST …/clients', () => {
    it('registers a spa client, without a secret', async () => {
      const clientId = uniqueId('web');
      const response = await admin.post(`/environments/${envId}/clients`, { clientId, ...spa });
      expect(response.statusCode, response.body).toBe(201);
      const client = response.json();
      expect(client).toEqual({ clientId, ...spa, createdAt: expect.any(String) });
      expect(new Date(client.createdAt).getTime()).toBe(admin.server.clock.now() * 1000);
      expect(await admin.read(`/environments/${envId}/clients/${clientId}`)).toEqual(client);
      expect((await admin.server.deps.storage.getClient(envId, clientId))?.secretHash).toBeNull();
    });

    it('registers a confidential client and shows its secret once, storing only its SHA-256', async () => {
      const response = await admin.post(`/environments/${envId}/clients`, { ...spa, type: 'confidential' });
      expect(response.statusCode, response.body).toBe(201);
      const { clientId, clientSecret } = response.json();
      expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const stored = await admin.server.deps.storage.getClient(envId, clientId);
      expect(stored?.secretHash).toBe(createHash('sha256').update(clientSecret).digest('base64url'));
      for (const url of [`/environments/${envId}/clients/${clientId}`, `/environments/${envId}/clients`]) {
        const body = (await admin.get(url)).body;
        expect(body).not.toContain(clientSecret);
        expect(body).not.toContain(stored?.secretHash);
        expect(body).not.toContain('secret');
      }
    });

    it('generates a client id when none is given', async () => {
      const client = await createClient(admin, envId);
      expect(client.clientId).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    });

    it('refuses a taken client id with 409 conflict and keeps the existing client', async () => {
      const existing = await createClient(admin, envId);
      const response = await admin.post(`/environments/${envId}/clients`, {
        ...spa,
        clientId: existing.clientId,
        name: 'Impostor',
      });
      expectError(response, 409, 'conflict');
      expect(await admin.read(`/environments/${envId}/clients/${existing.clientId}`)).toEqual(existing);
    });

    it.each([
      ['an origin with a path', { allowedOrigins: ['https://app.example.com/app'] }],
      ['an origin with a trailing slash', { allowedOrigins: ['https://app.example.com/'] }],
      ['a wildcard origin', { allowedOrigins: ['https://*.example.com'] }],
      ['a plain-http origin off loopback', { allowedOrigins: ['http://app.example.com'] }],
      ['a duplicate origin', { allowedOrigins: ['https://app.example.com', 'https://app.example.com'] }],
      ['a redirect URI with a fragment', { redirectUris: ['https://app.example.com/cb#frag'] }],
      ['a relative redirect URI', { redirectUris: ['/callback'] }],
      ['a plain-http redirect URI off loopback', { redirectUris: ['http://app.example.com/cb'] }],
      ['a javascript: redirect URI', { redirectUris: ['javascript:alert(1)'] }],
      ['a post-logout URI with a fragment', { postLogoutRedirectUris: ['https://app.example.com/#bye'] }],
      [
        '21 redirect URIs',
        { redirectUris: Array.from({ length: 21 }, (_, i) => `https://app.example.com/cb${i}`) },
      ],
      ['a 2049-character redirect URI', { redirectUris: [`https://app.example.com/${'a'.repeat(2025)}`] }],
      ['an unknown type', { type: 'public' }],
      ['a client id with a slash', { clientId: 'a/b' }],
      ['a secret chosen by the caller', { type: 'confidential', clientSecret: 'hunter2hunter2' }],
    ])('refuses %s with 400 invalid_request and registers nothing', async (_case, body) => {
      const before = await admin.read(`/environments/${envId}/clients`);
      expectError(
        await admin.post(`/environments/${envId}/clients`, { ...spa, ...body }),
        400,
        'invalid_request',
      );
      expect(await admin.read(`/environments/${envId}/clients`)).toEqual(before);
    });

    it('reports every URL problem at once, by field and index', async () => {
      const response = await admin.post(`/environments/${envId}/clients`, {
        ...spa,
        allowedOrigins: ['https://ok.example.com', 'https://bad.example.com/'],
        redirectUris: ['http://evil.example.com/cb'],
      });
      expectError(response, 400, 'invalid_request');
      expect(response.json().message).toMatch(/allowedOrigins\[1\].*redirectUris\[0\]/);
    });

    it('answers an unknown environment with 404 not_found', async () => {
      expectError(await admin.post('/environments/nope/clients', spa), 404, 'not_found');
      expectError(await admin.get('/environments/nope/clients'), 404, 'not_found');
    });
  });

  describe('GET …/clients', () => {
    it('lists the clients of the environment only', async () => {
      const other = await createEnvironment(admin);
      const mine = await createClient(admin, other.id);
      expect(await admin.read(`/environments/${other.id}/clients`)).toEqual([mine]);
      expectError(await admin.get(`/environments/${envId}/clients/${mine.clientId}`), 404, 'not_found');
    });
  });

  describe('PATCH …/clients/{clientId}', () => {
    it('changes only the given fields, and the login origin check follows', async () => {
      const { envId: env, clientId, user } = await createLoginSetup(admin);
      const client = await admin.read(`/environments/${env}/clients/${clientId}`);
      const loginFrom = (origin: string) =>
        admin.server.app.inject({
          method: 'POST',
          url: `/e/${env}/auth/v1/login`,
          headers: { 'content-type': 'application/json', origin },
          payload: JSON.stringify({ clientId, email: user.email, password: PASSWORD }),
        });
      expectError(await loginFrom('https://new.example.com'), 403, 'csrf_rejected');

      const response = await admin.patch(`/environments/${env}/clients/${clientId}`, {
        allowedOrigins: ['https://new.example.com'],
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual({ ...(client as object), allowedOrigins: ['https://new.example.com'] });
      expect((await loginFrom('https://new.example.com')).statusCode).toBe(200);
      expectError(await loginFrom('https://app.example.com'), 403, 'csrf_rejected');
    });

    it.each([
      ['an invalid origin', { allowedOrigins: ['https://x.example.com/'] }],
      ['a type change', { type: 'confidential' }],
      ['a client id change', { clientId: 'other' }],
      ['an empty patch', {}],
    ])('refuses %s with 400 invalid_request and changes nothing', async (_case, body) => {
      const client = await createClient(admin, envId);
      expectError(
        await admin.patch(`/environments/${envId}/clients/${client.clientId}`, body),
        400,
        'invalid_request',
      );
      expect(await admin.read(`/environments/${envId}/clients/${client.clientId}`)).toEqual(client);
    });

    it('answers an unknown client with 404 not_found', async () => {
      expectError(await admin.patch(`/environments/${envId}/clients/nope`, { name: 'x' }), 404, 'not_found');
    });
  });

  describe('DELETE …/clients/{clientId}', () => {
    it('deletes the client: logins through it stop', async () => {
      const { envId: env, clientId, user } = await createLoginSetup(admin);
      expect((await loginAs(admin, { envId: env, clientId, email: user.email })).statusCode).toBe(200);
      expect((await admin.delete(`/environments/${env}/clients/${clientId}`)).statusCode).toBe(204);
      expectError(await admin.get(`/environments/${env}/clients/${clientId}`), 404, 'not_found');
      expectError(await loginAs(admin, { envId: env, clientId, email: user.email }), 400, 'invalid_request');
      expectError(await admin.delete(`/environments/${env}/clients/${clientId}`), 404, 'not_found');
    });
  });
});
