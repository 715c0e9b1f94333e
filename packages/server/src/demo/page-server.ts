/**
 * Serves the demo page (examples/quickstart) on its own origin — a second port of the same site,
 * as an app and its auth server are deployed — with the server's URL and client id injected.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface DemoPageOptions {
  root: string;
  authBaseUrl: string;
  clientId: string;
}

export function createDemoPageServer(options: DemoPageOptions): Server {
  return createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://demo').pathname;
    if (path === '/config.json') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ baseUrl: options.authBaseUrl, clientId: options.clientId }));
      return;
    }
    const file = path === '/' || !extname(path) ? 'index.html' : path.slice(1);
    const type = TYPES[extname(file)];
    if (!type || file.includes('..') || file.includes('/')) {
      response.writeHead(404).end('Not found');
      return;
    }
    try {
      const body = await readFile(join(options.root, file));
      response.writeHead(200, {
        'content-type': type,
        'cache-control': 'no-cache',
        'content-security-policy': `default-src 'self'; connect-src 'self' ${options.authBaseUrl}; frame-ancestors 'none'`,
        'x-content-type-options': 'nosniff',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end('Not found');
    }
  });
}
