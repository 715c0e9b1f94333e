/**
 * The tab among the other tabs of the browser: which tokens it may take from them (those for its
 * tenant), what it tells them, and their messages turned into the state machine's events.
 */
import type { Platform } from './platform.js';
import type { SessionEvent } from './session-machine.js';
import { openTabChannel, type TabMessage, type TabSignal } from './tab-channel.js';
import { tabTenant } from './tab-tenant.js';
import type { TokenSet } from './token-set.js';

/** The key of tokens for "the session's tenant" (tabs that have not chosen one, shared mode). */
export const SESSION_TENANT = '*';

export interface TabSync {
  /** The tenant whose tokens this tab takes: its own (enableSessionPerTenant), else the session's. */
  tenantKey(): string;
  /** The tab's own tenant, if it chose one (enableSessionPerTenant). */
  ownTenant(): string | undefined;
  rememberTenant(tenantId: string): void;
  forgetTenant(): void;
  /** Offers a token the server gave this tab to the tabs on the same tenant. */
  share(token: TokenSet): void;
  tell(signal: TabSignal): void;
  close(): void;
}

export interface TabSyncOptions {
  clientId: string;
  perTenant: boolean;
  /** Hears the other tabs, as events for this tab's state machine. */
  onEvent(event: SessionEvent): void;
}

export function syncTabs(platform: Platform, { clientId, perTenant, onEvent }: TabSyncOptions): TabSync {
  const tenant = tabTenant(platform, clientId);
  const tenantKey = () => (perTenant ? (tenant.get() ?? SESSION_TENANT) : SESSION_TENANT);
  const channel = openTabChannel(platform, clientId, (message: TabMessage) => {
    switch (message.type) {
      case 'token':
        if (message.tenantKey === tenantKey()) onEvent({ type: 'tokenShared', token: message.token });
        return;
      case 'logout':
        onEvent({ type: 'otherTabLoggedOut' });
        return;
      case 'ended':
        onEvent({ type: 'otherTabSessionEnded', reason: message.reason });
        return;
      case 'login':
        onEvent({ type: 'otherTabLoggedIn' });
        return;
    }
  });
  return {
    tenantKey,
    ownTenant: () => (perTenant ? tenant.get() : undefined),
    rememberTenant: (tenantId) => tenant.set(tenantId),
    forgetTenant: () => tenant.clear(),
    share: (token) =>
      channel.post({ type: 'token', tenantKey: perTenant ? token.tenantId : SESSION_TENANT, token }),
    tell: (signal) => channel.post(signal),
    close: () => channel.close(),
  };
}
