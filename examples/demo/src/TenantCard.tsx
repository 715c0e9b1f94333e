import type { MeResponse } from '@tessera/protocol';
import { useTenants } from '@tessera/react';
import { useState } from 'react';

export function TenantCard({ me }: { me: MeResponse | null }) {
  const { tenantId, tenantIds, switchTenant } = useTenants();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tenants = me?.tenants ?? tenantIds.map((id) => ({ id, name: id, roles: [] as string[] }));

  async function choose(id: string) {
    if (id === tenantId) return;
    setPending(id);
    setError(null);
    try {
      await switchTenant(id);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'The switch failed.');
    } finally {
      setPending(null);
    }
  }

  return (
    <article className="card" aria-labelledby="tenant-title">
      <header className="card-head">
        <h2 id="tenant-title">This tab's tenant</h2>
        <span className="badge">enableSessionPerTenant</span>
      </header>
      <p className="muted">
        The tenant lives in this tab's <code>sessionStorage</code> and goes with every refresh, so each tab
        gets tokens for its own tenant from the one shared session. Switching here changes no other tab.
      </p>
      <fieldset id="tenants" className="tenant-list">
        <legend className="sr-only">Switch this tab's tenant</legend>
        {tenants.map((tenant, index) => {
          const active = tenant.id === tenantId;
          return (
            <button
              type="button"
              key={tenant.id}
              data-testid={`tenant-${tenant.id}`}
              className="tenant"
              aria-pressed={active}
              aria-busy={pending === tenant.id}
              disabled={pending !== null}
              onClick={() => void choose(tenant.id)}
            >
              <span className={`tenant-mark tone-${index % 4}`} aria-hidden="true">
                {tenant.name.slice(0, 1).toUpperCase()}
              </span>
              <span className="tenant-text">
                <strong>{tenant.name}</strong>
                <small>{tenant.roles.length > 0 ? tenant.roles.join(', ') : tenant.id}</small>
              </span>
              <span className="tenant-state">
                {pending === tenant.id ? 'Switching…' : active ? 'This tab' : 'Switch'}
              </span>
            </button>
          );
        })}
      </fieldset>
      {tenants.length === 1 && (
        <p className="fine">This user belongs to one tenant: sign in as alice@example.com to switch.</p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="fine">
        Tenant id in the token: <code id="tenant-id">{tenantId}</code>
      </p>
    </article>
  );
}
