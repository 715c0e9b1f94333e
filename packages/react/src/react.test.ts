/**
 * The provider, hooks and guard rendered with react-dom/server: what each renders for each state,
 * and that a StrictMode double render creates one client. Effects (init, destroy, the token) are
 * exercised in real Chromium by e2e/react-strict-mode.test.ts.
 */
import type { AuthClient } from '@tessera/browser';
import { createElement as h, type ReactNode, StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeClient, LOADING, SIGNED_IN, SIGNED_OUT } from './fake-client.test-helpers.js';
import { AuthProvider, RequireAuth, useAccessToken, useAuth, useAuthUser, useTenants } from './index.js';

const created = vi.hoisted(() => ({ count: 0 }));
vi.mock('@tessera/browser', async () => {
  const { fakeClient } = await import('./fake-client.test-helpers.js');
  return {
    createAuthClient: () => {
      created.count++;
      return fakeClient();
    },
  };
});

beforeEach(() => {
  created.count = 0;
});

function render(client: AuthClient, children: ReactNode): string {
  return renderToString(h(AuthProvider, { client }, children));
}

function Probe({ read }: { read: () => unknown }): ReactNode {
  return JSON.stringify(read());
}

describe('useAuth', () => {
  it('gives the state with isLoading / isAuthenticated and the client’s methods', () => {
    const client = fakeClient(SIGNED_IN);
    let seen: ReturnType<typeof useAuth> | undefined;
    render(
      client,
      h(() => {
        seen = useAuth();
        return null;
      }),
    );
    expect(seen).toMatchObject({ ...SIGNED_IN, isAuthenticated: true, isLoading: false, client });
    for (const method of ['login', 'loginWithRedirect', 'logout', 'switchTenant', 'getAccessToken'] as const)
      expect(typeof seen?.[method]).toBe('function');
  });

  it('says loading while the session is being restored', () => {
    let seen: ReturnType<typeof useAuth> | undefined;
    render(
      fakeClient(LOADING),
      h(() => {
        seen = useAuth();
        return null;
      }),
    );
    expect(seen).toMatchObject({ status: 'loading', isLoading: true, isAuthenticated: false });
  });

  it('calls the client’s own methods', async () => {
    const client = fakeClient(SIGNED_IN);
    let seen: ReturnType<typeof useAuth> | undefined;
    render(
      client,
      h(() => {
        seen = useAuth();
        return null;
      }),
    );
    await seen?.switchTenant('globex');
    expect(client.calls.switchTenant).toBe(1);
    expect(client.getState().tenantId).toBe('globex');
  });

  it('throws a clear error outside <AuthProvider>', () => {
    for (const hook of [useAuth, useAuthUser, useTenants, useAccessToken]) {
      expect(() => renderToString(h(Probe, { read: hook }))).toThrow(
        `${hook.name}() must be called inside <AuthProvider>`,
      );
    }
  });
});

describe('useAuthUser, useTenants, useAccessToken', () => {
  it('read the user, the tab’s tenant and the user’s tenants', () => {
    const html = render(
      fakeClient(SIGNED_IN),
      h(
        'div',
        null,
        h(Probe, { read: useAuthUser }),
        h(Probe, { read: () => ({ ...useTenants(), switchTenant: typeof useTenants().switchTenant }) }),
      ),
    );
    expect(html).toContain(JSON.stringify(SIGNED_IN.user).replaceAll('"', '&quot;'));
    expect(html).toContain(
      JSON.stringify({
        tenantId: 'acme',
        tenantIds: ['acme', 'globex'],
        switchTenant: 'function',
      }).replaceAll('"', '&quot;'),
    );
  });

  it('are empty while signed out', () => {
    const html = render(
      fakeClient(SIGNED_OUT),
      h(
        'div',
        null,
        h(Probe, { read: useAuthUser }),
        h(Probe, { read: useTenants }),
        h(Probe, { read: useAccessToken }),
      ),
    );
    expect(html).toBe(
      '<div>null<!-- -->{&quot;tenantId&quot;:null,&quot;tenantIds&quot;:[]}<!-- -->null</div>',
    );
  });

  it('useAccessToken has no token before an effect read it (server render)', () => {
    expect(render(fakeClient(SIGNED_IN), h(Probe, { read: useAccessToken }))).toBe('null');
  });
});

describe('RequireAuth', () => {
  const guarded = (client: AuthClient) =>
    render(
      client,
      h(
        RequireAuth,
        { fallback: h('p', null, 'sign in'), loading: h('p', null, 'restoring') },
        h('p', null, 'secret'),
      ),
    );

  it('renders its children only when signed in', () => {
    expect(guarded(fakeClient(SIGNED_IN))).toBe('<p>secret</p>');
    expect(guarded(fakeClient(SIGNED_OUT))).toBe('<p>sign in</p>');
    expect(guarded(fakeClient(LOADING))).toBe('<p>restoring</p>');
  });

  it('renders nothing by default while loading or signed out', () => {
    for (const state of [LOADING, SIGNED_OUT])
      expect(render(fakeClient(state), h(RequireAuth, null, h('p', null, 'secret')))).toBe('');
  });
});

describe('AuthProvider', () => {
  const props = { baseUrl: 'https://auth.example.com', clientId: 'ssr-test' };

  it('creates one client for StrictMode’s double render, and for equal options written anew', () => {
    const app = (keepSessionAlive: boolean) =>
      h(
        StrictMode,
        null,
        h(
          AuthProvider,
          { ...props, authOptions: { keepSessionAlive } },
          h(Probe, { read: () => useAuth().status }),
        ),
      );
    expect(renderToString(app(true))).toBe('&quot;loading&quot;');
    renderToString(app(true));
    expect(created.count).toBe(1);
    renderToString(app(false));
    expect(created.count).toBe(2);
  });

  it('does not init on the server (effects do not run)', () => {
    const client = fakeClient();
    render(client, null);
    expect(client.calls.init).toBe(0);
  });
});
