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

export interface SessionSummary {
  sid: string;
  current: boolean;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601: the last user activity the server saw. */
  lastActiveAt: string;
  userAgent: string | null;
  ip: string | null;
}
