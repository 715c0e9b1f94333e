import { LOGIN_FORM_FIELDS } from './form-fields.js';
import { html, type SafeHtml } from './html.js';

/** The login-CSRF token and, when there is one, the pending interaction (CSRF-03). */
export function hiddenFields(csrfToken: string, interactionId?: string): SafeHtml {
  return html`<input type="hidden" name="${LOGIN_FORM_FIELDS.csrfToken}" value="${csrfToken}">${
    interactionId !== undefined &&
    html`
<input type="hidden" name="${LOGIN_FORM_FIELDS.interactionId}" value="${interactionId}">`
  }`;
}
