import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing/harness.js';
import { cookieFrom, json, seedWorld, sessionApi } from '../testing/world.js';
import { pruneSessionHistory, SESSION_HISTORY_RETENTION } from './maintenance.js';

describe('pruning session history', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer();
    await seedWorld(t);
  });
  afterEach(async () => t.close());

  it('forgets superseded tokens after the reuse-detection window; the session itself is untouched', async () => {
    const api = sessionApi(t);
    const first = cookieFrom(await api.login());
    let current = cookieFrom(await api.refresh(first));
    t.clock.advance(SESSION_HISTORY_RETENTION.reuseDetectionSeconds - 1);
    current = cookieFrom(await api.refresh(current));
    t.clock.advance(2);
    await pruneSessionHistory(t.deps);
    // Past the window it is forgotten: just an unknown token (not reuse), and the session lives on.
    expect(json(await api.refresh(first)).error).toBe('no_session');
    expect((await api.refresh(current)).statusCode).toBe(200);
  });

  it('deletes sessions ended more than the retention ago', async () => {
    const api = sessionApi(t);
    const cookie = cookieFrom(await api.login());
    await api.logout(cookie);
    t.clock.advance(SESSION_HISTORY_RETENTION.endedSessionSeconds - 1);
    await pruneSessionHistory(t.deps);
    expect(json(await api.refresh(cookie)).error).toBe('session_revoked');
    t.clock.advance(2);
    await pruneSessionHistory(t.deps);
    expect(json(await api.refresh(cookie)).error).toBe('no_session');
  });
});
