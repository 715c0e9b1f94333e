/**
 * CORS for the session API (CK-07): only origins registered by one of the environment's clients,
 * echoed exactly, with credentials and `Vary: Origin`. Everything else gets no CORS headers.
 */
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServiceDeps } from '../service/deps.js';
import { environmentIdOf } from './environment.js';

const REFUSED = { origin: false } as const;

export async function registerSessionCors(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  await app.register(cors, {
    delegator: async (request: FastifyRequest): Promise<FastifyCorsOptions> => {
      const origin = request.headers.origin;
      if (!origin) return REFUSED;
      const clients = await deps.storage.listClients(environmentIdOf(request));
      if (!clients.some((c) => c.allowedOrigins.includes(origin))) return REFUSED;
      return {
        origin,
        credentials: true,
        methods: ['GET', 'POST', 'PUT', 'DELETE'],
        allowedHeaders: ['content-type', 'authorization', 'x-tessera-request'],
        maxAge: 600,
      };
    },
  });
}
