/** The dashboard's latest events, linking to the Events page. */
import { seg } from '../api';
import { Badge } from '../components/Badge';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { envPath, useEnvironment } from '../environment';
import { describeEvent, eventTone } from '../events-format';
import { formatDateTime, formatRelative } from '../format';
import { useInterval, useNow, usePaged } from '../hooks';
import { Link } from '../router';
import type { TesseraEvent } from '../types';

export function RecentEvents() {
  const { envId } = useEnvironment();
  const events = usePaged<TesseraEvent>(envPath(envId, '/events?limit=8'));
  const now = useNow();
  useInterval(events.reload, 10_000);

  return (
    <section className="card" aria-labelledby="recent-title">
      <div className="card-head">
        <h2 id="recent-title">Latest events</h2>
        <Link to="/events">All events</Link>
      </div>
      {events.error && events.items.length === 0 ? (
        <ErrorState error={events.error} onRetry={events.reload} />
      ) : events.loading && events.items.length === 0 ? (
        <Loading />
      ) : events.items.length === 0 ? (
        <EmptyState title="No events yet" />
      ) : (
        <div className="table-wrap">
          <table className="stack-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Type</th>
                <th scope="col">What happened</th>
                <th scope="col">User</th>
              </tr>
            </thead>
            <tbody>
              {events.items.map((event) => (
                <tr key={event.id}>
                  <td className="nowrap" data-label="When" title={formatDateTime(event.at)}>
                    {formatRelative(event.at, now)}
                  </td>
                  <td data-label="Type">
                    <Badge tone={eventTone(event.type)}>{event.type}</Badge>
                  </td>
                  <td className="cell-wrap" data-label="What happened">
                    {describeEvent(event)}
                  </td>
                  <td className="mono cell-wrap" data-label="User">
                    {event.userId ? <Link to={`/users/${seg(event.userId)}`}>{event.userId}</Link> : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
