/** The world a fault case needs, set up through the admin API as an operator would. */

import { cookieOf, describe, login, ORIGIN, PASSWORD } from './http.js';
import type { Deployment } from './server-process.js';

export const REDIRECT_URI = `${ORIGIN}/callback`;

/** The spa client `app`, and `users` users (user0@faults.example …) each with a membership of `acme`. */
export async function seedUsers(deployment: Deployment, users: number): Promise<string[]> {
  await deployment.admin('POST', '/environments/default/clients', {
    clientId: 'app',
    name: 'App',
    type: 'spa',
    redirectUris: [REDIRECT_URI],
    allowedOrigins: [ORIGIN],
    postLogoutRedirectUris: [ORIGIN],
  });
  await deployment.admin('POST', '/environments/default/tenants', { id: 'acme', name: 'Acme' });
  const emails: string[] = [];
  for (let i = 0; i < users; i++) emails.push(await addUser(deployment, `user${i}@faults.example`));
  return emails;
}

export async function addUser(deployment: Deployment, email: string): Promise<string> {
  const user = await deployment.admin<{ id: string }>('POST', '/environments/default/users', {
    email,
    password: PASSWORD,
    name: email.split('@')[0],
  });
  await deployment.admin('PUT', `/environments/default/tenants/acme/members/${user.id}`, { roles: [] });
  return email;
}

/** Logs each user in once; their first refresh cookies. */
export async function logInAll(baseUrl: string, emails: string[]): Promise<string[]> {
  const cookies: string[] = [];
  for (const email of emails) {
    const answer = await login(baseUrl, email);
    const cookie = cookieOf(answer);
    if (!cookie) throw new Error(`login of ${email} failed: ${describe(answer)}`);
    cookies.push(cookie);
  }
  return cookies;
}

/** The environment's live sessions (fewer than 100 in every case here: one page). */
export async function liveSessionCount(deployment: Deployment): Promise<number> {
  const page = await deployment.admin<unknown[]>('GET', '/environments/default/sessions?limit=100');
  return page.length;
}
