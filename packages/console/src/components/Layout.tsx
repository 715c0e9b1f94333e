/**
 * The console's frame: a sidebar of pages (a menu behind a button below 900 px), a header with the
 * environment picker and "Sign out", and the page in <main>.
 */
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useEnvironment } from '../environment';
import { Link, navigate, useRoute } from '../router';
import { Icon, type IconName } from './Icon';

export const NAV: readonly { label: string; path: string; icon: IconName }[] = [
  { label: 'Dashboard', path: '/', icon: 'dashboard' },
  { label: 'Environments', path: '/environments', icon: 'environments' },
  { label: 'Keys', path: '/keys', icon: 'keys' },
  { label: 'Clients', path: '/clients', icon: 'clients' },
  { label: 'Tenants', path: '/tenants', icon: 'tenants' },
  { label: 'Users', path: '/users', icon: 'users' },
  { label: 'Sessions', path: '/sessions', icon: 'sessions' },
  { label: 'Events', path: '/events', icon: 'events' },
  { label: 'Webhooks', path: '/webhooks', icon: 'webhooks' },
];

export function Layout({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const { segments } = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  const navId = useId();
  const current = `/${segments[0] ?? ''}`;

  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const page = `${current}/${segments[1] ?? ''}`;

  // A page change closes the menu on small screens, and moves focus to the new page, as a full
  // page load would, so keyboard and screen-reader users start at its top.
  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [page]);

  useEffect(() => {
    if (!menuOpen) return;
    const close = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setMenuOpen(false);
    };
    document.addEventListener('keydown', close);
    return () => document.removeEventListener('keydown', close);
  }, [menuOpen]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="icon-button menu-button"
          aria-expanded={menuOpen}
          aria-controls={navId}
          onClick={() => setMenuOpen((open) => !open)}
        >
          <Icon name="menu" />
          <span className="sr-only">Menu</span>
        </button>
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>Tessera</span>
          <span className="brand-sub">Console</span>
        </Link>
        <div className="topbar-spacer" />
        <EnvironmentPicker />
        <button type="button" className="button button-ghost sign-out" onClick={onSignOut}>
          <Icon name="signOut" />
          <span>Sign out</span>
        </button>
      </header>
      <div className="body">
        <nav id={navId} className={menuOpen ? 'sidebar sidebar-open' : 'sidebar'} aria-label="Console">
          <ul>
            {NAV.map((item) => (
              <li key={item.path}>
                <Link to={item.path} aria-current={item.path === current ? 'page' : undefined}>
                  <Icon name={item.icon} />
                  <span>{item.label}</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1} ref={mainRef}>
          {children}
        </main>
      </div>
    </div>
  );
}

function EnvironmentPicker() {
  const { environments, envId, pick } = useEnvironment();
  const { segments } = useRoute();
  const id = useId();
  // A user, tenant or webhook belongs to one environment: another environment opens the list.
  const change = (next: string) => {
    if (segments.length > 1) navigate(`/${segments[0]}`);
    pick(next);
  };
  const known = environments.some((environment) => environment.id === envId);
  return (
    <div className="env-picker">
      <label htmlFor={id}>Environment</label>
      <select id={id} className="input" value={envId} onChange={(event) => change(event.target.value)}>
        {known ? null : <option value={envId}>{envId}</option>}
        {environments.map((environment) => (
          <option key={environment.id} value={environment.id}>
            {environment.name === environment.id ? environment.id : `${environment.name} (${environment.id})`}
          </option>
        ))}
      </select>
    </div>
  );
}
