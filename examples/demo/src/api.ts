/**
 * The Bearer-authenticated calls the demo makes itself (DESIGN §3.1): the user's tenants and
 * sessions. The SDK hands out the token; a fresh one is asked for at each call.
 */
import type { MeResponse, SessionSummary } from '@tessera/protocol';
import { useAuth } from '@tessera/react';
import { useMemo } from 'react';
import { useDemoConfig } from './config';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

export interface DemoApi {
  me(): Promise<MeResponse>;
  sessions(): Promise<SessionSummary[]>;
  endSession(sid: string): Promise<void>;
  endOtherSessions(): Promise<void>;
}

export function useDemoApi(): DemoApi {
  const { baseUrl } = useDemoConfig();
  const { getAccessToken } = useAuth();
  return useMemo(() => {
    async function call<T>(method: string, path: string): Promise<T> {
      const token = await getAccessToken();
      if (!token) throw new ApiError(401, 'unauthorized', 'You are signed out.');
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${path}`, {
          method,
          cache: 'no-store',
          headers: { authorization: `Bearer ${token}` },
        });
      } catch {
        throw new ApiError(0, 'network_error', 'The server could not be reached.');
      }
      if (response.status === 204) return undefined as T;
      const body = (await response.json().catch(() => null)) as { error?: string; message?: string } | null;
      if (!response.ok)
        throw new ApiError(response.status, body?.error ?? null, body?.message ?? response.statusText);
      return body as T;
    }
    return {
      me: () => call<MeResponse>('GET', '/auth/v1/me'),
      sessions: () => call<SessionSummary[]>('GET', '/auth/v1/sessions'),
      endSession: (sid) => call<void>('DELETE', `/auth/v1/sessions/${encodeURIComponent(sid)}`),
      endOtherSessions: () => call<void>('DELETE', '/auth/v1/sessions'),
    };
  }, [baseUrl, getAccessToken]);
}
