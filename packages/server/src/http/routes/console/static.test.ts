/** The built admin console at `/console` (DESIGN §3.7), served from a small fixture build. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CONSOLE_DIR, CONSOLE_CONTENT_SECURITY_POLICY } from './static.js';

const INDEX =
  '<!doctype html><title>Console</title><script type="module" src="/console/assets/index-3f2a9c.js"></script>';
const SCRIPT = 'console.log("console");';

let root: string;
let built: TestServer;
let unbuilt: TestServer;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tessera-console-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'index-3f2a9c.js'), SCRIPT);
  writeFileSync(join(root, 'assets', 'index-77ab01.css'), 'body{margin:0}');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  [built, unbuilt] = await Promise.all([
    createTestServer({ consoleRoot: root }),
    createTestServer({ consoleRoot: join(root, 'no-such-build') }),
  ]);
});
afterAll(async () => {
  await Promise.all([built?.close(), unbuilt?.close()]);
  rmSync(root, { recursive: true, force: true });
});

const get = (server: TestServer, url: string, method: 'GET' | 'HEAD' | 'POST' = 'GET') =>
  server.app.inject({ method, url });

function expectConsoleHeaders(response: LightMyRequestResponse): void {
  expect(response.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('same-origin');
}

function expectIndex(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  expect(response.headers['cache-control']).toBe('no-cache');
  expect(response.body).toBe(INDEX);
  expectConsoleHeaders(response);
}

describe('a built console', () => {
  it.each(['/console', '/console/', '/console/users', '/console/environments/default/tenants/acme'])(
    'answers %s with index.html (a single-page app), revalidated',
    async (url) => {
      expectIndex(await get(built, url));
    },
  );

  it('serves hashed assets with their type, cached for a year', async () => {
    const script = await get(built, '/console/assets/index-3f2a9c.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body).toBe(SCRIPT);
    expectConsoleHeaders(script);
    const style = await get(built, '/console/assets/index-77ab01.css');
    expect(style.headers['content-type']).toMatch(/^text\/css/);
  });

  it('serves other built files, revalidated', async () => {
    const icon = await get(built, '/console/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it.each(['/console/assets/missing-000000.js', '/console/assets/', '/console/api/nothing-here'])(
    'answers %s with 404, not the page',
    async (url) => {
      const response = await get(built, url);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: 'not_found' });
      expectConsoleHeaders(response);
    },
  );

  it.each([
    '/console/../package.json',
    '/console/%2e%2e/%2e%2e/package.json',
    '/console/assets/..%2f..%2fpackage.json',
    '/console/..%5c..%5cpackage.json',
  ])('never serves a file outside the build: %s', async (url) => {
    const response = await get(built, url);
    expect(response.body).not.toContain('"name"');
    if (response.statusCode === 200) expect(response.body).toBe(INDEX);
  });

  it('answers HEAD like GET, and other methods with 405', async () => {
    const head = await get(built, '/console/users', 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    const post = await get(built, '/console/users', 'POST');
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expectConsoleHeaders(post);
  });
});

describe('a console that is not built', () => {
  it.each(['/console', '/console/users', '/console/assets/index-3f2a9c.js'])(
    'answers %s with a 503 page saying how to build it',
    async (url) => {
      const response = await get(unbuilt, url);
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toContain('The console is not built: run <code>npm run build</code>');
      expectConsoleHeaders(response);
    },
  );
});

describe('the build directory', () => {
  it('is dist/console/ of the server package, found from src/ and dist/ alike', () => {
    expect(BUILT_CONSOLE_DIR.replaceAll('\\', '/')).toMatch(/\/packages\/server\/dist\/console\/$/);
  });
});
