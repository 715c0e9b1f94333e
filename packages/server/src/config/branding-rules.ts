/**
 * The checks that make an environment's branding safe to render on the hosted login: the colour
 * must be `#rrggbb` (it ends up in a stylesheet) and the logo an https URL (it is the only
 * third-party request the page makes, and the CSP allows `img-src https:` only). The pages
 * (login-ui/) render by them and the admin API (service/admin/) stores by them, so what is stored
 * is what is shown; they live here so that neither layer imports the other.
 */

const HEX_COLOR = /^#[0-9a-f]{6}$/i;
const MAX_LOGO_URL_LENGTH = 2048;

/**
 * The brand colour in canonical lower-case `#rrggbb`, or `undefined` when it is missing or not
 * exactly `#rrggbb` (no names, no `rgb()`, no `;` or `}` that could escape a declaration).
 */
export function validPrimaryColor(color: string | undefined): string | undefined {
  return color !== undefined && HEX_COLOR.test(color) ? color.toLowerCase() : undefined;
}

/**
 * The logo URL, normalised, when it is an absolute https URL without credentials; otherwise
 * `undefined` (so `http:`, `javascript:`, `data:` and relative URLs are all dropped).
 */
export function validLogoUrl(url: string | undefined): string | undefined {
  if (url === undefined || url.length > MAX_LOGO_URL_LENGTH) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href;
}
