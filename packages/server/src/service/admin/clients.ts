/** Admin use cases for clients (DESIGN §3.3). */
import { TesseraError } from '../../errors.js';
import type { ClientRecord, ClientType } from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';
import type { RequestOrigin } from '../events.js';
import { randomId } from '../ids.js';
import type { AdminActor } from './actor.js';
import { changedFields, recordAdminChange } from './admin-events.js';
import { generateClientSecret, hashClientSecret } from './client-secret.js';
import { clientUrlProblems } from './client-urls.js';
import { isoTime } from './iso-time.js';
import { requireEnvironment } from './lookups.js';
import { type PageQuery, type PageView, pageRequest, pageView } from './paging.js';
import { assertNoProblems } from './problems.js';

export interface ClientView {
  clientId: string;
  name: string;
  type: ClientType;
  redirectUris: string[];
  allowedOrigins: string[];
  postLogoutRedirectUris: string[];
  createdAt: string;
}

/** A new client; `clientSecret` (confidential clients only) is shown this once and never again. */
export interface CreatedClient extends ClientView {
  clientSecret?: string;
}

export interface CreateClientInput {
  clientId?: string;
  name: string;
  type: ClientType;
  redirectUris: string[];
  allowedOrigins: string[];
  postLogoutRedirectUris: string[];
}

export interface UpdateClientInput {
  name?: string;
  redirectUris?: string[];
  allowedOrigins?: string[];
  postLogoutRedirectUris?: string[];
}

export async function createClient(
  deps: ServiceDeps,
  envId: string,
  input: CreateClientInput,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<CreatedClient> {
  await requireEnvironment(deps, envId);
  assertNoProblems(clientUrlProblems(input));
  const clientSecret = input.type === 'confidential' ? generateClientSecret() : undefined;
  const client: ClientRecord = {
    envId,
    clientId: input.clientId ?? randomId(),
    name: input.name,
    type: input.type,
    secretHash: clientSecret === undefined ? null : hashClientSecret(clientSecret),
    redirectUris: input.redirectUris,
    allowedOrigins: input.allowedOrigins,
    postLogoutRedirectUris: input.postLogoutRedirectUris,
    createdAt: deps.clock.now(),
  };
  if (!(await deps.storage.insertClient(client))) throw new TesseraError('conflict');
  const view = clientView(client);
  await recordAdminChange(
    deps,
    { actor, ...origin },
    {
      envId,
      entity: 'client',
      verb: 'created',
      target: { clientId: client.clientId },
      clientId: client.clientId,
      after: settingsOf(client),
    },
  );
  return clientSecret === undefined ? view : { ...view, clientSecret };
}

export async function listClients(
  deps: ServiceDeps,
  envId: string,
  query: PageQuery = {},
): Promise<PageView<ClientView>> {
  const page = pageRequest(query);
  await requireEnvironment(deps, envId);
  return pageView(await deps.storage.listClientsPage(envId, page), clientView);
}

export async function getClient(deps: ServiceDeps, envId: string, clientId: string): Promise<ClientView> {
  return clientView(await requireClient(deps, envId, clientId));
}

export async function updateClient(
  deps: ServiceDeps,
  envId: string,
  clientId: string,
  input: UpdateClientInput,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<ClientView> {
  const current = await requireClient(deps, envId, clientId);
  assertNoProblems(clientUrlProblems(input));
  const updated: ClientRecord = {
    ...current,
    name: input.name ?? current.name,
    redirectUris: input.redirectUris ?? current.redirectUris,
    allowedOrigins: input.allowedOrigins ?? current.allowedOrigins,
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? current.postLogoutRedirectUris,
  };
  const { name, redirectUris, allowedOrigins, postLogoutRedirectUris } = updated;
  if (
    !(await deps.storage.updateClient(envId, clientId, {
      name,
      redirectUris,
      allowedOrigins,
      postLogoutRedirectUris,
    }))
  ) {
    throw new TesseraError('not_found');
  }
  const changed = changedFields(settingsOf(current), settingsOf(updated));
  if (changed) {
    await recordAdminChange(
      deps,
      { actor, ...origin },
      {
        envId,
        entity: 'client',
        verb: 'updated',
        target: { clientId },
        clientId,
        ...changed,
      },
    );
  }
  return clientView(updated);
}

export async function deleteClient(
  deps: ServiceDeps,
  envId: string,
  clientId: string,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<void> {
  if (!(await deps.storage.deleteClient(envId, clientId))) throw new TesseraError('not_found');
  await recordAdminChange(
    deps,
    { actor, ...origin },
    {
      envId,
      entity: 'client',
      verb: 'deleted',
      target: { clientId },
      clientId,
    },
  );
}

/** What an admin sets on a client: never its secret or the secret's hash. */
function settingsOf(client: ClientRecord): Record<string, unknown> {
  const { name, type, redirectUris, allowedOrigins, postLogoutRedirectUris } = client;
  return { name, type, redirectUris, allowedOrigins, postLogoutRedirectUris };
}

async function requireClient(deps: ServiceDeps, envId: string, clientId: string): Promise<ClientRecord> {
  const client = await deps.storage.getClient(envId, clientId);
  if (!client) throw new TesseraError('not_found');
  return client;
}

function clientView(client: ClientRecord): ClientView {
  return {
    clientId: client.clientId,
    name: client.name,
    type: client.type,
    redirectUris: client.redirectUris,
    allowedOrigins: client.allowedOrigins,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    createdAt: isoTime(client.createdAt),
  };
}
