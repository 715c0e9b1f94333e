/**
 * A relying party's origin for browser tests: a few fixed pages served from `http://localhost:<port>`,
 * another origin of the same site as Tessera's `http://localhost:<port>` (as an app and its auth
 * server usually are: SameSite=Lax cookies go along, CORS applies).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { freePort } from './processes.js';

export interface Asset {
  type: 'html' | 'js';
  body: string;
}

export interface AppOrigin {
  /** `http://localhost:<port>`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/**
 * Serves `assets` by path (`/`, `/callback`, `/sdk.js`, …); `/favicon.ico` is an empty 204, the
 * rest 404. Assets that name the origin itself (a redirect URI) come from a function of it.
 */
export async function serveAppOrigin(
  assets: Record<string, Asset> | ((url: string) => Record<string, Asset>),
): Promise<AppOrigin> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const served = typeof assets === 'function' ? assets(url) : assets;
  const server = createServer((request, response) => {
    const asset = served[new URL(request.url ?? '/', url).pathname];
    if (asset) {
      response.writeHead(200, { 'content-type': CONTENT_TYPES[asset.type], 'cache-control': 'no-store' });
      response.end(asset.body);
    } else if (request.url === '/favicon.ico') {
      response.writeHead(204).end();
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Chromium keeps connections alive; they would hold close() open.
        server.closeAllConnections();
      }),
  };
}
