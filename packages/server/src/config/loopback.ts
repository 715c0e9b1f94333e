const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether a host name is this machine, where browsers treat plain http as a secure context. */
export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname.toLowerCase());
}

/**
 * Whether a URL is plain http on localhost, 127.0.0.1 or ::1: local development, the only place
 * where Tessera accepts http and non-`Secure` cookies.
 */
export function isPlainHttpLoopbackUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' && isLoopbackHostname(parsed.hostname);
  } catch {
    return false;
  }
}

/** Whether a URL's host is localhost, 127.0.0.1 or ::1, whatever its scheme. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHostname(new URL(url).hostname);
  } catch {
    return false;
  }
}
