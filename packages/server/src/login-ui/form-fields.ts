/** The names of the form fields the hosted-login pages post, shared with the routes that read them. */
export const LOGIN_FORM_FIELDS = {
  email: 'email',
  password: 'password',
  csrfToken: 'csrf_token',
  interactionId: 'interaction_id',
  tenantId: 'tenant_id',
} as const;
