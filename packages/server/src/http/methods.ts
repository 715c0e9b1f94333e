import type { FastifyInstance, HTTPMethods } from 'fastify';
import { TesseraError } from '../errors.js';

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE'];

/**
 * Answers `405 method_not_allowed` with an `Allow` header for the methods a path does not serve
 * (CSRF-02: `GET /refresh` is a 405, not a 404; OPS-08: TRACE is a 405).
 */
export function allowOnly(app: FastifyInstance, table: Record<string, HTTPMethods[]>): void {
  for (const [url, allowed] of Object.entries(table)) {
    const served = new Set<HTTPMethods>(allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed);
    const others = METHODS.filter((m) => !served.has(m));
    app.route({
      method: others,
      url,
      handler: async (_request, reply) => {
        void reply.header('allow', [...served].join(', '));
        throw new TesseraError('method_not_allowed');
      },
    });
  }
}
