/** What to tell the user when the SDK reports why a session ended (`state.endReason`). */
const MESSAGES: Record<string, string> = {
  logout: 'You signed out — every tab of this browser did too.',
  idle_timeout: 'Signed out after a period without activity (the idle timeout).',
  relogin_required: 'This session reached its maximum age: please sign in again (forced re-login).',
  session_expired: 'This session expired: please sign in again.',
  session_revoked:
    'This session was ended — from another device, by an administrator, or by the session limit.',
  refresh_token_reused: 'A refresh token was used twice, so the session was ended to be safe.',
  user_disabled: 'This account is disabled.',
  token_expired: 'The access token expired (keepSessionAlive is off).',
  network_error: 'The auth server could not be reached. Check that `npm start` is still running.',
  invalid_callback: 'That sign-in link was not started in this tab, or was used already.',
  access_denied: 'The hosted login was cancelled.',
};

/** A message for `reason`, or `null` when there is nothing worth saying (a first visit). */
export function describeEndReason(reason: string | null): string | null {
  if (reason === null || reason === 'no_session' || reason === 'login_required') return null;
  return MESSAGES[reason] ?? `Signed out (${reason}).`;
}
