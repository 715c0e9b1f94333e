/**
 * The static stylesheet of the hosted login (mobile first). The brand colour is not in here: it
 * arrives as the custom properties `--brand`, `--brand-ink` and `--brand-accent`, which
 * `brand.css` overrides per environment (see `brand-stylesheet.ts`).
 */
import { createHash } from 'node:crypto';

/** Where the route serves {@link LOGIN_STYLESHEET}, for every environment. */
export const LOGIN_STYLESHEET_PATH = '/oauth/assets/login.css';

/** The hosted login's CSS. Serve as `text/css; charset=utf-8` with a long `max-age`. */
export const LOGIN_STYLESHEET = `:root {
  color-scheme: light;
  --bg: #f6f7fb;
  --card: #fff;
  --ink: #1c2033;
  --muted: #667085;
  --line: #e4e7ec;
  --field: #d0d5dd;
  --field-hover: #98a2b3;
  --err: #b42318;
  --err-bg: #fef3f2;
  --err-line: #fecdca;
  --brand: #4f46e5;
  --brand-ink: #fff;
  --brand-accent: #4f46e5;
  --radius: 12px;
  --radius-sm: 8px;
}
*,
*::before,
*::after {
  box-sizing: border-box;
}
html {
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}
body {
  margin: 0;
  min-height: 100vh;
  padding: 24px 16px;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  background: var(--bg);
  color: var(--ink);
}
.shell {
  width: 100%;
  max-width: 400px;
  margin: 0 auto;
}
.card {
  display: block;
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: var(--radius);
  padding: 24px 20px;
  box-shadow: 0 1px 2px rgb(16 24 40 / 4%), 0 12px 32px rgb(16 24 40 / 8%);
}
.brand {
  display: flex;
  align-items: center;
  gap: 10px;
  margin: 0 0 24px;
  font-size: 17px;
  font-weight: 700;
  overflow-wrap: anywhere;
}
.brand-name {
  min-width: 0;
}
.brand-logo {
  display: block;
  max-width: 160px;
  max-height: 40px;
  width: auto;
  height: auto;
}
.brand-mark {
  display: grid;
  flex: none;
  place-items: center;
  width: 32px;
  height: 32px;
  border-radius: var(--radius-sm);
  background: var(--brand);
  color: var(--brand-ink);
  font-size: 15px;
  line-height: 1;
}
h1 {
  margin: 0 0 6px;
  font-size: 22px;
  line-height: 1.3;
  letter-spacing: -0.01em;
  overflow-wrap: anywhere;
}
.lead {
  margin: 0 0 24px;
  color: var(--muted);
  overflow-wrap: anywhere;
}
.lead strong {
  color: var(--ink);
}
.notice {
  margin: 0 0 20px;
  padding: 10px 12px;
  border: 1px solid #abefc6;
  border-radius: var(--radius-sm);
  background: #ecfdf3;
  color: #067647;
  font-size: 14px;
}
.alert {
  margin: 0 0 20px;
  padding: 10px 12px;
  border: 1px solid var(--err-line);
  border-radius: var(--radius-sm);
  background: var(--err-bg);
  color: var(--err);
  font-size: 14px;
}
form {
  margin: 0;
}
.field {
  margin: 0 0 16px;
}
label {
  display: block;
  margin: 0 0 6px;
  font-size: 14px;
  font-weight: 600;
}
.input {
  display: block;
  width: 100%;
  min-height: 44px;
  padding: 10px 12px;
  border: 1px solid var(--field);
  border-radius: var(--radius-sm);
  background: var(--card);
  color: var(--ink);
  /* 16px keeps iOS Safari from zooming into the field on focus. */
  font: inherit;
  font-size: 16px;
}
.input:hover {
  border-color: var(--field-hover);
}
.input[aria-invalid="true"] {
  border-color: var(--err);
}
:focus-visible {
  outline: 3px solid var(--brand-accent);
  outline-offset: 2px;
}
.input:focus-visible {
  outline-offset: 0;
  border-color: var(--brand-accent);
}
.button {
  display: block;
  width: 100%;
  min-height: 44px;
  margin: 8px 0 0;
  padding: 10px 16px;
  border: 1px solid var(--brand);
  border-radius: var(--radius-sm);
  background: var(--brand);
  color: var(--brand-ink);
  font: inherit;
  font-weight: 600;
  cursor: pointer;
}
.button:hover {
  background: color-mix(in srgb, var(--brand) 86%, #000);
}
.tenants {
  display: grid;
  gap: 8px;
  margin: 0;
  padding: 0;
  list-style: none;
}
.tenant {
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 12px;
  width: 100%;
  min-height: 48px;
  padding: 10px 14px;
  border: 1px solid var(--line);
  border-radius: var(--radius-sm);
  background: var(--card);
  color: var(--ink);
  font: inherit;
  font-weight: 600;
  text-align: left;
  overflow-wrap: anywhere;
  cursor: pointer;
}
.tenant::after {
  content: "\\2192";
  flex: none;
  color: var(--muted);
  font-weight: 400;
}
.tenant:hover {
  border-color: var(--brand-accent);
}
.tenant:hover::after {
  color: var(--brand-accent);
}
.hint {
  margin: 16px 0 0;
  color: var(--muted);
  font-size: 14px;
}
.footer {
  margin: 20px 0 0;
  color: var(--muted);
  font-size: 13px;
  text-align: center;
}
@media (min-width: 480px) {
  body {
    padding: 12vh 24px 32px;
  }
  .card {
    padding: 36px 40px;
  }
}
@media (forced-colors: active) {
  .button,
  .tenant {
    border: 1px solid ButtonText;
  }
}
`;

/**
 * The URL pages link to: {@link LOGIN_STYLESHEET_PATH} plus a content hash, so a long cache
 * lifetime is safe across upgrades (the route ignores the query).
 */
export const LOGIN_STYLESHEET_HREF = `${LOGIN_STYLESHEET_PATH}?v=${createHash('sha256')
  .update(LOGIN_STYLESHEET)
  .digest('hex')
  .slice(0, 16)}`;
