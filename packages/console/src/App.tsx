/**
 * The console: checks for a console session, shows sign-in without one, and routes between the
 * pages with one. Any 401 (the session expired or was ended) returns to sign-in.
 */
import { useCallback, useEffect, useState } from 'react';
import { currentSession, onUnauthorized, signOut } from './api';
import { Layout } from './components/Layout';
import { Loading } from './components/States';
import { ToastProvider } from './components/Toasts';
import { EnvironmentProvider } from './environment';
import { Pages } from './Pages';
import { SignIn } from './pages/SignIn';
import { appPath, navigate, useRoute } from './router';

type Status = 'checking' | 'signed-out' | 'expired' | 'signed-in';

export function App() {
  const [status, setStatus] = useState<Status>('checking');
  const { segments } = useRoute();
  const onSignInPage = segments[0] === 'sign-in';

  useEffect(() => {
    onUnauthorized(() => setStatus((now) => (now === 'signed-in' ? 'expired' : now)));
    currentSession().then(
      (session) => setStatus(session ? 'signed-in' : 'signed-out'),
      () => setStatus('signed-out'),
    );
  }, []);

  // Signed out: the address says so (and remembers where to come back to); signed in: off sign-in.
  useEffect(() => {
    if ((status === 'signed-out' || status === 'expired') && !onSignInPage) {
      const back = appPath(window.location.pathname + window.location.search);
      navigate(`/sign-in${back === '/' ? '' : `?next=${encodeURIComponent(back)}`}`, { replace: true });
    }
  }, [status, onSignInPage]);

  const signedIn = useCallback(() => {
    const next = new URLSearchParams(window.location.search).get('next');
    setStatus('signed-in');
    navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
  }, []);

  const leave = useCallback(async () => {
    try {
      await signOut();
    } finally {
      // A deliberate sign-out has no page to come back to.
      navigate('/sign-in', { replace: true });
      setStatus('signed-out');
    }
  }, []);

  if (status === 'checking') return <Loading label="Opening the console…" />;
  if (status !== 'signed-in') return <SignIn onSignedIn={signedIn} expired={status === 'expired'} />;
  return (
    <ToastProvider>
      <EnvironmentProvider>
        <Layout onSignOut={leave}>
          <Pages />
        </Layout>
      </EnvironmentProvider>
    </ToastProvider>
  );
}
