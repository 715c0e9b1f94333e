// A dependency-free page that drives Tessera's browser session API directly. The real SDK
// (@tessera/browser) adds cross-tab single-flight and hosted login; this shows the wire protocol.
const config = await (await fetch('/config.json')).json();
const tabTenantKey = `tessera:${config.clientId}:tenant`;
const $ = (id) => document.getElementById(id);

let accessToken = null;
let refreshTimer = null;
let countdownTimer = null;
let nextRefreshAt = 0;
let interacted = false;

for (const type of ['pointerdown', 'keydown', 'scroll', 'touchstart']) {
  addEventListener(
    type,
    () => {
      interacted = true;
      $('activity').textContent = 'yes';
    },
    { passive: true },
  );
}

async function call(method, path, body, withBearer = false) {
  const headers = { 'x-tessera-request': '1' };
  if (body) headers['content-type'] = 'application/json';
  if (withBearer) headers.authorization = `Bearer ${accessToken}`;
  const response = await fetch(`${config.baseUrl}${path}`, {
    method,
    headers,
    credentials: 'include',
    body: body ? JSON.stringify(body) : undefined,
  });
  const payload = response.status === 204 ? null : await response.json();
  if (!response.ok)
    throw Object.assign(new Error(payload?.message ?? response.statusText), {
      code: payload?.error,
      status: response.status,
    });
  return payload;
}

function decode(token) {
  const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
}

async function refresh() {
  const tenantId = sessionStorage.getItem(tabTenantKey) ?? undefined;
  const active = interacted;
  interacted = false;
  $('activity').textContent = 'no';
  try {
    signedIn(await call('POST', '/auth/v1/refresh', { clientId: config.clientId, tenantId, active }));
  } catch (error) {
    if (error.status === 403 && error.code === 'tenant_forbidden' && tenantId) {
      sessionStorage.removeItem(tabTenantKey);
      return refresh();
    }
    if (error.status === 401 || error.status === 403)
      return signedOut(error.code === 'no_session' ? '' : error.message);
    notice(`Refresh failed (${error.message}); retrying in 5 s.`);
    schedule(5);
  }
}

function schedule(seconds) {
  clearTimeout(refreshTimer);
  nextRefreshAt = Date.now() + seconds * 1000;
  refreshTimer = setTimeout(refresh, seconds * 1000);
}

async function signedIn(tokens) {
  accessToken = tokens.accessToken;
  sessionStorage.setItem(tabTenantKey, tokens.tenantId);
  show('signed-in');
  $('whoami').textContent = `${tokens.user.email} · ${tokens.tenantId}`;
  $('ttl').textContent = tokens.expiresIn;
  $('claims').textContent = JSON.stringify(decode(tokens.accessToken), null, 2);
  schedule(tokens.expiresIn * 0.8);
  clearInterval(countdownTimer);
  countdownTimer = setInterval(() => {
    $('countdown').textContent = `${Math.max(0, Math.round((nextRefreshAt - Date.now()) / 1000))} s`;
  }, 250);
  await Promise.all([renderTenants(tokens.tenantId), renderSessions()]);
}

function signedOut(message = '') {
  accessToken = null;
  clearTimeout(refreshTimer);
  clearInterval(countdownTimer);
  $('whoami').textContent = '';
  show('signed-out');
  notice(message);
}

async function renderTenants(current) {
  const me = await call('GET', '/auth/v1/me', null, true);
  const container = $('tenants');
  container.replaceChildren(
    ...me.tenants.map((tenant) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${tenant.name} · ${tenant.roles.join(', ')}`;
      button.setAttribute('aria-pressed', String(tenant.id === current));
      button.addEventListener('click', async () => {
        sessionStorage.setItem(tabTenantKey, tenant.id);
        interacted = true;
        await refresh();
      });
      return button;
    }),
  );
}

async function renderSessions() {
  const sessions = await call('GET', '/auth/v1/sessions', null, true);
  $('sessions').replaceChildren(
    ...sessions.map((session) => {
      const row = document.createElement('tr');
      const cells = [
        session.current ? `${session.sid.slice(0, 8)}… (this browser)` : `${session.sid.slice(0, 8)}…`,
        new Date(session.createdAt).toLocaleString(),
        new Date(session.lastActiveAt).toLocaleString(),
        session.userAgent ?? '',
      ];
      for (const text of cells) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      row.lastChild.className = 'ua';
      const action = document.createElement('td');
      if (!session.current) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'secondary';
        button.textContent = 'Sign out';
        button.addEventListener('click', async () => {
          await call('DELETE', `/auth/v1/sessions/${encodeURIComponent(session.sid)}`, null, true);
          await renderSessions();
        });
        action.append(button);
      }
      row.append(action);
      return row;
    }),
  );
}

function show(id) {
  for (const section of ['loading', 'signed-out', 'signed-in']) $(section).hidden = section !== id;
}

function notice(text) {
  $('notice').textContent = text;
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('login-error').textContent = '';
  try {
    sessionStorage.removeItem(tabTenantKey);
    signedIn(
      await call('POST', '/auth/v1/login', {
        email: form.get('email'),
        password: form.get('password'),
        clientId: config.clientId,
      }),
    );
    notice('');
  } catch (error) {
    $('login-error').textContent = error.message;
  }
});
$('refresh-now').addEventListener('click', refresh);
$('make-default').addEventListener('click', async () => {
  signedIn(
    await call('PUT', '/auth/v1/tenant', {
      clientId: config.clientId,
      tenantId: sessionStorage.getItem(tabTenantKey),
    }),
  );
  notice('New tabs will open on this tenant.');
});
$('end-others').addEventListener('click', async () => {
  await call('DELETE', '/auth/v1/sessions', null, true);
  await renderSessions();
});
$('logout').addEventListener('click', async () => {
  await call('POST', '/auth/v1/logout', { clientId: config.clientId });
  sessionStorage.removeItem(tabTenantKey);
  signedOut('Signed out.');
});
addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && accessToken && Date.now() >= nextRefreshAt) refresh();
});

refresh();
