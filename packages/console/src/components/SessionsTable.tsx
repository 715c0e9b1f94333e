/**
 * Live sessions: device, place, user, tenant, times and deadlines, with "End session" per row.
 * Used by the environment-wide Sessions page and a user's page.
 */
import { useState } from 'react';
import { admin, seg } from '../api';
import { envPath, useEnvironment } from '../environment';
import { deviceLabel, formatDateTime, formatRelative, placeLabel } from '../format';
import { useNow } from '../hooks';
import { Link } from '../router';
import type { AdminSession } from '../types';
import { useToast } from './Toasts';

export interface SessionsTableProps {
  sessions: AdminSession[];
  /** Hide the user column (on a user's own page). */
  showUser?: boolean;
  /** Called once a session has ended, to drop it from the list. */
  onEnded: (sid: string) => void;
  /** Shown for a user id when known (email on a user's page). */
  userLabel?: (userId: string) => string;
}

export function SessionsTable({ sessions, showUser = true, onEnded, userLabel }: SessionsTableProps) {
  const { envId } = useEnvironment();
  const now = useNow();
  const toast = useToast();
  const [ending, setEnding] = useState<string | null>(null);

  const end = async (session: AdminSession) => {
    setEnding(session.sid);
    try {
      await admin(envPath(envId, `/sessions/${seg(session.sid)}`), { method: 'DELETE' });
      onEnded(session.sid);
      toast(`Session ended: ${deviceLabel(session)}. Its next refresh is refused.`);
    } catch (error) {
      toast(error instanceof Error ? error.message : 'The session could not be ended.', 'error');
    } finally {
      setEnding(null);
    }
  };

  return (
    <div className="table-wrap">
      <table className="stack-table">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">IP / last IP</th>
            {showUser ? <th scope="col">User</th> : null}
            <th scope="col">Tenant</th>
            <th scope="col">Last active</th>
            <th scope="col">Deadlines</th>
            <th scope="col" className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => {
            const device = deviceLabel(session);
            return (
              <tr key={session.sid}>
                <td className="cell-wrap" data-label="Device">
                  {device}
                  <span className="sub">{(session.clientIds ?? [session.clientId]).join(', ')}</span>
                </td>
                <td className="mono cell-wrap" data-label="IP / last IP">
                  {placeLabel(session)}
                </td>
                {showUser ? (
                  <td className="cell-wrap" data-label="User">
                    {session.userId ? (
                      <Link to={`/users/${seg(session.userId)}`}>
                        {userLabel?.(session.userId) ?? session.userId}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                ) : null}
                <td className="cell-wrap" data-label="Tenant">
                  {session.tenantId ?? '—'}
                </td>
                <td className="nowrap" data-label="Last active">
                  <span title={formatDateTime(session.lastActiveAt)}>
                    {formatRelative(session.lastActiveAt, now)}
                  </span>
                  <span className="sub" title={formatDateTime(session.createdAt)}>
                    created {formatRelative(session.createdAt, now)}
                  </span>
                </td>
                <td className="nowrap" data-label="Deadlines">
                  <Deadline label="Idle" at={session.idleExpiresAt} now={now} />
                  <Deadline label="Absolute" at={session.absoluteExpiresAt} now={now} />
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="button button-small button-danger-outline"
                    aria-label={`End session (${device})`}
                    disabled={ending === session.sid}
                    onClick={() => end(session)}
                  >
                    End session
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** One deadline on its own line: "Idle in 15 min", "Absolute none" (no such policy). */
function Deadline({ label, at, now }: { label: string; at: string | null | undefined; now: number }) {
  const text = at === undefined ? '—' : at === null ? 'none' : formatRelative(at, now);
  return (
    <span className="deadline" title={at ? formatDateTime(at) : undefined}>
      <span className="muted">{label}</span> {text}
    </span>
  );
}
