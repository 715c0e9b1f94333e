/**
 * A refused admin request names the input at fault in `field` (docs/errors.md): a JSON Pointer
 * into the body, or a path parameter's name; and it changes nothing.
 */
import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminClient, createEnvironment, createUser, startAdmin } from './admin.test-helpers.js';

let admin: AdminClient;
let envId: string;
beforeAll(async () => {
  admin = await startAdmin();
  envId = (await createEnvironment(admin)).id;
});
afterAll(async () => admin?.close());

const client = {
  name: 'Web',
  type: 'spa',
  redirectUris: ['https://app.example.com/cb'],
  allowedOrigins: ['https://app.example.com'],
  postLogoutRedirectUris: ['https://app.example.com/'],
};

describe('admin errors name the field', () => {
  it.each([
    [
      'an unexpected member',
      () => ['POST', `/environments/${envId}/clients`, { ...client, bogus: 1 }],
      '/bogus',
    ],
    ['a missing member', () => ['POST', `/environments/${envId}/tenants`, {}], '/name'],
    ['a mistyped member', () => ['POST', `/environments/${envId}/tenants`, { name: 5 }], '/name'],
    [
      'a list item the service refuses',
      () => [
        'POST',
        `/environments/${envId}/clients`,
        { ...client, redirectUris: ['https://a.example/cb', 'ftp://x'] },
      ],
      '/redirectUris/1',
    ],
    [
      'a nested member of the schema',
      () => ['PATCH', `/environments/${envId}`, { tokenSettings: { cookie: { name: 7 } } }],
      '/tokenSettings/cookie/name',
    ],
    [
      'a nested rule of the service',
      () => ['PATCH', `/environments/${envId}`, { sessionPolicy: { idleTimeoutSeconds: 0 } }],
      '/sessionPolicy/idleTimeoutSeconds',
    ],
    [
      'a refused email',
      () => ['POST', `/environments/${envId}/users`, { email: 'nope', password: 'x' }],
      '/email',
    ],
    ['a malformed path parameter', () => ['GET', '/environments/bad%20id/tenants', undefined], 'envId'],
  ] as const)('%s', async (_, request, field) => {
    const [method, url, body] = request() as unknown as readonly [HTTPMethods, string, unknown];
    const before = await admin.read(`/environments/${envId}`);
    const clients = await admin.read(`/environments/${envId}/clients`);
    const response = await admin.request({ method, url, body });
    expect(response.statusCode, response.body).toBe(400);
    const answer = response.json() as { error: string; message: string; field?: string };
    expect(answer).toEqual({ error: 'invalid_request', message: expect.any(String), field });
    expect(await admin.read(`/environments/${envId}`)).toEqual(before);
    expect(await admin.read(`/environments/${envId}/clients`)).toEqual(clients);
  });

  it('names an unexpected member in the message too, never its value', async () => {
    const response = await admin.post(`/environments/${envId}/tenants`, {
      name: 'Acme',
      secretish: 'hunter2',
    });
    expect(response.json().message).toContain('secretish');
    expect(response.body).not.toContain('hunter2');
  });

  it('answers no field for a refusal that is not about one input', async () => {
    await createUser(admin, envId, { email: 'taken@example.com' });
    const response = await admin.post(`/environments/${envId}/users`, {
      email: 'taken@example.com',
      password: 'a-long-unique-password-1',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).not.toHaveProperty('field');
  });
});
