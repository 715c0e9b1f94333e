/**
 * `enableSessionPerTenant`: the tab's tenant lives in sessionStorage, per client — per tab, kept
 * across reloads, never shared with another tab (DESIGN §6).
 */
import type { Platform } from './platform.js';

export interface TabTenant {
  get(): string | undefined;
  set(tenantId: string): void;
  clear(): void;
}

export function tabTenant(platform: Platform, clientId: string): TabTenant {
  const key = `tessera:${clientId}:tenant`;
  const storage = platform.sessionStorage;
  let memory: string | undefined;
  return {
    get: () => storage?.getItem(key) ?? memory,
    set(tenantId) {
      memory = tenantId;
      storage?.setItem(key, tenantId);
    },
    clear() {
      memory = undefined;
      storage?.removeItem(key);
    },
  };
}
