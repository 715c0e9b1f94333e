/**
 * The container image (issue #12, docs/container.md), built and started with Debian's podman as CI
 * does on its VM: scripts/build-image.sh makes the image, podman runs it with a published port and a
 * named volume, and the host signs in over HTTP. Then the container is stopped (SIGTERM to node, PID
 * 1) and a new one started on the same volume: the user, the secret and the signing key are still
 * there. `npm run test:container` (not part of `npm test`: it needs root, podman, runc, debootstrap
 * and a minute or two).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createVerifier } from '@tessera/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRequest } from '../../e2e/support/admin-request.js';
import { freePort, until } from '../../e2e/support/processes.js';
import { REPOSITORY } from '../../scripts/packages.js';

const run = promisify(execFile);

const RUN_ID = randomBytes(6).toString('hex');
const IMAGE = `localhost/tessera:test-${RUN_ID}`;
const VOLUME = `tessera-test-${RUN_ID}`;
const ADMIN_KEY = `container-test-admin-key-${randomBytes(16).toString('hex')}`;
const CLIENT_ID = 'shop';
const APP_ORIGIN = 'http://localhost:5999';
const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse battery staple';

/**
 * As root on this VM podman asks for RLIMIT_NOFILE 1048576 and a large RLIMIT_NPROC, above the VM's
 * hard limits, and root lacks CAP_SYS_RESOURCE: the container fails to start unless it asks for less.
 */
const PODMAN_RUN = [
  'run',
  '--runtime',
  'runc',
  '--ulimit',
  'nofile=8192:8192',
  '--ulimit',
  'nproc=4096:4096',
];

const podman = async (...args: string[]): Promise<string> =>
  (await run('podman', args, { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();

interface Started {
  name: string;
  url: string;
}

/** `podman run -d` of the image on a free port and the test's volume, waited for until /readyz is 200. */
async function start(): Promise<Started> {
  const port = await freePort();
  const name = `tessera-test-${RUN_ID}-${port}`;
  const url = `http://localhost:${port}`;
  await podman(
    ...PODMAN_RUN,
    '--detach',
    '--name',
    name,
    '--publish',
    `127.0.0.1:${port}:4000`,
    '--volume',
    `${VOLUME}:/var/lib/tessera`,
    '--env',
    `TESSERA_PUBLIC_URL=${url}`,
    '--env',
    `TESSERA_ADMIN_KEY=${ADMIN_KEY}`,
    '--env',
    'TESSERA_LOG_LEVEL=warn',
    IMAGE,
  );
  try {
    await until(
      async () => {
        const state = await podman('inspect', '--format', '{{.State.Status}}', name);
        if (state !== 'running') throw new Error(`the container is ${state}`);
        return (await fetch(`${url}/readyz`).catch(() => null))?.status === 200;
      },
      `${name} to be ready`,
      60_000,
      200,
    );
  } catch (error) {
    const logs = await podman('logs', name).catch(() => '');
    throw new Error(`${String(error)}\n${logs}`);
  }
  return { name, url };
}

const admin = (url: string, method: string, path: string, body: unknown) =>
  adminRequest(url, ADMIN_KEY, method, path, body);

async function login(url: string): Promise<{ status: number; accessToken?: string }> {
  const response = await fetch(`${url}/auth/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: APP_ORIGIN },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD, clientId: CLIENT_ID }),
  });
  const answer = (await response.json()) as { accessToken?: string };
  return { status: response.status, accessToken: answer.accessToken };
}

async function verified(url: string, token: string): Promise<Record<string, unknown>> {
  const verifier = createVerifier({ issuer: url, audience: CLIENT_ID });
  try {
    return { ...(await verifier.verify(token)) };
  } finally {
    await verifier.close();
  }
}

const kidOf = (token: string): string =>
  JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')).kid;

describe('the container image, built and run with podman', () => {
  const containers: string[] = [];

  beforeAll(async () => {
    await run(join(REPOSITORY, 'scripts/build-image.sh'), [], {
      env: { ...process.env, TESSERA_IMAGE: IMAGE },
      maxBuffer: 16 * 1024 * 1024,
    });
    await podman('volume', 'create', VOLUME);
  }, 300_000);

  afterAll(async () => {
    for (const name of containers) await podman('rm', '--force', '--time', '0', name).catch(() => '');
    await podman('volume', 'rm', '--force', VOLUME).catch(() => '');
    await podman('rmi', '--force', IMAGE).catch(() => '');
  }, 60_000);

  it('holds the server from its tarball, runs it as an unprivileged user, without the demo', async () => {
    const user = await podman(...PODMAN_RUN, '--rm', '--entrypoint', 'id', IMAGE, '-u');
    expect(user).toBe('10001');
    const listing = await podman(
      ...PODMAN_RUN,
      '--rm',
      '--entrypoint',
      'ls',
      IMAGE,
      '/opt/tessera/node_modules/@tessera/server/dist',
    );
    expect(listing.split('\n')).toContain('console');
    expect(listing.split('\n')).not.toContain('demo');
    expect(await podman(...PODMAN_RUN, '--rm', '--entrypoint', 'node', IMAGE, '--version')).toBe(
      process.version,
    );
  }, 60_000);

  it('serves a login to the host; a new container on the same volume keeps the user and the key', async () => {
    const first = await start();
    containers.push(first.name);
    await admin(first.url, 'POST', '/environments/default/clients', {
      clientId: CLIENT_ID,
      name: 'Shop',
      type: 'spa',
      redirectUris: [`${APP_ORIGIN}/callback`],
      allowedOrigins: [APP_ORIGIN],
      postLogoutRedirectUris: [`${APP_ORIGIN}/`],
    });
    const user = (await admin(first.url, 'POST', '/environments/default/users', {
      email: EMAIL,
      password: PASSWORD,
    })) as { id: string };
    await admin(first.url, 'POST', '/environments/default/roles', {
      key: 'member',
      name: 'Member',
      permissions: [],
    });
    await admin(first.url, 'POST', '/environments/default/tenants', { id: 'acme', name: 'Acme' });
    await admin(first.url, 'PUT', `/environments/default/tenants/acme/members/${user.id}`, {
      roles: ['member'],
    });

    const before = await login(first.url);
    expect(before.status).toBe(200);
    expect(await verified(first.url, before.accessToken as string)).toMatchObject({
      sub: user.id,
      iss: first.url,
      tenantId: 'acme',
    });

    // `podman stop` sends SIGTERM to node (PID 1): a clean shutdown is exit code 0, not a kill.
    await podman('stop', '--time', '20', first.name);
    expect(await podman('inspect', '--format', '{{.State.ExitCode}}', first.name)).toBe('0');

    const second = await start();
    containers.push(second.name);
    const after = await login(second.url);
    expect(after.status).toBe(200);
    expect(await verified(second.url, after.accessToken as string)).toMatchObject({ sub: user.id });
    // The same signing key: it was stored encrypted under secret.key, both in the volume.
    expect(kidOf(after.accessToken as string)).toBe(kidOf(before.accessToken as string));
    expect(await podman('exec', second.name, 'ls', '/var/lib/tessera')).toMatch(
      /secret\.key[\s\S]*tessera\.db/,
    );
  }, 180_000);
});
