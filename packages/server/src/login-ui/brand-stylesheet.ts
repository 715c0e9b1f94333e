/**
 * Per-environment brand colour under a CSP without inline style.
 *
 * `style-src 'self'` forbids `<style>` elements and `style=` attributes, so the colour cannot be
 * written into the page. Instead the page links a second stylesheet whose only content is three
 * custom properties, and that stylesheet is a pure function of the validated colour. The colour
 * therefore travels in the URL (`/oauth/assets/brand.css?c=4f46e5&v=…`): one route at a fixed
 * root path serves every environment (including those under `/e/{envId}`) without a lookup,
 * every URL names its content exactly, so it can be cached as `immutable`, and changing the colour
 * in the admin API changes the URL. The route must pass `#` + the `c` query value to
 * {@link renderBrandStylesheet}, which refuses anything but `#rrggbb`, so a crafted URL can only
 * ever produce a stylesheet with the default or a valid colour.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_PRIMARY_COLOR, type LoginBranding, validPrimaryColor } from './branding.js';
import { contrastRatio } from './contrast.js';

/** Where the route serves {@link renderBrandStylesheet}, for every environment. */
export const BRAND_STYLESHEET_PATH = '/oauth/assets/brand.css';

const WHITE = '#ffffff';
const INK = '#1c2033';
// WCAG 1.4.11: a focus ring and other UI accents need 3:1 against the white card.
const MIN_NON_TEXT_CONTRAST = 3;

/**
 * The brand stylesheet: `--brand` (button background), `--brand-ink` (button text: white or
 * ink, whichever contrasts more) and `--brand-accent` (focus ring and hover accents: the brand
 * colour when it reaches 3:1 on white, else ink). An invalid colour yields the default.
 *
 * @example
 * renderBrandStylesheet({ primaryColor: '#0e7490' })
 * // ':root {\n  --brand: #0e7490;\n  --brand-ink: #ffffff;\n  --brand-accent: #0e7490;\n}\n'
 */
export function renderBrandStylesheet(branding: Pick<LoginBranding, 'primaryColor'>): string {
  const brand = validPrimaryColor(branding.primaryColor) ?? DEFAULT_PRIMARY_COLOR;
  const ink = contrastRatio(brand, WHITE) >= contrastRatio(brand, INK) ? WHITE : INK;
  const accent = contrastRatio(brand, WHITE) >= MIN_NON_TEXT_CONTRAST ? brand : INK;
  return `:root {\n  --brand: ${brand};\n  --brand-ink: ${ink};\n  --brand-accent: ${accent};\n}\n`;
}

/**
 * The URL a page links for this branding, or `undefined` when the colour is missing or invalid
 * (the static stylesheet already carries the default).
 *
 * @example
 * brandStylesheetHref({ primaryColor: '#0E7490' }) // '/oauth/assets/brand.css?c=0e7490&v=…'
 */
export function brandStylesheetHref(branding: Pick<LoginBranding, 'primaryColor'>): string | undefined {
  const color = validPrimaryColor(branding.primaryColor);
  if (color === undefined) return undefined;
  // The hash covers the template too, so a release that changes the rules changes the URL.
  const version = createHash('sha256')
    .update(renderBrandStylesheet({ primaryColor: color }))
    .digest('hex');
  return `${BRAND_STYLESHEET_PATH}?c=${color.slice(1)}&v=${version.slice(0, 12)}`;
}
