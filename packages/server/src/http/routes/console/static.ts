/**
 * The admin console's built files (DESIGN §3.7) at `/console`: `packages/console`, built by
 * `npm run build` into the server package's `dist/console/`. A single-page app: a path that names
 * a built file gets it, anything else under `/console` gets index.html, except under `assets/`
 * (a missing hashed file is a 404, not a page). Hashed assets are immutable; index.html is
 * revalidated, so a new build is picked up at once. Every answer carries the console's CSP.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { allowOnly } from '../../methods.js';

/** No inline script or style; the console talks only to this origin (the admin API). */
export const CONSOLE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/**
 * Where `npm run build` puts the console: `<server package>/dist/console/`. This file sits at the
 * same depth under `src/` (tests, tsx) and `dist/` (`npm start`), so one relative path finds it.
 */
export const BUILT_CONSOLE_DIR = fileURLToPath(new URL('../../../../dist/console/', import.meta.url));

const IMMUTABLE = 'public, max-age=31536000, immutable';
const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Tessera console</title></head>
<body><h1>The console is not built</h1><p>The console is not built: run <code>npm run build</code>, then restart the server.</p></body>
</html>
`;

export interface ConsoleStaticOptions {
  /** The built console; {@link BUILT_CONSOLE_DIR} unless a test gives its own. */
  root: string;
}

export async function consoleStaticRoutes(
  app: FastifyInstance,
  options: ConsoleStaticOptions,
): Promise<void> {
  app.addHook('onRequest', async (_request, reply) => {
    void reply
      .header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY)
      // Not no-referrer: with it, a browser sends `Origin: null` on the console's own POSTs, which
      // must prove they are same-origin (csrf.ts). Other origins get nothing.
      .header('referrer-policy', 'same-origin');
  });
  allowOnly(app, { '/console': ['GET'], '/console/*': ['GET'] });

  const files = builtFiles(options.root);
  if (!files.has('index.html')) {
    const notBuilt = async (_request: unknown, reply: FastifyReply) =>
      reply
        .status(503)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(NOT_BUILT_PAGE);
    app.get('/console', notBuilt);
    app.get('/console/*', notBuilt);
    return;
  }

  // Only reply.sendFile: which paths exist is decided here, from the files the build wrote.
  await app.register(fastifyStatic, { root: options.root, serve: false, cacheControl: false, index: false });
  const sendIndex = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html');
  app.get('/console', async (_request, reply) => sendIndex(reply));
  app.get<{ Params: { '*': string } }>('/console/*', async (request, reply) => {
    const path = request.params['*'];
    if (files.has(path)) {
      return reply
        .header('cache-control', path.startsWith('assets/') ? IMMUTABLE : 'no-cache')
        .sendFile(path);
    }
    if (path.startsWith('assets/') || path.startsWith('api/')) return reply.callNotFound();
    return sendIndex(reply);
  });
}

/** The build's files, relative to `root` with `/` separators; empty when `root` does not exist. */
function builtFiles(root: string): Set<string> {
  let entries: string[];
  try {
    entries = readdirSync(root, { recursive: true, encoding: 'utf8' });
  } catch {
    return new Set();
  }
  return new Set(
    entries
      .filter((entry) => statSync(join(root, entry)).isFile())
      .map((entry) => relative('.', entry).split(sep).join('/')),
  );
}
