/**
 * The hosted login's stylesheets. Their URLs carry a content hash (or the colour itself), so they
 * are immutable and cached for a year; nothing here reads storage.
 */
import type { FastifyInstance } from 'fastify';
import {
  ACCOUNT_STYLESHEET,
  ACCOUNT_STYLESHEET_PATH,
  BRAND_STYLESHEET_PATH,
  LOGIN_STYLESHEET,
  LOGIN_STYLESHEET_PATH,
  renderBrandStylesheet,
} from '../../login-ui/index.js';
import { allowOnly } from '../methods.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

export async function oauthAssetRoutes(app: FastifyInstance): Promise<void> {
  app.get(LOGIN_STYLESHEET_PATH, async (_request, reply) => {
    void reply.type('text/css; charset=utf-8').header('cache-control', IMMUTABLE);
    return LOGIN_STYLESHEET;
  });

  app.get(ACCOUNT_STYLESHEET_PATH, async (_request, reply) => {
    void reply.type('text/css; charset=utf-8').header('cache-control', IMMUTABLE);
    return ACCOUNT_STYLESHEET;
  });

  app.get<{ Querystring: { c?: string } }>(BRAND_STYLESHEET_PATH, async (request, reply) => {
    // Anything but six hex digits falls back to the default colour inside the renderer.
    const colour = typeof request.query.c === 'string' ? `#${request.query.c}` : undefined;
    void reply.type('text/css; charset=utf-8').header('cache-control', IMMUTABLE);
    return renderBrandStylesheet({ primaryColor: colour });
  });

  allowOnly(app, {
    [LOGIN_STYLESHEET_PATH]: ['GET'],
    [ACCOUNT_STYLESHEET_PATH]: ['GET'],
    [BRAND_STYLESHEET_PATH]: ['GET'],
  });
}
