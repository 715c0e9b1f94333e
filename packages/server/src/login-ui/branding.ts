/**
 * Per-environment branding of the hosted login. The checks that make it safe to render are
 * config/branding-rules.ts, shared with the admin API that stores it.
 */
export { validLogoUrl, validPrimaryColor } from '../config/branding-rules.js';

/** Branding as configured for an environment through the admin API. */
export interface LoginBranding {
  /** Shown at the top of every page and in the document title. */
  name: string;
  /** `#rrggbb`; anything else falls back to {@link DEFAULT_PRIMARY_COLOR}. */
  primaryColor?: string | undefined;
  /** An absolute https URL; anything else is dropped. */
  logoUrl?: string | undefined;
}

/** The product default (the quickstart's accent). */
export const DEFAULT_PRIMARY_COLOR = '#4f46e5';

/** The branding used when the environment is unknown (for example on an error page). */
export const DEFAULT_BRANDING: LoginBranding = { name: 'Tessera' };
