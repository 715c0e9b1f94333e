/**
 * The end user's account page (docs/account.md): profile, tenants and roles, the sessions with
 * their device, and the forms that sign sessions out and change the password. Plain forms that
 * post back with the page's CSRF token; no script (the login pages' CSP).
 */
import { ACCOUNT_STYLESHEET_HREF } from './account-stylesheet.js';
import type { LoginBranding } from './branding.js';
import { hiddenFields } from './hidden-fields.js';
import { html, type SafeHtml } from './html.js';
import { brandHeader, documentHead } from './layout.js';

/** The names of the fields the account page's forms post. */
export const ACCOUNT_FORM_FIELDS = {
  csrfToken: 'csrf_token',
  sid: 'sid',
  currentPassword: 'current_password',
  newPassword: 'new_password',
  confirmation: 'confirm_password',
} as const;

/** What just happened, shown once after a form's 303 (`?done=`); a fixed message each. */
export type AccountNotice = 'session_ended' | 'session_not_found' | 'others_ended' | 'password_changed';

export const ACCOUNT_NOTICES: Readonly<Record<AccountNotice, string>> = {
  session_ended: 'That session is signed out.',
  session_not_found: 'That session is not signed in any more.',
  others_ended: 'You are signed out everywhere else. Only this device is still signed in.',
  password_changed: 'Your password is changed. Every other session was signed out.',
};

/** The sign-in page's notice after `?done=` (the browser is signed out by then). */
export const ACCOUNT_SIGN_IN_NOTICES = {
  signed_out: 'You are signed out on this device.',
} as const;

/** The password form's own errors (a weak new password is worded by the password rules). */
export const PASSWORD_FORM_MESSAGES = {
  missing: 'Enter your current password.',
  wrong: 'The current password is incorrect.',
  rateLimited: 'Too many attempts. Wait a few minutes, then try again.',
  mismatch: 'The new passwords do not match.',
} as const;

export interface AccountPageSession {
  sid: string;
  current: boolean;
  /** "Chrome 131 on macOS" (service/device.ts). */
  deviceLabel: string;
  /** "desktop", "mobile", "tablet", … or `null`. */
  deviceKind: string | null;
  ip: string | null;
  /** Epoch seconds. */
  createdAt: number;
  lastActiveAt: number;
}

/** An error under one field of the password form; the text is the caller's, never the input. */
export interface PasswordFormErrors {
  currentPassword?: string | undefined;
  newPassword?: string | undefined;
  confirmation?: string | undefined;
}

export interface AccountPageProps {
  branding: LoginBranding;
  /** The forms' POST targets. */
  actions: { logout: string; endSession: string; endOthers: string; password: string };
  csrfToken: string;
  user: { email: string; name: string | null };
  tenants: readonly { name: string; roles: readonly string[] }[];
  sessions: readonly AccountPageSession[];
  /** Epoch seconds, for "5 minutes ago". */
  now: number;
  notice?: AccountNotice | undefined;
  passwordErrors?: PasswordFormErrors | undefined;
}

/**
 * Renders the account page as a complete HTML document.
 *
 * @example
 * renderAccountPage({ branding, actions, csrfToken, now,
 *   user: { email: 'ada@example.com', name: 'Ada' },
 *   tenants: [{ name: 'Acme', roles: ['admin'] }],
 *   sessions: [{ sid, current: true, deviceLabel: 'Chrome 131 on macOS', deviceKind: 'desktop',
 *     ip: '203.0.113.4', createdAt, lastActiveAt }] })
 */
export function renderAccountPage(props: AccountPageProps): string {
  const { branding } = props;
  const title = 'Your account';
  return html`<!doctype html>
<html lang="en">
${documentHead(branding, title, ACCOUNT_STYLESHEET_HREF)}
<body class="account-body">
<header class="topbar">
<div class="topbar-inner">
${brandHeader(branding)}
<form method="post" action="${props.actions.logout}">
${hiddenFields(props.csrfToken)}
<button class="button-quiet" type="submit">Sign out</button>
</form>
</div>
</header>
<main class="account">
<h1>${title}</h1>
<p class="lead">Your ${branding.name} profile, organizations, and the devices signed in to it.</p>
${
  props.notice !== undefined &&
  html`<div class="notice" role="status">${ACCOUNT_NOTICES[props.notice]}</div>
`
}${profileSection(props)}
${tenantsSection(props)}
${sessionsSection(props)}
${passwordSection(props)}
</main>
<footer class="footer">Secured by Tessera</footer>
</body>
</html>
`.toString();
}

function profileSection(props: AccountPageProps): SafeHtml {
  const { user } = props;
  const shown = user.name ?? user.email;
  const initial = Array.from(shown.trim())[0]?.toUpperCase() ?? '';
  return html`<section class="panel" aria-labelledby="profile-title">
<h2 id="profile-title">Profile</h2>
<div class="profile">
<span class="avatar" aria-hidden="true">${initial}</span>
<dl class="facts">
<div><dt>Name</dt><dd>${user.name ?? html`<span class="muted">Not set</span>`}</dd></div>
<div><dt>Email</dt><dd>${user.email}</dd></div>
</dl>
</div>
</section>`;
}

function tenantsSection(props: AccountPageProps): SafeHtml {
  const rows = props.tenants.map(
    (tenant) => html`<li class="row">
<span class="row-title">${tenant.name}</span>
<span class="chips">${
      tenant.roles.length > 0
        ? tenant.roles.map((role) => html`<span class="chip">${role}</span>`)
        : html`<span class="muted">No role</span>`
    }</span>
</li>
`,
  );
  return html`<section class="panel" aria-labelledby="tenants-title">
<h2 id="tenants-title">Organizations</h2>
${
  rows.length > 0
    ? html`<ul class="rows">
${rows}</ul>`
    : html`<p class="muted">You are not a member of any organization.</p>`
}
</section>`;
}

function sessionsSection(props: AccountPageProps): SafeHtml {
  const others = props.sessions.filter((s) => !s.current).length;
  const rows = props.sessions.map((session) => sessionRow(props, session));
  return html`<section class="panel" aria-labelledby="sessions-title">
<div class="panel-head">
<h2 id="sessions-title">Where you are signed in</h2>
${
  others > 0 &&
  html`<form method="post" action="${props.actions.endOthers}">
${hiddenFields(props.csrfToken)}
<button class="button-secondary" type="submit">Sign out everywhere else</button>
</form>`
}
</div>
<ul class="rows sessions">
${rows}</ul>
${others === 0 && html`<p class="muted">This is the only device signed in to your account.</p>`}
</section>`;
}

function sessionRow(props: AccountPageProps, session: AccountPageSession): SafeHtml {
  const place = session.ip ?? 'Unknown address';
  const meta = [
    place,
    lastActive(props.now, session.lastActiveAt),
    `Signed in ${formatDate(session.createdAt)}`,
  ];
  const action =
    !session.current &&
    html`<form method="post" action="${props.actions.endSession}">
${hiddenFields(props.csrfToken)}
<input type="hidden" name="${ACCOUNT_FORM_FIELDS.sid}" value="${session.sid}">
<button class="button-small" type="submit" aria-label="Sign out ${session.deviceLabel}, ${place}">Sign out</button>
</form>`;
  return html`<li class="session${session.current ? ' session-current' : ''}">
${deviceIcon(session.deviceKind)}
<div class="session-main">
<p class="session-title"><span class="session-device">${session.deviceLabel}</span>${session.current && html` <span class="badge">This device</span>`}</p>
<p class="session-meta">${meta.map((part, i) => html`${i > 0 && html`<span aria-hidden="true"> · </span>`}<span>${part}</span>`)}</p>
</div>
${action}
</li>
`;
}

function passwordSection(props: AccountPageProps): SafeHtml {
  const errors = props.passwordErrors ?? {};
  const field = (
    id: string,
    name: string,
    label: string,
    autocomplete: string,
    error: string | undefined,
    hint?: string,
  ) => {
    const errorId = `${id}-error`;
    const hintId = `${id}-hint`;
    const described = [hint !== undefined ? hintId : null, error !== undefined ? errorId : null].filter(
      (x): x is string => x !== null,
    );
    return html`<div class="field">
<label for="${id}">${label}</label>
<input class="input" id="${id}" name="${name}" type="password" autocomplete="${autocomplete}" required${
      described.length > 0 && html` aria-describedby="${described.join(' ')}"`
    }${error !== undefined && html` aria-invalid="true"`}>
${
  hint !== undefined &&
  html`<p class="field-hint" id="${hintId}">${hint}</p>
`
}${
  error !== undefined &&
  html`<p class="field-error" id="${errorId}">${error}</p>
`
}</div>`;
  };
  return html`<section class="panel" aria-labelledby="password-title">
<h2 id="password-title">Change password</h2>
<p class="muted">Changing your password signs you out on every other device.</p>
<form method="post" action="${props.actions.password}" class="password-form">
${hiddenFields(props.csrfToken)}
<input class="visually-hidden" type="email" name="username" autocomplete="username" value="${props.user.email}" tabindex="-1" aria-hidden="true" readonly>
${field('current-password', ACCOUNT_FORM_FIELDS.currentPassword, 'Current password', 'current-password', errors.currentPassword)}
${field('new-password', ACCOUNT_FORM_FIELDS.newPassword, 'New password', 'new-password', errors.newPassword, 'At least 8 characters. Avoid common passwords.')}
${field('confirm-password', ACCOUNT_FORM_FIELDS.confirmation, 'Confirm new password', 'new-password', errors.confirmation)}
<button class="button button-inline" type="submit">Change password</button>
</form>
</section>`;
}

function deviceIcon(kind: string | null): SafeHtml {
  // Drawn by the stylesheet: the kind only picks one of two fixed classes.
  const shape = kind === 'mobile' || kind === 'tablet' ? 'device-phone' : 'device-screen';
  return html`<span class="device ${shape}" aria-hidden="true"></span>`;
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** "5 Dec 2026, 21:30 UTC": the server knows no time zone of the reader's. */
export function formatDate(epochSeconds: number): string {
  return `${DATE_FORMAT.format(new Date(epochSeconds * 1000))} UTC`;
}

/** "Active now", "Active 5 minutes ago", "Active 3 days ago". */
export function lastActive(now: number, at: number): string {
  const seconds = Math.max(0, now - at);
  if (seconds < 60) return 'Active now';
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    const count = Math.floor(seconds / size);
    if (count >= 1) return `Active ${count} ${unit}${count === 1 ? '' : 's'} ago`;
  }
  return 'Active now';
}
