/**
 * Which environment the console looks at: picked in the header, remembered in localStorage (an
 * environment id is no secret), shared with every page.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { admin } from './api';
import { useLoad } from './hooks';
import type { Environment } from './types';

const STORAGE_KEY = 'tessera.console.environment';

export interface EnvironmentContextValue {
  environments: Environment[];
  /** The picked environment, or null while loading / when there is none. */
  environment: Environment | null;
  envId: string;
  pick: (envId: string) => void;
  reload: () => void;
  loading: boolean;
  error: unknown;
}

const EnvironmentContext = createContext<EnvironmentContextValue | null>(null);

export function useEnvironment(): EnvironmentContextValue {
  const value = useContext(EnvironmentContext);
  if (!value) throw new Error('useEnvironment outside <EnvironmentProvider>');
  return value;
}

function remembered(): string {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? 'default';
  } catch {
    return 'default';
  }
}

export function EnvironmentProvider({ children }: { children: ReactNode }) {
  const loaded = useLoad((signal) => admin<Environment[]>('/environments', { signal }), []);
  const [envId, setEnvId] = useState(remembered);
  const environments = loaded.data ?? [];

  const pick = useCallback((id: string) => {
    setEnvId(id);
    try {
      window.localStorage.setItem(STORAGE_KEY, id);
    } catch {
      // Private windows may refuse storage: the pick still holds for this page.
    }
  }, []);

  // A remembered environment that no longer exists falls back to the first one.
  useEffect(() => {
    const first = loaded.data?.[0];
    if (first && !loaded.data?.some((environment) => environment.id === envId)) pick(first.id);
  }, [loaded.data, envId, pick]);

  const value = useMemo<EnvironmentContextValue>(
    () => ({
      environments,
      environment: environments.find((environment) => environment.id === envId) ?? null,
      envId,
      pick,
      reload: loaded.reload,
      loading: loaded.loading,
      error: loaded.error,
    }),
    [environments, envId, pick, loaded.reload, loaded.loading, loaded.error],
  );
  return <EnvironmentContext.Provider value={value}>{children}</EnvironmentContext.Provider>;
}

/** `/environments/{envId}` + rest, with the id escaped. */
export const envPath = (envId: string, rest = ''): string =>
  `/environments/${encodeURIComponent(envId)}${rest}`;
