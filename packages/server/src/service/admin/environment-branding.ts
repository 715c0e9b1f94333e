/**
 * Partial updates of an environment's branding (its hosted login pages), checked by the same
 * rules the pages render by (config/branding-rules.ts), so that what is stored is what is shown.
 */
import { validLogoUrl, validPrimaryColor } from '../../config/branding-rules.js';
import type { EnvironmentBranding } from '../../storage/records.js';

/** Only the fields to change; `null` clears one (the pages then use their default). */
export interface BrandingPatch {
  name?: string | null;
  primaryColor?: string | null;
  logoUrl?: string | null;
}

export interface BrandingPatchResult {
  /** The branding after the patch, with the colour in lower case and the logo URL normalised. */
  branding: EnvironmentBranding;
  /** Every invalid field, by name and rule; empty when the patch is valid. */
  problems: string[];
}

const PRIMARY_COLOR_RULE = 'branding.primaryColor must be a colour of the form #rrggbb.';
const LOGO_URL_RULE =
  'branding.logoUrl must be an absolute https URL without credentials, at most 2048 characters.';

/**
 * Applies `patch` over `current`. The name's length and characters are the schema's to check; the
 * colour and logo are checked here, by the functions the pages use.
 *
 * @example
 * applyBrandingPatch({ name: 'Acme', logoUrl: 'https://acme.example/logo.svg' }, { primaryColor: '#0E7490', logoUrl: null })
 * // → { branding: { name: 'Acme', primaryColor: '#0e7490' }, problems: [] }
 */
export function applyBrandingPatch(current: EnvironmentBranding, patch: BrandingPatch): BrandingPatchResult {
  const branding: EnvironmentBranding = { ...current };
  const problems: string[] = [];

  if (patch.name === null) delete branding.name;
  else if (patch.name !== undefined) branding.name = patch.name;

  if (patch.primaryColor === null) delete branding.primaryColor;
  else if (patch.primaryColor !== undefined) {
    const color = validPrimaryColor(patch.primaryColor);
    if (color === undefined) problems.push(PRIMARY_COLOR_RULE);
    else branding.primaryColor = color;
  }

  if (patch.logoUrl === null) delete branding.logoUrl;
  else if (patch.logoUrl !== undefined) {
    const logoUrl = validLogoUrl(patch.logoUrl);
    if (logoUrl === undefined) problems.push(LOGO_URL_RULE);
    else branding.logoUrl = logoUrl;
  }

  return { branding, problems };
}
