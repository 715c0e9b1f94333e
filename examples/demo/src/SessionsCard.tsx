import type { SessionSummary } from '@tessera/protocol';
import { useAuth } from '@tessera/react';
import { useCallback, useEffect, useState } from 'react';
import { useDemoApi } from './api';
import { formatAgo } from './format';
import { useNow } from './use-now';

export function SessionsCard() {
  const api = useDemoApi();
  const { expiresAt } = useAuth();
  const now = useNow(15_000);
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const list = await api.sessions();
      // This device first, then the most recently active.
      list.sort(
        (a, b) =>
          Number(b.current) - Number(a.current) || Date.parse(b.lastActiveAt) - Date.parse(a.lastActiveAt),
      );
      setSessions(list);
      setError(null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'Could not load the sessions.');
    }
  }, [api]);

  // Every refresh moves this session's "last active": reload with each new token.
  // biome-ignore lint/correctness/useExhaustiveDependencies: expiresAt is the reload signal
  useEffect(() => {
    void load();
  }, [load, expiresAt]);

  async function run(key: string, action: () => Promise<void>) {
    setBusy(key);
    try {
      await action();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'That did not work.');
    } finally {
      await load();
      setBusy(null);
    }
  }

  const others = sessions?.filter((session) => !session.current).length ?? 0;

  return (
    <article className="card" aria-labelledby="sessions-title">
      <header className="card-head">
        <h2 id="sessions-title">Your sessions</h2>
        <span className="badge">{sessions === null ? '…' : `${sessions.length} active`}</span>
      </header>
      <p className="muted">
        One row per browser: all tabs of this browser share one session. Sign in from a private window to see
        a second one, then sign it out from here.
      </p>
      <div className="table-wrap">
        <table className="sessions">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last active</th>
              <th scope="col">Last IP</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody id="sessions">
            {sessions?.map((session) => (
              <tr key={session.sid} data-testid={`session-${session.sid}`} data-current={session.current}>
                <td data-label="Device">
                  <span className="ua" title={session.userAgent ?? undefined}>
                    {session.device.label}
                  </span>
                  <span className="sid">
                    <code title={session.sid}>{session.sid.slice(0, 8)}…</code>
                    {session.current && <span className="badge success">This device</span>}
                  </span>
                </td>
                <td data-label="Signed in">
                  <time dateTime={session.createdAt} title={new Date(session.createdAt).toLocaleString()}>
                    {formatAgo(session.createdAt, now)}
                  </time>
                </td>
                <td data-label="Last active">
                  <time
                    dateTime={session.lastActiveAt}
                    title={new Date(session.lastActiveAt).toLocaleString()}
                  >
                    {formatAgo(session.lastActiveAt, now)}
                  </time>
                </td>
                <td
                  data-label="Last IP"
                  title={session.ip === null ? undefined : `Signed in from ${session.ip}`}
                >
                  {session.lastIp ?? session.ip ?? '—'}
                </td>
                <td className="actions">
                  {!session.current && (
                    <button
                      type="button"
                      className="button danger small"
                      data-testid={`end-session-${session.sid}`}
                      disabled={busy !== null}
                      aria-label={`Sign out session ${session.sid.slice(0, 8)} (${session.device.label})`}
                      onClick={() => void run(session.sid, () => api.endSession(session.sid))}
                    >
                      Sign out
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="card-foot">
        <button
          type="button"
          id="end-others"
          className="button secondary"
          disabled={busy !== null || others === 0}
          onClick={() => void run('others', () => api.endOtherSessions())}
        >
          Sign out every other session
        </button>
        <button type="button" className="button ghost" disabled={busy !== null} onClick={() => void load()}>
          Reload list
        </button>
      </div>
    </article>
  );
}
