/**
 * The Tessera demo: `@tessera/react` on a second origin of the same site as the auth server.
 *
 * Stable hooks for the end-to-end tests (e2e/quickstart.test.ts) — keep them when restyling:
 *
 *   #loading            while `init()` restores the session (silent refresh)
 *   #signed-out         the sign-in screen
 *     #login-form         embedded login: #email, #password, button[type=submit]
 *     #login-error        why the last sign-in failed (role=alert)
 *     #hosted-login       "Sign in with hosted login" (code + PKCE, back to /callback)
 *     #end-reason         why the previous session ended, when it did
 *     #revocation-check   after a session ended: the example API asked with the last token, until
 *                         it refuses it; data-state="asking" | "refused" | "accepted" | "unreachable",
 *                         #revocation-latency the time it took
 *   #signed-in          the dashboard
 *     #whoami             the user and this tab's tenant, in the header
 *     #logout             sign out (every tab of the browser)
 *     #open-tab           open the demo in a second tab
 *     #tenants            the tenant switcher: a button per tenant, data-testid="tenant-{id}", aria-pressed
 *     #tenant-id          this tab's tenant id
 *     #countdown          time to the next background refresh (m:ss)
 *     #ttl                the access token's lifetime in seconds
 *     #expires-at         when the access token expires
 *     #activity           "yes" / "no": interaction in this tab since the current token
 *     #claims             the access token's payload, JSON.stringify(claims, null, 2)
 *     #projects-card      the example API's card (examples/api); #projects-unavailable when it does not run
 *       #projects-status    the answer to GET /tenants/{tenantId}/projects ("200 OK", "403 insufficient_scope")
 *       #projects           a row per project, data-testid="project-{id}"
 *       #add-project        the form: #project-name and its submit button; #add-project-result the answer
 *       #other-tenant       ask for another tenant's projects with this tab's token
 *       #other-tenant-result  the answer (403 from requireTenant)
 *     #sessions           the sessions table body: a row per session, data-testid="session-{sid}",
 *                         data-current="true" on this browser's
 *     #end-others         sign out every other session
 */
import { useAuth } from '@tessera/react';
import { useEffect } from 'react';
import { Dashboard } from './Dashboard';
import { Header } from './Header';
import { SignIn } from './SignIn';
import { useMe } from './use-me';

export function App() {
  const { status } = useAuth();
  const me = useMe();

  // The SDK has consumed the hosted-login callback: show the app at its root.
  useEffect(() => {
    if (status !== 'loading' && window.location.pathname === '/callback')
      window.history.replaceState(null, '', '/');
  }, [status]);

  return (
    <>
      <Header me={me} />
      <main className="page">
        {status === 'loading' && (
          <section id="loading" className="loading" aria-busy="true">
            <span className="spinner" aria-hidden="true" />
            <p>Restoring your session from the refresh cookie…</p>
          </section>
        )}
        {status === 'unauthenticated' && <SignIn />}
        {status === 'authenticated' && <Dashboard me={me} />}
      </main>
      <Footer />
    </>
  );
}

function Footer() {
  return (
    <footer className="footer">
      <p>
        Tessera — self-hosted session tokens. This app uses <code>@tessera/react</code> on top of{' '}
        <code>@tessera/browser</code>; the access token lives only in memory.
      </p>
    </footer>
  );
}
