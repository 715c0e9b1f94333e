/**
 * The Content-Security-Policy for every hosted-login page and error page (security.md CK-06).
 * No script at all, styles from this origin only (hence no `style=` attributes), logos from any
 * https origin, no framing (clickjacking of the login form), and forms post only back here.
 */

/** The policy for pages whose forms never end in a redirect to another origin (error pages). */
export const LOGIN_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

// Deliberately narrower than what `URL` accepts: WHATWG URL keeps `;`, `,` and `'` in a host, and
// any of them would let a registered URI add or end a CSP directive.
const CSP_SAFE_ORIGIN = /^https?:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

export interface LoginContentSecurityPolicyOptions {
  /**
   * Where a form on this page ends up after the server's redirects: the pending request's
   * (already exact-matched) `redirect_uri`, or the `post_logout_redirect_uri`.
   */
  redirectTargets?: readonly string[];
}

/**
 * The policy for a page whose form POST answers with a redirect to the client.
 *
 * Chromium applies `form-action` to every hop of the redirect chain that follows a form
 * submission, so with plain `'self'` the login POST → 303 → the client's `redirect_uri` is
 * blocked (verified in Chromium). The target's origin is therefore added to `form-action`.
 * Targets that are not http(s) origins of plain host names or IP literals are left out.
 *
 * @example
 * loginContentSecurityPolicy({ redirectTargets: ['https://app.example.com/callback'] })
 * // "… form-action 'self' https://app.example.com; …"
 */
export function loginContentSecurityPolicy(options: LoginContentSecurityPolicyOptions = {}): string {
  const origins = new Set<string>();
  for (const target of options.redirectTargets ?? []) {
    const origin = originOf(target);
    if (origin !== undefined && CSP_SAFE_ORIGIN.test(origin)) origins.add(origin);
  }
  if (origins.size === 0) return LOGIN_CONTENT_SECURITY_POLICY;
  return LOGIN_CONTENT_SECURITY_POLICY.replace(
    "form-action 'self';",
    `form-action 'self' ${[...origins].join(' ')};`,
  );
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
