import { describe, expect, it } from 'vitest';
import { brandStylesheetHref, renderBrandStylesheet } from './brand-stylesheet.js';
import { DEFAULT_PRIMARY_COLOR, validLogoUrl, validPrimaryColor } from './branding.js';
import { contrastRatio } from './contrast.js';

describe('validPrimaryColor', () => {
  it.each(['#0e7490', '#FFFFFF', '#000000'])('accepts %s in lower case', (color) => {
    expect(validPrimaryColor(color)).toBe(color.toLowerCase());
  });

  it.each([
    undefined,
    '',
    'red',
    '#fff',
    '#0e74901',
    '0e7490',
    '#gggggg',
    'rgb(0,0,0)',
    '#0e7490;} body { display: none',
    '#0e7490\n',
    ' #0e7490',
  ])('refuses %j', (color) => {
    expect(validPrimaryColor(color)).toBeUndefined();
  });
});

describe('validLogoUrl', () => {
  it('keeps an https URL, normalised', () => {
    expect(validLogoUrl('https://CDN.example.com/a b.png')).toBe('https://cdn.example.com/a%20b.png');
  });

  it.each([
    undefined,
    'http://cdn.example.com/logo.png',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:image/svg+xml,<svg onload=alert(1)>',
    '//cdn.example.com/logo.png',
    '/logo.png',
    'https://user:pass@cdn.example.com/logo.png',
    'not a url',
    `https://cdn.example.com/${'a'.repeat(2100)}`,
  ])('drops %j', (url) => {
    expect(validLogoUrl(url)).toBeUndefined();
  });
});

describe('renderBrandStylesheet', () => {
  it('sets the brand colour with white text and a brand focus ring for a dark colour', () => {
    expect(renderBrandStylesheet({ primaryColor: '#0E7490' })).toBe(
      ':root {\n  --brand: #0e7490;\n  --brand-ink: #ffffff;\n  --brand-accent: #0e7490;\n}\n',
    );
  });

  it('uses dark text and an ink focus ring for a light colour', () => {
    const css = renderBrandStylesheet({ primaryColor: '#fde047' });
    expect(css).toContain('--brand: #fde047;');
    expect(css).toContain('--brand-ink: #1c2033;');
    expect(css).toContain('--brand-accent: #1c2033;');
  });

  it.each([
    undefined,
    'red',
    '#fff',
    'url(https://evil.example/x)',
    '#0e7490;} body { display: none',
    '</style><script>',
  ])('falls back to the default colour for %j', (primaryColor) => {
    const css = renderBrandStylesheet({ primaryColor });
    expect(css).toBe(renderBrandStylesheet({ primaryColor: DEFAULT_PRIMARY_COLOR }));
    expect(css.match(/[;{}]/g)).toHaveLength(5);
  });

  it('always picks the text colour with the higher contrast', () => {
    for (const color of ['#000000', '#ffffff', '#4f46e5', '#ff0000', '#00ff00', '#777777', '#767676']) {
      const css = renderBrandStylesheet({ primaryColor: color });
      const ink = /--brand-ink: (#[0-9a-f]{6})/.exec(css)?.[1] ?? '';
      const other = ink === '#ffffff' ? '#1c2033' : '#ffffff';
      expect(contrastRatio(color, ink)).toBeGreaterThanOrEqual(contrastRatio(color, other));
    }
  });
});

describe('brandStylesheetHref', () => {
  it('names the colour and a content hash', () => {
    expect(brandStylesheetHref({ primaryColor: '#0E7490' })).toMatch(
      /^\/oauth\/assets\/brand\.css\?c=0e7490&v=[0-9a-f]{12}$/,
    );
  });

  it('changes with the colour', () => {
    expect(brandStylesheetHref({ primaryColor: '#0e7490' })).not.toBe(
      brandStylesheetHref({ primaryColor: '#0e7491' }),
    );
  });

  it('is absent for a missing or invalid colour (the static sheet has the default)', () => {
    expect(brandStylesheetHref({})).toBeUndefined();
    expect(brandStylesheetHref({ primaryColor: 'red' })).toBeUndefined();
  });
});

describe('contrastRatio', () => {
  it('matches the WCAG extremes and is symmetric', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});
