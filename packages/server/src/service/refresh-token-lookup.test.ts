/**
 * The one lookup of the session behind a presented refresh token, on both backends: every door a
 * refresh token comes through (refresh, logout, single sign-on, revocation, introspection, the
 * token endpoint, RP-initiated logout) relies on these answers.
 */

import { backendsUnderTest } from '@tessera/testing/backends';
import { createTestServer, type TestServer } from '@tessera/testing/harness';
import { insertLiveSession } from '@tessera/testing/sessions';
import { insertClient, seedWorld, type World } from '@tessera/testing/world';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../storage/port/sessions.js';
import { generateRefreshToken, hashRefreshToken } from '../tokens/refresh-token.js';
import { refreshTokenGrant } from './oauth/token-grants.js';
import { lookUpRefreshToken, type RefreshTokenPresenter } from './refresh-token-lookup.js';

const backends = await backendsUnderTest();

const BROWSER: RefreshTokenPresenter = { kind: 'browser', clientId: 'app' };
const SERVER_APP: RefreshTokenPresenter = { kind: 'client', clientId: 'server-app' };
const ANYONE: RefreshTokenPresenter = { kind: 'anyone' };

describe.each(backends)('the refresh-token lookup (%s)', (backend) => {
  let t: TestServer;
  let world: World;
  /** The real storage, counting its context reads: a malformed token must not cost one. */
  let reads: number;
  let deps: { storage: Pick<SessionStore, 'loadRefreshContext'> };

  beforeEach(async () => {
    t = await createTestServer({ backend });
    world = await seedWorld(t);
    await insertClient(t, 'other-app');
    for (const clientId of ['server-app', 'reports']) {
      await t.deps.storage.insertClient({
        envId: 'default',
        clientId,
        name: clientId,
        type: 'confidential',
        secretHash: null,
        redirectUris: [`https://${clientId}.example.com/callback`],
        allowedOrigins: [],
        postLogoutRedirectUris: [],
        createdAt: t.clock.now(),
      });
    }
    reads = 0;
    deps = {
      storage: {
        loadRefreshContext: (hash, clientId) => {
          reads++;
          return t.deps.storage.loadRefreshContext(hash, clientId);
        },
      },
    };
  });
  afterEach(async () => t.close());

  /** A session of `userId` in `envId` logged in by the spa `app`; returns its cookie token. */
  async function browserSession(envId: string, userId: string, sessionId: string): Promise<string> {
    return insertLiveSession(t, { id: sessionId, envId, userId });
  }

  async function confidentialToken(sessionId: string, clientId: string): Promise<string> {
    const now = t.clock.now();
    const token = generateRefreshToken();
    const added = await t.deps.storage.addRefreshToken(
      sessionId,
      { hash: hashRefreshToken(token), issuedAt: now, expiresAt: now + 3600 },
      clientId,
    );
    expect(added).toBe(true);
    return token;
  }

  const lookUp = (refreshToken: string | undefined, presenter: RefreshTokenPresenter, envId = 'default') =>
    lookUpRefreshToken(deps, { envId, refreshToken, presenter });

  it('RT-04: an absent or malformed token is not found, and nothing is read for it', async () => {
    await browserSession('default', world.users.ada.id, 's-1');
    for (const token of [
      undefined,
      '',
      'not-a-token',
      'x'.repeat(42),
      `${'x'.repeat(42)}=`,
      'x'.repeat(44),
    ]) {
      for (const presenter of [BROWSER, SERVER_APP, ANYONE]) {
        expect(await lookUp(token, presenter)).toEqual({ kind: 'not_found' });
      }
    }
    expect(reads).toBe(0);
  });

  it('RT-04: an unknown well-formed token is not found, whoever presents it', async () => {
    await browserSession('default', world.users.ada.id, 's-1');
    for (const presenter of [BROWSER, SERVER_APP, ANYONE]) {
      expect(await lookUp(generateRefreshToken(), presenter)).toEqual({ kind: 'not_found' });
    }
    expect(reads).toBe(3);
  });

  it("another environment's token is not found, whoever presents it; in its own environment it is", async () => {
    const defaultEnv = await t.deps.storage.getEnvironment('default');
    expect(await t.deps.storage.insertEnvironment({ ...defaultEnv!, id: 'other', name: 'Other' })).toBe(true);
    await t.deps.storage.insertUser({
      envId: 'other',
      id: 'user-eve',
      email: 'eve@example.com',
      emailNormalized: 'eve@example.com',
      name: 'eve',
      passwordHash: 'unused',
      createdAt: t.clock.now(),
    });
    await t.deps.storage.insertClient({
      envId: 'other',
      clientId: 'app',
      name: 'App',
      type: 'spa',
      secretHash: null,
      redirectUris: [],
      allowedOrigins: [],
      postLogoutRedirectUris: [],
      createdAt: t.clock.now(),
    });
    const token = await browserSession('other', 'user-eve', 's-other');
    for (const presenter of [BROWSER, ANYONE]) {
      expect(await lookUp(token, presenter, 'default')).toEqual({ kind: 'not_found' });
      const found = await lookUp(token, presenter, 'other');
      expect(found.kind === 'found' && found.context.session.id).toBe('s-other');
    }
  });

  it('a token whose session ended is found, with its end, so each door answers for the end', async () => {
    const token = await browserSession('default', world.users.ada.id, 's-1');
    expect(await t.deps.storage.endSession('s-1', 'logout', t.clock.now())).toBe(true);
    const found = await lookUp(token, BROWSER);
    expect(found.kind).toBe('found');
    if (found.kind !== 'found') return;
    expect(found.context.session).toMatchObject({ id: 's-1', endReason: 'logout' });
    expect(found.context.session.endedAt).not.toBeNull();
  });

  it("RT-07: the browser's cookie is found for the browser and for anyone, never for a confidential client", async () => {
    const token = await browserSession('default', world.users.ada.id, 's-1');
    const byBrowser = await lookUp(token, BROWSER);
    expect(byBrowser.kind === 'found' && byBrowser.context.token.clientId).toBeNull();
    expect((await lookUp(token, ANYONE)).kind).toBe('found');
    expect(await lookUp(token, SERVER_APP)).toEqual({ kind: 'not_found' });
    // `clientAuthorized` is judged for the browser's calling client: another spa is not yet in.
    expect(byBrowser.kind === 'found' && byBrowser.context.clientAuthorized).toBe(true);
    const byOtherSpa = await lookUp(token, { kind: 'browser', clientId: 'other-app' });
    expect(byOtherSpa.kind === 'found' && byOtherSpa.context.clientAuthorized).toBe(false);
  });

  it("RT-07: a confidential client's token is found for that client and for anyone, never for the browser or another client", async () => {
    await browserSession('default', world.users.ada.id, 's-1');
    const token = await confidentialToken('s-1', 'server-app');
    const byOwner = await lookUp(token, SERVER_APP);
    expect(byOwner.kind === 'found' && byOwner.context.token.clientId).toBe('server-app');
    expect(byOwner.kind === 'found' && byOwner.context.session.id).toBe('s-1');
    expect((await lookUp(token, ANYONE)).kind).toBe('found');
    expect(await lookUp(token, BROWSER)).toEqual({ kind: 'not_found' });
    expect(await lookUp(token, { kind: 'browser' })).toEqual({ kind: 'not_found' });
    expect(await lookUp(token, { kind: 'client', clientId: 'reports' })).toEqual({ kind: 'not_found' });
  });

  it("the token endpoint's refresh grant reads the token's context once: its scopes and its rotation share the read", async () => {
    await browserSession('default', world.users.ada.id, 's-1');
    const token = await confidentialToken('s-1', 'server-app');
    await t.deps.storage.addSessionClient({
      sessionId: 's-1',
      clientId: 'server-app',
      now: t.clock.now(),
      scopes: ['openid', 'offline_access'],
    });
    const storage = new Proxy(t.deps.storage, {
      get: (target, property, receiver) =>
        property === 'loadRefreshContext'
          ? deps.storage.loadRefreshContext
          : Reflect.get(target, property, receiver),
    });
    const environment = await t.deps.storage.getEnvironment('default');
    const client = await t.deps.storage.getClient('default', 'server-app');
    const granted = await refreshTokenGrant(
      { ...t.deps, storage },
      { environment: environment!, client: client!, refreshToken: token, scope: 'offline_access' },
    );
    expect(granted).toMatchObject({ ok: true, tokens: { token_type: 'Bearer', scope: 'offline_access' } });
    expect(granted.ok && granted.tokens.refresh_token).not.toBe(token);
    expect(reads).toBe(1);
  });
});
