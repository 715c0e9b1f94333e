/** Which page the address names: /console/{page}[/{id}]. */
import { useEffect } from 'react';
import { EmptyState, ErrorState, Loading } from './components/States';
import { useEnvironment } from './environment';
import { ClientsPage } from './pages/Clients';
import { DashboardPage } from './pages/Dashboard';
import { EnvironmentsPage } from './pages/Environments';
import { EventsPage } from './pages/Events';
import { KeysPage } from './pages/Keys';
import { SessionsPage } from './pages/Sessions';
import { TenantPage } from './pages/Tenant';
import { TenantsPage } from './pages/Tenants';
import { UserPage } from './pages/User';
import { UsersPage } from './pages/Users';
import { WebhookPage } from './pages/Webhook';
import { WebhooksPage } from './pages/Webhooks';
import { Link, navigate, useRoute } from './router';

export function Pages() {
  const { segments } = useRoute();
  const { environment, environments, loading, error, reload } = useEnvironment();
  const [page = '', id] = segments;

  useEffect(() => {
    if (page === 'sign-in') navigate('/', { replace: true });
  }, [page]);

  useEffect(() => {
    const name = TITLES[page] ?? 'Not found';
    document.title = `${name} · Tessera console`;
  }, [page]);

  if (error && environments.length === 0) return <ErrorState error={error} onRetry={reload} />;
  if (!environment) return loading ? <Loading /> : <EmptyState title="No environment" />;
  // Remounting on an environment change drops the previous environment's data and filters.
  const key = environment.id;

  switch (page) {
    case '':
    case 'sign-in':
      return <DashboardPage key={key} />;
    case 'environments':
      return <EnvironmentsPage key={key} />;
    case 'keys':
      return <KeysPage key={key} />;
    case 'clients':
      return <ClientsPage key={key} />;
    case 'tenants':
      return id ? <TenantPage key={`${key}/${id}`} tenantId={id} /> : <TenantsPage key={key} />;
    case 'users':
      return id ? <UserPage key={`${key}/${id}`} userId={id} /> : <UsersPage key={key} />;
    case 'sessions':
      return <SessionsPage key={key} />;
    case 'events':
      return <EventsPage key={key} />;
    case 'webhooks':
      return id ? <WebhookPage key={`${key}/${id}`} webhookId={id} /> : <WebhooksPage key={key} />;
    default:
      return (
        <EmptyState title="This page does not exist">
          <Link to="/">Go to the dashboard</Link>
        </EmptyState>
      );
  }
}

const TITLES: Record<string, string> = {
  '': 'Dashboard',
  'sign-in': 'Dashboard',
  environments: 'Environments',
  keys: 'Keys',
  clients: 'Clients',
  tenants: 'Tenants',
  users: 'Users',
  sessions: 'Sessions',
  events: 'Events',
  webhooks: 'Webhooks',
};
