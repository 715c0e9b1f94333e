import { DEFAULT_ENVIRONMENT_ID } from '@tessera/protocol';
import type { FastifyRequest } from 'fastify';
import { TesseraError } from '../errors.js';
import type { SharedDeps } from '../service/deps.js';
import type { ClientRecord, EnvironmentRecord } from '../storage/records.js';

/** The default environment lives at the server root; others under `/e/{envId}`. */
export function environmentIdOf(request: FastifyRequest): string {
  const params = request.params as { envId?: string } | undefined;
  return params?.envId ?? DEFAULT_ENVIRONMENT_ID;
}

export function environmentBaseUrl(publicUrl: string, envId: string): string {
  return envId === DEFAULT_ENVIRONMENT_ID ? publicUrl : `${publicUrl}/e/${encodeURIComponent(envId)}`;
}

export async function requireEnvironment(
  deps: SharedDeps,
  request: FastifyRequest,
): Promise<EnvironmentRecord> {
  const environment = await deps.lookups.getEnvironment(environmentIdOf(request));
  if (!environment) throw new TesseraError('not_found');
  return environment;
}

export async function requireClient(
  deps: SharedDeps,
  envId: string,
  clientId: string,
): Promise<ClientRecord> {
  const client = await deps.lookups.getClient(envId, clientId);
  if (!client) throw new TesseraError('invalid_request', { message: 'Unknown client.' });
  return client;
}
