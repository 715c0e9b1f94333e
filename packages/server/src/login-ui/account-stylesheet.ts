/**
 * The account page's own rules, on top of the hosted login's stylesheet (its colours, fields,
 * buttons and focus ring) and under the brand stylesheet. Mobile first; served like the login
 * stylesheet, immutable under a content hash.
 */
import { createHash } from 'node:crypto';

/** Where the route serves {@link ACCOUNT_STYLESHEET}, for every environment. */
export const ACCOUNT_STYLESHEET_PATH = '/oauth/assets/account.css';

export const ACCOUNT_STYLESHEET = `.account-body {
  padding: 0 0 32px;
}
.topbar {
  background: var(--card);
  border-bottom: 1px solid var(--line);
}
.topbar-inner {
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 12px;
  max-width: 800px;
  margin: 0 auto;
  padding: 12px 16px;
}
.topbar .brand {
  margin: 0;
  min-width: 0;
}
.button-quiet,
.button-secondary,
.button-small {
  min-height: 40px;
  padding: 8px 14px;
  border: 1px solid var(--field);
  border-radius: var(--radius-sm);
  background: var(--card);
  color: var(--ink);
  font: inherit;
  font-size: 14px;
  font-weight: 600;
  white-space: nowrap;
  cursor: pointer;
}
.button-quiet:hover,
.button-secondary:hover,
.button-small:hover {
  border-color: var(--brand-accent);
  color: var(--brand-accent);
}
.button-small {
  min-height: 36px;
  padding: 6px 12px;
}
.account {
  display: block;
  max-width: 800px;
  margin: 0 auto;
  padding: 24px 16px 0;
}
.account h1 {
  font-size: 26px;
}
.account .lead {
  margin-bottom: 20px;
}
.panel {
  margin: 0 0 16px;
  padding: 20px 16px;
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: var(--radius);
  box-shadow: 0 1px 2px rgb(16 24 40 / 4%);
}
.panel h2 {
  margin: 0 0 12px;
  font-size: 17px;
  line-height: 1.4;
}
.panel-head {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  justify-content: space-between;
  gap: 8px 16px;
  margin: 0 0 12px;
}
.panel-head h2 {
  margin: 0;
}
.muted {
  margin: 0;
  color: var(--muted);
  font-size: 14px;
}
.profile {
  display: flex;
  align-items: center;
  gap: 16px;
}
.avatar {
  display: none;
  flex: none;
  place-items: center;
  width: 48px;
  height: 48px;
  border-radius: 50%;
  background: var(--brand);
  color: var(--brand-ink);
  font-size: 20px;
  font-weight: 700;
}
.facts {
  display: grid;
  gap: 6px;
  min-width: 0;
  margin: 0;
}
.facts div {
  display: grid;
  gap: 0 12px;
}
.facts dt {
  color: var(--muted);
  font-size: 14px;
}
.facts dd {
  margin: 0;
  font-weight: 600;
  overflow-wrap: anywhere;
}
.rows {
  margin: 0;
  padding: 0;
  list-style: none;
}
.row,
.session {
  display: flex;
  align-items: center;
  gap: 12px;
  padding: 12px 0;
  border-top: 1px solid var(--line);
}
.rows > :first-child {
  border-top: 0;
}
.row {
  justify-content: space-between;
  flex-wrap: wrap;
}
.row-title {
  min-width: 0;
  font-weight: 600;
  overflow-wrap: anywhere;
}
.chips {
  display: flex;
  flex-wrap: wrap;
  gap: 6px;
}
.chip {
  padding: 2px 10px;
  border: 1px solid var(--line);
  border-radius: 999px;
  background: var(--bg);
  color: var(--ink);
  font-size: 13px;
  overflow-wrap: anywhere;
}
.device {
  display: grid;
  flex: none;
  place-items: center;
  width: 40px;
  height: 40px;
  border-radius: var(--radius-sm);
  background: var(--bg);
  color: var(--muted);
}
.device::before,
.device::after {
  content: "";
  display: block;
  box-sizing: border-box;
}
.device-screen::before {
  width: 20px;
  height: 14px;
  border: 2px solid currentColor;
  border-radius: 3px;
}
.device-screen::after {
  width: 10px;
  height: 4px;
  margin: 0 auto;
  border-bottom: 2px solid currentColor;
  border-left: 2px solid transparent;
  border-right: 2px solid transparent;
}
.device-phone::before {
  width: 13px;
  height: 20px;
  border: 2px solid currentColor;
  border-radius: 3px;
}
.device {
  grid-auto-flow: row;
  align-content: center;
}
.session-current .device {
  background: var(--brand);
  color: var(--brand-ink);
}
.session-main {
  min-width: 0;
}
.session-title {
  margin: 0;
  font-weight: 600;
  overflow-wrap: anywhere;
}
.session-meta {
  margin: 2px 0 0;
  color: var(--muted);
  font-size: 13px;
  overflow-wrap: anywhere;
}
.session {
  flex-wrap: wrap;
}
.session-main {
  flex: 1 1 200px;
}
.session form {
  flex: none;
  margin-left: auto;
}
.badge {
  display: inline-block;
  margin: 0 0 0 6px;
  padding: 1px 8px;
  vertical-align: 1px;
  border-radius: 999px;
  background: #ecfdf3;
  color: #067647;
  font-size: 12px;
  font-weight: 600;
  white-space: nowrap;
}
.password-form {
  max-width: 400px;
  margin-top: 16px;
}
.field-hint {
  margin: 6px 0 0;
  color: var(--muted);
  font-size: 13px;
}
.field-error {
  margin: 6px 0 0;
  color: var(--err);
  font-size: 14px;
  font-weight: 600;
}
.button-inline {
  width: auto;
}
.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
  border: 0;
}
@media (min-width: 480px) {
  .avatar {
    display: grid;
  }
  .facts div {
    grid-template-columns: 64px minmax(0, 1fr);
  }
}
@media (min-width: 640px) {
  .topbar-inner {
    padding: 14px 24px;
  }
  .account {
    padding: 40px 24px 0;
  }
  .panel {
    padding: 24px 28px;
  }
}
@media (forced-colors: active) {
  .button-quiet,
  .button-secondary,
  .button-small,
  .badge {
    border: 1px solid ButtonText;
  }
}
`;

/** The URL the account page links: {@link ACCOUNT_STYLESHEET_PATH} plus a content hash. */
export const ACCOUNT_STYLESHEET_HREF = `${ACCOUNT_STYLESHEET_PATH}?v=${createHash('sha256')
  .update(ACCOUNT_STYLESHEET)
  .digest('hex')
  .slice(0, 16)}`;
