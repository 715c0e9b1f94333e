/** Request and response bodies of the browser session API (DESIGN §3.1). */

/** The header every cookie-relying request must carry (CSRF defence). */
export const CSRF_HEADER = 'x-tessera-request';

export interface LoginRequest {
  email: string;
  password: string;
  clientId: string;
  tenantId?: string;
}

export interface RefreshRequest {
  clientId: string;
  tenantId?: string;
  /** True when the user interacted with any tab since the previous refresh. */
  active?: boolean;
}

export interface SwitchTenantRequest {
  clientId: string;
  tenantId: string;
}

export interface LogoutRequest {
  clientId: string;
}

export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
}

export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires; authoritative for scheduling. */
  expiresIn: number;
  user: PublicUser;
  tenantId: string;
  tenantIds: string[];
}

export interface MeResponse {
  user: PublicUser;
  tenants: { id: string; name: string; roles: string[] }[];
}

/** A session's device, parsed from its user agent by the server for people to read. */
export interface DeviceView {
  /** "Chrome", "Safari", … or `null` when the user agent names no browser the parser knows. */
  browser: string | null;
  /** The browser's major version, "131". */
  browserVersion: string | null;
  /** "macOS", "iOS", "Windows", "Linux", "Android", … */
  os: string | null;
  /** "desktop", "mobile", "tablet", "tv" or `null`. */
  kind: string | null;
  /** One line for people: "Chrome 131 on macOS", "Safari on iOS", or "Unknown device". Plain text. */
  label: string;
}

export interface SessionSummary {
  sid: string;
  /** The session of the access token that asked: "this device". */
  current: boolean;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601: the last user activity the server saw. */
  lastActiveAt: string;
  /** As the browser sent it at login (at most 512 characters). */
  userAgent: string | null;
  device: DeviceView;
  /** The IP of the login. */
  ip: string | null;
  /** The IP of the latest refresh; `null` until the first. */
  lastIp: string | null;
}
