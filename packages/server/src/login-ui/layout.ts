/**
 * The document shell every hosted-login page shares: head with the two stylesheets, a centred
 * card (the `<main>` landmark) with the brand on top, and the "Secured by Tessera" footer.
 */
import { brandStylesheetHref } from './brand-stylesheet.js';
import { DEFAULT_BRANDING, type LoginBranding, validLogoUrl } from './branding.js';
import { html, type SafeHtml } from './html.js';
import { LOGIN_STYLESHEET_HREF } from './stylesheet.js';

export interface RenderDocumentOptions {
  branding: LoginBranding | undefined;
  /** The page's own title; the brand name is appended for the tab. */
  title: string;
  body: SafeHtml;
}

/** The brand: the logo (or the name's initial) and the name. */
export function brandHeader(branding: LoginBranding): SafeHtml {
  const logoUrl = validLogoUrl(branding.logoUrl);
  const initial = Array.from(branding.name.trim())[0]?.toUpperCase() ?? '';
  // The name is always shown as text, so the logo is decorative (alt=""). no-referrer keeps the
  // authorization request (state, client_id) out of the logo host's logs.
  const mark = logoUrl
    ? html`<img class="brand-logo" src="${logoUrl}" alt="" height="40" referrerpolicy="no-referrer">`
    : html`<span class="brand-mark" aria-hidden="true">${initial}</span>`;
  return html`<div class="brand">${mark}<span class="brand-name">${branding.name}</span></div>`;
}

/**
 * The `<head>`: the title, the hosted login's stylesheet, `extraStylesheetHref` (a page's own, such
 * as the account page's), then the brand stylesheet, so the brand colour wins over both.
 */
export function documentHead(branding: LoginBranding, title: string, extraStylesheetHref?: string): SafeHtml {
  const brandHref = brandStylesheetHref(branding);
  return html`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title} · ${branding.name}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${LOGIN_STYLESHEET_HREF}">
${
  extraStylesheetHref &&
  html`<link rel="stylesheet" href="${extraStylesheetHref}">
`
}${brandHref && html`<link rel="stylesheet" href="${brandHref}">`}
</head>`;
}

/** Renders a complete HTML document around a page body. */
export function renderDocument(options: RenderDocumentOptions): string {
  const branding = options.branding ?? DEFAULT_BRANDING;
  return html`<!doctype html>
<html lang="en">
${documentHead(branding, options.title)}
<body>
<div class="shell">
<main class="card">
${brandHeader(branding)}
${options.body}
</main>
<footer class="footer">Secured by Tessera</footer>
</div>
</body>
</html>
`.toString();
}
