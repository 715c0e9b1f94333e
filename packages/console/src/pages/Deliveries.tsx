/** A webhook's delivery log, newest first, refreshed every 10 s. */
import { Badge, type BadgeTone } from '../components/Badge';
import { EmptyState, ErrorState, Loading, LoadMore } from '../components/States';
import { formatDateTime, formatRelative } from '../format';
import { useInterval, useNow, usePaged } from '../hooks';
import type { Delivery } from '../types';

const STATUS: Record<Delivery['status'], { tone: BadgeTone; label: string }> = {
  pending: { tone: 'warning', label: 'Pending' },
  succeeded: { tone: 'success', label: 'Succeeded' },
  failed: { tone: 'danger', label: 'Failed' },
};

export function Deliveries({ path }: { path: string }) {
  const deliveries = usePaged<Delivery>(`${path}?limit=50`);
  const now = useNow(5000);
  useInterval(deliveries.reload, 10_000);

  return (
    <section className="card" aria-labelledby="deliveries-title">
      <div className="card-head">
        <div>
          <h2 id="deliveries-title">Deliveries</h2>
          <p>
            Each event sent to this endpoint. Failed attempts are retried with backoff for at least a day.
          </p>
        </div>
        <button type="button" className="button" onClick={deliveries.reload}>
          Refresh
        </button>
      </div>
      {deliveries.error && deliveries.items.length === 0 ? (
        <ErrorState error={deliveries.error} onRetry={deliveries.reload} />
      ) : deliveries.loading && deliveries.items.length === 0 ? (
        <Loading />
      ) : deliveries.items.length === 0 ? (
        <EmptyState title="No deliveries yet">Use "Send test event" to try the endpoint.</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last response</th>
                  <th scope="col">Last attempt</th>
                  <th scope="col">Next attempt</th>
                  <th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.items.map((delivery) => {
                  const status = STATUS[delivery.status] ?? { tone: 'neutral', label: delivery.status };
                  return (
                    <tr key={delivery.id}>
                      <td className="cell-wrap" data-label="Event">
                        {delivery.eventType}
                        <span className="sub mono">{delivery.eventId}</span>
                      </td>
                      <td data-label="Status">
                        <Badge tone={status.tone}>{status.label}</Badge>
                      </td>
                      <td data-label="Attempts">{delivery.attempts}</td>
                      <td className="mono" data-label="Last response">
                        {delivery.lastResponseStatus ?? '—'}
                      </td>
                      <td
                        className="nowrap"
                        data-label="Last attempt"
                        title={formatDateTime(delivery.lastAttemptAt)}
                      >
                        {formatRelative(delivery.lastAttemptAt, now)}
                      </td>
                      <td
                        className="nowrap"
                        data-label="Next attempt"
                        title={formatDateTime(delivery.nextAttemptAt)}
                      >
                        {delivery.status === 'pending' ? formatRelative(delivery.nextAttemptAt, now) : '—'}
                      </td>
                      <td className="cell-wrap" data-label="Last error">
                        {delivery.lastError ?? '—'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <LoadMore hasMore={deliveries.hasMore} loading={deliveries.loading} onMore={deliveries.loadMore} />
        </>
      )}
    </section>
  );
}
