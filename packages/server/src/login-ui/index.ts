/**
 * The hosted login's server-rendered pages: pure functions from props to complete HTML
 * documents, plus the stylesheets they link and the CSP they are served with.
 */
export {
  ACCOUNT_FORM_FIELDS,
  ACCOUNT_NOTICES,
  ACCOUNT_SIGN_IN_NOTICES,
  type AccountNotice,
  type AccountPageProps,
  type AccountPageSession,
  PASSWORD_FORM_MESSAGES,
  type PasswordFormErrors,
  renderAccountPage,
} from './account-page.js';
export { ACCOUNT_STYLESHEET, ACCOUNT_STYLESHEET_PATH } from './account-stylesheet.js';
export { BRAND_STYLESHEET_PATH, brandStylesheetHref, renderBrandStylesheet } from './brand-stylesheet.js';
export {
  DEFAULT_BRANDING,
  DEFAULT_PRIMARY_COLOR,
  type LoginBranding,
  validLogoUrl,
  validPrimaryColor,
} from './branding.js';
export {
  LOGIN_CONTENT_SECURITY_POLICY,
  type LoginContentSecurityPolicyOptions,
  loginContentSecurityPolicy,
} from './content-security-policy.js';
export { type ErrorPageProps, renderErrorPage } from './error-page.js';
export { LOGIN_FORM_FIELDS } from './form-fields.js';
export { escapeHtml } from './html.js';
export {
  LOGIN_ERROR_MESSAGES,
  type LoginPageError,
  type LoginPageProps,
  renderLoginPage,
} from './login-page.js';
export { type LogoutConfirmationProps, renderLogoutConfirmation } from './logout-confirmation.js';
export { renderSignedOutPage } from './signed-out-page.js';
export { LOGIN_STYLESHEET, LOGIN_STYLESHEET_HREF, LOGIN_STYLESHEET_PATH } from './stylesheet.js';
export { renderTenantPicker, type TenantChoice, type TenantPickerProps } from './tenant-picker.js';
