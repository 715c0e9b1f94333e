import { createContext, useContext } from 'react';

/** What the demo server tells the app at /config.json. */
export interface DemoConfig {
  /** The auth server's base URL (another origin of the same site). */
  baseUrl: string;
  clientId: string;
  /** The example API (examples/api) the projects card calls; absent when it does not run. */
  apiUrl?: string;
}

export async function loadConfig(): Promise<DemoConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  return (await response.json()) as DemoConfig;
}

export const DemoConfigContext = createContext<DemoConfig | null>(null);

export function useDemoConfig(): DemoConfig {
  const config = useContext(DemoConfigContext);
  if (!config) throw new Error('useDemoConfig() needs <DemoConfigContext.Provider>');
  return config;
}
