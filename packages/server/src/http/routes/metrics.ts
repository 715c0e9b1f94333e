/**
 * `GET /metrics` (docs/operations.md, "Metrics"): the Prometheus exposition, behind
 * `Authorization: Bearer <TESSERA_METRICS_TOKEN>`. Both sides of the token are hashed before a
 * constant-time comparison, as for the admin key, so neither its content nor its length leaks
 * through timing. Registered only when the token is set: otherwise the path is a plain 404.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { TesseraError } from '../../errors.js';
import { allowOnly } from '../methods.js';

export const METRICS_REALM = 'tessera-metrics';

const BEARER = /^Bearer +(\S+)$/i;

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export interface MetricsRouteOptions {
  token: string;
  contentType: string;
  render(): Promise<string>;
}

export async function metricsRoutes(app: FastifyInstance, options: MetricsRouteOptions): Promise<void> {
  const expected = sha256(options.token);
  app.get('/metrics', async (request, reply) => {
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(sha256(presented), expected)) {
      void reply.header('www-authenticate', `Bearer realm="${METRICS_REALM}"`);
      throw new TesseraError('unauthorized');
    }
    void reply.header('content-type', options.contentType).header('cache-control', 'no-store');
    return options.render();
  });
  allowOnly(app, { '/metrics': ['GET'] });
}
