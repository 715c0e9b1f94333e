import type { MeResponse } from '@tessera/protocol';
import { useAuth } from '@tessera/react';
import { useState } from 'react';

export function Header({ me }: { me: MeResponse | null }) {
  const { status, user, tenantId, logout, client } = useAuth();
  const [signingOut, setSigningOut] = useState(false);
  const tenantName = me?.tenants.find((tenant) => tenant.id === tenantId)?.name ?? tenantId;

  return (
    <header className="topbar">
      <div className="topbar-inner">
        <a className="brand" href="/">
          <img src="/favicon.svg" alt="" width="26" height="26" />
          <span>
            Tessera <span className="brand-tag">demo</span>
          </span>
        </a>
        {status === 'authenticated' && user && (
          <div className="account">
            <div id="whoami" className="whoami">
              <span className="avatar" aria-hidden="true">
                {(user.name ?? user.email).slice(0, 1).toUpperCase()}
              </span>
              <span className="whoami-text">
                <strong>{user.name ?? user.email}</strong>
                <small>
                  {user.email} · {tenantName}
                </small>
              </span>
            </div>
            <a id="account-link" className="button secondary" href={client.accountUrl}>
              Account
            </a>
            <button
              type="button"
              id="logout"
              className="button secondary"
              disabled={signingOut}
              onClick={() => {
                setSigningOut(true);
                void logout().finally(() => setSigningOut(false));
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </div>
    </header>
  );
}
