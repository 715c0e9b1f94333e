/** After login, the choice of tenant for a user with several and none requested. */
import type { LoginBranding } from './branding.js';
import { LOGIN_FORM_FIELDS } from './form-fields.js';
import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { renderDocument } from './layout.js';

export interface TenantChoice {
  id: string;
  name: string;
}

export interface TenantPickerProps {
  branding: LoginBranding;
  /** The form's POST target. */
  action: string;
  csrfToken: string;
  interactionId: string;
  /** The user's tenants, in the order to show them. */
  tenants: readonly TenantChoice[];
}

/**
 * Renders the tenant picker: one submit button per tenant, each posting its id as `tenant_id`.
 *
 * @example
 * renderTenantPicker({ branding, action: '/oauth/tenant', csrfToken, interactionId,
 *   tenants: [{ id: 'acme', name: 'Acme Inc.' }, { id: 'globex', name: 'Globex' }] })
 */
export function renderTenantPicker(props: TenantPickerProps): string {
  const choices = props.tenants.map(
    (tenant) =>
      html`<li><button class="tenant" type="submit" name="${LOGIN_FORM_FIELDS.tenantId}" value="${tenant.id}">${tenant.name}</button></li>
`,
  );
  const body = html`<h1>Choose an organization</h1>
<p class="lead" id="tenants-lead">Your account belongs to more than one. Pick the one to continue with.</p>
<form method="post" action="${props.action}">
${hiddenFields(props.csrfToken, props.interactionId)}
${
  choices.length > 0
    ? html`<ul class="tenants" aria-labelledby="tenants-lead">
${choices}</ul>`
    : html`<p class="hint">There is no organization to choose. Contact your administrator.</p>`
}
</form>`;
  return renderDocument({ branding: props.branding, title: 'Choose an organization', body });
}
