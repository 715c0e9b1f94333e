/**
 * Every string prop of every page gets hostile input; none may appear unescaped or change the
 * page's structure (tag and attribute names), and validated props must drop it entirely.
 */
import { describe, expect, it } from 'vitest';
import { type AccountPageProps, renderAccountPage } from './account-page.js';
import { renderErrorPage } from './error-page.js';
import { escapeHtml } from './html.js';
import { renderLoginPage } from './login-page.js';
import { BRANDING, signature } from './login-ui.test-helpers.js';
import { renderLogoutConfirmation } from './logout-confirmation.js';
import { renderTenantPicker } from './tenant-picker.js';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '`-alert(1)-` {{7*7}} #{7*7} {{constructor.constructor("alert(1)")()}}',
  'line one\r\nSet-Cookie: sid=1\r\n\r\n<b>bold</b>',
  'Zoë Ünïcødé 🔐 日本語 \u202eevil\u2028next',
  '&lt;already escaped&gt; &amp; &#60;',
];

/** How a case's value is expected to appear. */
type Outcome = 'escaped' | 'dropped';

interface Case {
  page: string;
  prop: string;
  render: (value: string) => string;
  outcome: Outcome;
}

const login = {
  branding: BRANDING,
  action: '/oauth/login',
  csrfToken: 'csrf',
  interactionId: 'int',
  email: 'ada@example.com',
  error: 'invalid_credentials' as const,
};
const picker = { ...login, tenants: [{ id: 't1', name: 'Acme' }] };
const errorPage = { branding: BRANDING, title: 'Invalid request', message: 'Not valid.' };
const logout = { branding: BRANDING, action: '/oauth/logout', csrfToken: 'csrf', clientName: 'App' };

const NOW = 1_800_000_000;
const account: AccountPageProps = {
  branding: BRANDING,
  actions: {
    logout: '/account/logout',
    endSession: '/account/sessions/end',
    endOthers: '/account/sessions/end-others',
    password: '/account/password',
  },
  csrfToken: 'csrf',
  user: { email: 'ada@example.com', name: 'Ada' },
  tenants: [{ name: 'Acme', roles: ['admin'] }],
  sessions: [
    {
      sid: 's1',
      current: true,
      deviceLabel: 'Chrome 131 on macOS',
      deviceKind: 'desktop',
      ip: '203.0.113.4',
      createdAt: NOW - 90,
      lastActiveAt: NOW,
    },
    {
      sid: 's2',
      current: false,
      deviceLabel: 'Safari on iOS',
      deviceKind: 'mobile',
      ip: '198.51.100.7',
      createdAt: NOW - 9000,
      lastActiveAt: NOW - 4000,
    },
  ],
  now: NOW,
  passwordErrors: { currentPassword: 'Wrong.', newPassword: 'Weak.', confirmation: 'Mismatch.' },
};
const otherSession = (change: Partial<AccountPageProps['sessions'][number]>) =>
  renderAccountPage({ ...account, sessions: [account.sessions[0]!, { ...account.sessions[1]!, ...change }] });

function accountCases(): Case[] {
  const page = 'account';
  const escaped = (prop: string, render: (value: string) => string): Case => ({
    page,
    prop,
    render,
    outcome: 'escaped',
  });
  return [
    ...brandingCases(page, (branding) => renderAccountPage({ ...account, branding })),
    ...(['logout', 'endSession', 'endOthers', 'password'] as const).map((action) =>
      escaped(`actions.${action}`, (value) =>
        renderAccountPage({ ...account, actions: { ...account.actions, [action]: value } }),
      ),
    ),
    escaped('csrfToken', (csrfToken) => renderAccountPage({ ...account, csrfToken })),
    escaped('user.email', (email) => renderAccountPage({ ...account, user: { ...account.user, email } })),
    escaped('user.name', (name) => renderAccountPage({ ...account, user: { ...account.user, name } })),
    escaped('tenants[].name', (name) =>
      renderAccountPage({ ...account, tenants: [{ name, roles: ['admin'] }] }),
    ),
    escaped('tenants[].roles[]', (role) =>
      renderAccountPage({ ...account, tenants: [{ name: 'Acme', roles: [role] }] }),
    ),
    escaped('sessions[].deviceLabel', (deviceLabel) => otherSession({ deviceLabel })),
    escaped('sessions[].ip', (ip) => otherSession({ ip })),
    escaped('sessions[].sid', (sid) => otherSession({ sid })),
    {
      page,
      prop: 'sessions[].deviceKind',
      render: (deviceKind) => otherSession({ deviceKind }),
      outcome: 'dropped',
    },
    ...(['currentPassword', 'newPassword', 'confirmation'] as const).map((field) =>
      escaped(`passwordErrors.${field}`, (value) =>
        renderAccountPage({ ...account, passwordErrors: { ...account.passwordErrors, [field]: value } }),
      ),
    ),
  ];
}

function brandingCases(page: string, render: (branding: typeof BRANDING) => string): Case[] {
  return [
    { page, prop: 'branding.name', render: (name) => render({ ...BRANDING, name }), outcome: 'escaped' },
    {
      page,
      prop: 'branding.logoUrl (kept, path)',
      render: (v) => render({ ...BRANDING, logoUrl: `https://cdn.example.com/${v}` }),
      outcome: 'dropped', // percent-encoded by URL normalisation, so not even the escaped form appears
    },
    {
      page,
      prop: 'branding.logoUrl (dropped)',
      render: (logoUrl) => render({ ...BRANDING, logoUrl }),
      outcome: 'dropped',
    },
    {
      page,
      prop: 'branding.primaryColor',
      render: (primaryColor) => render({ ...BRANDING, primaryColor }),
      outcome: 'dropped',
    },
  ];
}

const CASES: Case[] = [
  ...brandingCases('login', (branding) => renderLoginPage({ ...login, branding })),
  {
    page: 'login',
    prop: 'action',
    render: (action) => renderLoginPage({ ...login, action }),
    outcome: 'escaped',
  },
  {
    page: 'login',
    prop: 'csrfToken',
    render: (csrfToken) => renderLoginPage({ ...login, csrfToken }),
    outcome: 'escaped',
  },
  {
    page: 'login',
    prop: 'interactionId',
    render: (interactionId) => renderLoginPage({ ...login, interactionId }),
    outcome: 'escaped',
  },
  {
    page: 'login',
    prop: 'email',
    render: (email) => renderLoginPage({ ...login, email }),
    outcome: 'escaped',
  },
  ...brandingCases('tenant picker', (branding) => renderTenantPicker({ ...picker, branding })),
  {
    page: 'tenant picker',
    prop: 'action',
    render: (action) => renderTenantPicker({ ...picker, action }),
    outcome: 'escaped',
  },
  {
    page: 'tenant picker',
    prop: 'csrfToken',
    render: (csrfToken) => renderTenantPicker({ ...picker, csrfToken }),
    outcome: 'escaped',
  },
  {
    page: 'tenant picker',
    prop: 'interactionId',
    render: (interactionId) => renderTenantPicker({ ...picker, interactionId }),
    outcome: 'escaped',
  },
  {
    page: 'tenant picker',
    prop: 'tenants[].id',
    render: (id) => renderTenantPicker({ ...picker, tenants: [{ id, name: 'Acme' }] }),
    outcome: 'escaped',
  },
  {
    page: 'tenant picker',
    prop: 'tenants[].name',
    render: (name) => renderTenantPicker({ ...picker, tenants: [{ id: 't1', name }] }),
    outcome: 'escaped',
  },
  ...brandingCases('error', (branding) => renderErrorPage({ ...errorPage, branding })),
  {
    page: 'error',
    prop: 'title',
    render: (title) => renderErrorPage({ ...errorPage, title }),
    outcome: 'escaped',
  },
  {
    page: 'error',
    prop: 'message',
    render: (message) => renderErrorPage({ ...errorPage, message }),
    outcome: 'escaped',
  },
  ...brandingCases('logout', (branding) => renderLogoutConfirmation({ ...logout, branding })),
  {
    page: 'logout',
    prop: 'action',
    render: (action) => renderLogoutConfirmation({ ...logout, action }),
    outcome: 'escaped',
  },
  {
    page: 'logout',
    prop: 'csrfToken',
    render: (csrfToken) => renderLogoutConfirmation({ ...logout, csrfToken }),
    outcome: 'escaped',
  },
  {
    page: 'logout',
    prop: 'clientName',
    render: (clientName) => renderLogoutConfirmation({ ...logout, clientName }),
    outcome: 'escaped',
  },
];

CASES.push(...accountCases());

const BENIGN = 'plain';

describe.each(CASES)('$page: $prop', ({ render, outcome, prop }) => {
  it.each(PAYLOADS)('renders %j inertly', (payload) => {
    const doc = render(payload);
    expect(doc).not.toMatch(/<script|<img src=x|<svg|<b>/i);
    if (escapeHtml(payload) !== payload) expect(doc).not.toContain(payload);
    if (outcome === 'escaped') {
      expect(doc).toContain(escapeHtml(payload));
    } else {
      expect(doc).not.toContain(escapeHtml(payload));
    }
    // A dropped logo legitimately swaps <img> for the initial; anything else must keep its shape.
    const baseline = prop === 'branding.logoUrl (dropped)' ? render(`http://x/${BENIGN}`) : render(BENIGN);
    expect(signature(doc)).toEqual(signature(baseline));
  });
});

describe('the payloads', () => {
  it('include characters that escaping must change', () => {
    expect(PAYLOADS.filter((p) => escapeHtml(p) !== p).length).toBeGreaterThanOrEqual(6);
  });
});
