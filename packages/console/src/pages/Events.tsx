/**
 * Events: a filterable table (type, user, session, time range), paged by cursor, and a "Live" tail
 * that polls with `since` = the newest event shown and adds what is new (de-duplicated by id).
 */
import { type FormEvent, useState } from 'react';
import { adminPage, fieldError as apiFieldError, queryString, seg } from '../api';
import { Badge } from '../components/Badge';
import { TextField } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading, LoadMore } from '../components/States';
import { envPath, useEnvironment } from '../environment';
import { describeEvent, EVENT_TYPES, eventTone, mergeEvents } from '../events-format';
import { formatDate, formatDateTime, formatTime, localInputToIso } from '../format';
import { useInterval, usePaged } from '../hooks';
import { Link } from '../router';
import type { TesseraEvent } from '../types';

const LIVE_MS = 3000;

interface Filters {
  type: string;
  userId: string;
  sid: string;
  since: string;
  until: string;
}

const EMPTY: Filters = { type: '', userId: '', sid: '', since: '', until: '' };
const FILTERS = Object.keys(EMPTY);

function filterQuery(filters: Filters): Record<string, string | null> {
  return {
    type: filters.type.trim(),
    userId: filters.userId.trim(),
    sid: filters.sid.trim(),
    since: localInputToIso(filters.since),
    until: localInputToIso(filters.until),
  };
}

export function EventsPage() {
  const { envId } = useEnvironment();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [live, setLive] = useState(false);
  const [liveError, setLiveError] = useState<unknown>(null);
  const query = filterQuery(applied);
  const events = usePaged<TesseraEvent>(envPath(envId, `/events${queryString({ ...query, limit: 50 })}`));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
  };

  useInterval(
    async () => {
      const newest = events.items[0]?.at ?? query.since ?? new Date(Date.now() - 60_000).toISOString();
      try {
        const page = await adminPage<TesseraEvent>(
          envPath(envId, `/events${queryString({ ...query, until: null, since: newest, limit: 100 })}`),
        );
        setLiveError(null);
        if (page.items.length > 0) events.update((shown) => mergeEvents(page.items, shown));
      } catch (failure) {
        setLiveError(failure);
      }
    },
    LIVE_MS,
    live,
  );

  const set = (key: keyof Filters, value: string) => setDraft((before) => ({ ...before, [key]: value }));
  const fieldError = (name: string) => apiFieldError(events.error, name);
  const filterRefused = FILTERS.some((name) => fieldError(name) !== null);

  return (
    <>
      <PageHeader
        title="Events"
        description="Sign-ins, refusals, ended sessions, theft detection and admin actions in this environment, newest first."
        actions={
          <button
            type="button"
            role="switch"
            aria-checked={live}
            className="switch"
            onClick={() => setLive((on) => !on)}
          >
            <span className="switch-track" aria-hidden="true" />
            Live
          </button>
        }
      />
      <section className="card" aria-label="Events">
        <form className="filters" onSubmit={apply} aria-label="Filter events">
          <TextField
            label="Type"
            list="event-types"
            value={draft.type}
            placeholder="session.ended, admin.*"
            spellCheck={false}
            error={fieldError('type')}
            onChange={(event) => set('type', event.target.value)}
          />
          <datalist id="event-types">
            {EVENT_TYPES.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
          <TextField
            label="User ID"
            value={draft.userId}
            spellCheck={false}
            error={fieldError('userId')}
            onChange={(event) => set('userId', event.target.value)}
          />
          <TextField
            label="Session ID"
            value={draft.sid}
            spellCheck={false}
            error={fieldError('sid')}
            onChange={(event) => set('sid', event.target.value)}
          />
          <TextField
            label="From"
            type="datetime-local"
            step={1}
            value={draft.since}
            error={fieldError('since')}
            onChange={(event) => set('since', event.target.value)}
          />
          <TextField
            label="To"
            type="datetime-local"
            step={1}
            value={draft.until}
            error={fieldError('until')}
            onChange={(event) => set('until', event.target.value)}
          />
          <div className="filter-actions">
            <button type="submit" className="button button-primary">
              Apply
            </button>
            <button
              type="button"
              className="button button-ghost"
              onClick={() => {
                setDraft(EMPTY);
                setApplied(EMPTY);
              }}
            >
              Clear
            </button>
          </div>
        </form>
        {live ? (
          <p className="live-note" role="status">
            <span className="live-dot" aria-hidden="true" /> Live: new events appear at the top every few
            seconds.
            {liveError ? ' The last check failed; retrying.' : ''}
          </p>
        ) : null}
        {filterRefused ? (
          <EmptyState title="A filter is not valid">
            Its message is under it; change it and apply again.
          </EmptyState>
        ) : events.error && events.items.length === 0 ? (
          <ErrorState error={events.error} onRetry={events.reload} />
        ) : events.loading && events.items.length === 0 ? (
          <Loading />
        ) : events.items.length === 0 ? (
          <EmptyState title="No events match">
            Change the filters, or turn on Live to wait for new ones.
          </EmptyState>
        ) : (
          <>
            <EventsTable events={events.items} />
            <LoadMore hasMore={events.hasMore} loading={events.loading} onMore={events.loadMore} />
          </>
        )}
      </section>
    </>
  );
}

function EventsTable({ events }: { events: TesseraEvent[] }) {
  return (
    <div className="table-wrap">
      <table className="stack-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Type</th>
            <th scope="col">What happened</th>
            <th scope="col">User and session</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td className="nowrap" data-label="Time" title={formatDateTime(event.at)}>
                {formatTime(event.at)}
                <span className="sub">{formatDate(event.at)}</span>
              </td>
              <td data-label="Type">
                <Badge tone={eventTone(event.type)}>{event.type}</Badge>
              </td>
              <td className="cell-wrap" data-label="What happened">
                {describeEvent(event)}
              </td>
              <td className="mono cell-wrap" data-label="User and session">
                {event.userId ? <Link to={`/users/${seg(event.userId)}`}>{event.userId}</Link> : '—'}
                {event.sid ? <span className="sub">{event.sid}</span> : null}
              </td>
              <td data-label="Details">
                <details className="event-details">
                  <summary>
                    {event.ip ?? 'Details'}
                    <span className="sr-only">
                      {' '}
                      of {event.type} at {formatDateTime(event.at)}
                    </span>
                  </summary>
                  <dl className="details">
                    <dt>Event ID</dt>
                    <dd className="mono">{event.id}</dd>
                    {event.tenantId ? (
                      <>
                        <dt>Tenant</dt>
                        <dd className="mono">{event.tenantId}</dd>
                      </>
                    ) : null}
                    {event.clientId ? (
                      <>
                        <dt>Client</dt>
                        <dd className="mono">{event.clientId}</dd>
                      </>
                    ) : null}
                    {event.ip ? (
                      <>
                        <dt>IP</dt>
                        <dd className="mono">{event.ip}</dd>
                      </>
                    ) : null}
                    {event.userAgent ? (
                      <>
                        <dt>User agent</dt>
                        <dd>{event.userAgent}</dd>
                      </>
                    ) : null}
                  </dl>
                  <pre className="details-json">{JSON.stringify(event.details, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
