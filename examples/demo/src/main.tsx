import { AuthProvider } from '@tessera/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { DemoConfigContext, loadConfig } from './config';
import './styles.css';

async function start(root: HTMLElement): Promise<void> {
  const config = await loadConfig();
  createRoot(root).render(
    <StrictMode>
      <DemoConfigContext.Provider value={config}>
        <AuthProvider
          baseUrl={config.baseUrl}
          clientId={config.clientId}
          redirectUri={`${window.location.origin}/callback`}
          authOptions={{ keepSessionAlive: true, enableSessionPerTenant: true }}
        >
          <App />
        </AuthProvider>
      </DemoConfigContext.Provider>
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (root) {
  start(root).catch((error: unknown) => {
    const message = document.createElement('p');
    message.className = 'fatal';
    message.textContent = `The demo could not start: ${error instanceof Error ? error.message : String(error)}`;
    root.replaceChildren(message);
  });
}
