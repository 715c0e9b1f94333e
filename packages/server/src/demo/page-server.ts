/**
 * Serves the demo app (examples/demo, built by `npm run build` into examples/demo/dist) on its own
 * origin — a second port of the same site, as an app and its auth server are deployed — with the
 * server's URL, client id and the example API's URL at /config.json. A single-page app: any path without a file extension
 * (`/`, `/callback`) gets index.html; Vite's hashed files live under /assets/.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** A file at the root (`/favicon.svg`) or a built asset (`/assets/index-3f2a.js`): no `..`, no other folders. */
const FILE_PATH = /^\/(?:assets\/)?[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export interface DemoPageOptions {
  /** The built app: examples/demo/dist. */
  root: string;
  authBaseUrl: string;
  clientId: string;
  /** The example API the app calls (examples/api); omitted when it does not run. */
  apiUrl?: string;
}

/**
 * The demo's policy: its own scripts and styles only; it talks to itself, to the auth server and
 * to the example API.
 */
export function demoContentSecurityPolicy(authBaseUrl: string, apiUrl?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self' ${authBaseUrl}${apiUrl ? ` ${apiUrl}` : ''}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function createDemoPageServer(options: DemoPageOptions): Server {
  const securityHeaders = {
    'content-security-policy': demoContentSecurityPolicy(options.authBaseUrl, options.apiUrl),
    'x-content-type-options': 'nosniff',
    // /callback carries a one-time code until the SDK strips it: never send the URL anywhere.
    'referrer-policy': 'no-referrer',
  };
  return createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://demo').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end('Method not allowed');
      return;
    }
    if (path === '/config.json') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(
        JSON.stringify({
          baseUrl: options.authBaseUrl,
          clientId: options.clientId,
          ...(options.apiUrl && { apiUrl: options.apiUrl }),
        }),
      );
      return;
    }
    const isFile = extname(path) !== '';
    const type = TYPES[isFile ? extname(path) : '.html'];
    if (isFile && (!type || !FILE_PATH.test(path))) {
      response.writeHead(404).end('Not found');
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(join(options.root, isFile ? path.slice(1) : 'index.html'));
    } catch {
      if (isFile) {
        response.writeHead(404).end('Not found');
      } else {
        response
          .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
          .end('The demo app is not built: run `npm run build` (or `npm start`, which builds it).\n');
      }
      return;
    }
    response.writeHead(200, {
      'content-type': type ?? 'application/octet-stream',
      // Hashed names never change content; index.html must be revalidated to pick up a new build.
      'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...securityHeaders,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
}
