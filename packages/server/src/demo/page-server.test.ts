import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoPageServer } from './page-server.js';

const AUTH = 'http://localhost:4000';
const INDEX = '<!doctype html><title>demo</title>';

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('the demo page server', () => {
  const root = mkdtempSync(join(tmpdir(), 'tessera-demo-dist-'));
  const server = createDemoPageServer({ root, authBaseUrl: AUTH, clientId: 'demo' });
  let base: string;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), INDEX);
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(root, 'assets', 'index-AbC123.js'), 'export {};');
    writeFileSync(join(root, 'secret.txt'), 'not served');
    base = await listen(server);
  });

  afterAll(() => {
    server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('gives the app its auth server and client at /config.json, never cached', async () => {
    const response = await fetch(`${base}/config.json`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ baseUrl: AUTH, clientId: 'demo' });
  });

  it.each(['/', '/callback', '/callback?code=abc&state=xyz', '/some/route'])(
    'answers %s with index.html under a strict CSP (a single-page app)',
    async (path) => {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(
        `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' ${AUTH}; ` +
          "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'",
      );
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toBe(INDEX);
    },
  );

  it('serves Vite’s hashed assets for a year, and root files', async () => {
    const script = await fetch(`${base}/assets/index-AbC123.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe('export {};');
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it.each([
    '/secret.txt',
    '/assets/missing.js',
    '/assets/../secret.txt',
    '/%2e%2e/package.json',
    '/assets/nested/file.js',
    '/.hidden.js',
    '/assets/%2e%2e%2fsecret.js',
  ])('refuses %s with 404', async (path) => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('Not found');
  });

  it('allows only GET and HEAD', async () => {
    const post = await fetch(`${base}/`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('says how to build the app when it is not built', async () => {
    const unbuilt = createDemoPageServer({
      root: join(root, 'missing'),
      authBaseUrl: AUTH,
      clientId: 'demo',
    });
    const url = await listen(unbuilt);
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
    unbuilt.close();
  });

  it('names the example API in /config.json and lets the page connect to it', async () => {
    const api = 'http://localhost:4002';
    const withApi = createDemoPageServer({ root, authBaseUrl: AUTH, clientId: 'demo', apiUrl: api });
    const url = await listen(withApi);
    try {
      expect(await (await fetch(`${url}/config.json`)).json()).toEqual({
        baseUrl: AUTH,
        clientId: 'demo',
        apiUrl: api,
      });
      const page = await fetch(`${url}/`);
      expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${AUTH} ${api};`);
    } finally {
      withApi.close();
    }
  });
});
