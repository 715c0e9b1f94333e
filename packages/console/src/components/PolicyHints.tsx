/**
 * What each session-policy field does, its recommended range, and what users notice at their next
 * refresh: shared by the environment's policy and a tenant's overrides.
 */
import type { ReactNode } from 'react';

export const POLICY_HINTS: Record<'idle' | 'absolute' | 'max' | 'onLimit', ReactNode> = {
  idle: (
    <>
      <p>
        Ends a session after this long with no user activity reaching the server. Recommended: 900–3600 s
        (15–60 min); shorter for admin tools.
      </p>
      <p>
        At their next refresh: sessions already idle longer are ended (refusal <code>idle_timeout</code>).
      </p>
    </>
  ),
  absolute: (
    <>
      <p>
        Forces a new sign-in this long after login, however active. Recommended: 28 800–86 400 s (8–24 h); up
        to 30 days for consumer apps.
      </p>
      <p>
        At their next refresh: older sessions are refused with <code>relogin_required</code>.
      </p>
    </>
  ),
  max: (
    <>
      <p>How many live sessions one user may have at once. Recommended: empty (no limit), or 3–10.</p>
      <p>Applies at the next sign-in; existing sessions are kept until then.</p>
    </>
  ),
  onLimit: (
    <p>
      What a sign-in beyond the limit does: end the user's oldest session, or refuse the new sign-in (
      <code>max_sessions_reached</code>).
    </p>
  ),
};
