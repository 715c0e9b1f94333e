/**
 * The dashboard: live sessions, and over the last hour sign-ins and refreshes per minute and
 * refused refreshes by code (GET …/stats?minutes=60, polled every 10 s), plus the latest events.
 */
import { admin } from '../api';
import { refusalCodes, sum } from '../chart-scale';
import { Chart, Legend, type Series } from '../components/Chart';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { envPath, useEnvironment } from '../environment';
import { formatCount } from '../format';
import { useInterval, useLoad } from '../hooks';
import type { Stats } from '../types';
import { RecentEvents } from './RecentEvents';

const POLL_MS = 10_000;

export function DashboardPage() {
  const { envId, environment } = useEnvironment();
  const stats = useLoad((signal) => admin<Stats>(envPath(envId, '/stats?minutes=60'), { signal }), [envId]);
  useInterval(stats.reload, POLL_MS);

  const minutes = stats.data?.minutes ?? [];
  const times = minutes.map((minute) => minute.at);
  const activity: Series[] = [
    { label: 'Refreshes', values: minutes.map((minute) => minute.refreshes) },
    { label: 'Sign-ins', values: minutes.map((minute) => minute.logins) },
    { label: 'Failed sign-ins', values: minutes.map((minute) => minute.loginFailures) },
  ];
  const codes = refusalCodes(minutes);
  const refusals: Series[] = codes.map((code) => ({
    label: code,
    values: minutes.map((minute) => minute.refusals[code] ?? 0),
  }));
  const refusedTotal = sum(refusals.map((line) => sum(line.values)));

  return (
    <>
      <PageHeader
        title="Dashboard"
        description={`Activity in ${environment?.name ?? envId} over the last hour, updated every 10 seconds.`}
      />
      {stats.error && !stats.data ? (
        <ErrorState error={stats.error} onRetry={stats.reload} />
      ) : !stats.data ? (
        <Loading />
      ) : (
        <div className="stack">
          <div className="stats">
            <StatCard label="Live sessions" value={stats.data.liveSessions} note="now" />
            <StatCard label="Sign-ins" value={sum(activity[1]?.values ?? [])} note="last hour" />
            <StatCard label="Refreshes" value={sum(activity[0]?.values ?? [])} note="last hour" />
            <StatCard label="Refused refreshes" value={refusedTotal} note="last hour" />
          </div>
          <div className="grid-2 dashboard-charts">
            <section className="card" aria-labelledby="activity-title">
              <div className="card-head">
                <h2 id="activity-title">Sign-ins and refreshes per minute</h2>
              </div>
              <div className="card-body">
                <Legend series={activity} />
                <Chart
                  title="Sign-ins and refreshes per minute"
                  times={times}
                  series={activity}
                  kind="lines"
                />
              </div>
            </section>
            <section className="card" aria-labelledby="refusals-title">
              <div className="card-head">
                <h2 id="refusals-title">Refused refreshes by code</h2>
              </div>
              <div className="card-body">
                {refusals.length === 0 ? (
                  <EmptyState title="No refusals in the last hour">
                    Refreshes refused for idle timeout, expiry, revocation or reuse show here by code.
                  </EmptyState>
                ) : (
                  <>
                    <Legend series={refusals} />
                    <Chart title="Refused refreshes by code" times={times} series={refusals} kind="stacked" />
                  </>
                )}
              </div>
            </section>
          </div>
          <RecentEvents />
        </div>
      )}
    </>
  );
}

function StatCard({ label, value, note }: { label: string; value: number; note: string }) {
  return (
    <section className="card stat" aria-label={label}>
      <p className="stat-label">{label}</p>
      <p className="stat-value">{formatCount(value)}</p>
      <p className="stat-note">{note}</p>
    </section>
  );
}
