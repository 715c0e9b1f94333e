import { describe, expect, it } from 'vitest';
import type { EnvironmentBranding } from '../../storage/records.js';
import { applyBrandingPatch } from './environment-branding.js';

const current: EnvironmentBranding = {
  name: 'Acme',
  primaryColor: '#0e7490',
  logoUrl: 'https://acme.example/logo.svg',
};

describe('applyBrandingPatch', () => {
  it('changes only the given fields, null clears one, and leaves the input alone', () => {
    expect(applyBrandingPatch(current, { name: 'Acme Corp', logoUrl: null })).toEqual({
      branding: { name: 'Acme Corp', primaryColor: '#0e7490' },
      problems: [],
    });
    expect(current.logoUrl).toBe('https://acme.example/logo.svg');
  });

  it('is the identity for an empty patch, and empties with every field null', () => {
    expect(applyBrandingPatch(current, {})).toEqual({ branding: current, problems: [] });
    expect(applyBrandingPatch(current, { name: null, primaryColor: null, logoUrl: null })).toEqual({
      branding: {},
      problems: [],
    });
  });

  it('stores the colour in lower case and the logo URL normalised', () => {
    expect(
      applyBrandingPatch({}, { primaryColor: '#ABCDEF', logoUrl: 'https://ACME.example:443/a/../logo.svg' }),
    ).toEqual({
      branding: { primaryColor: '#abcdef', logoUrl: 'https://acme.example/logo.svg' },
      problems: [],
    });
  });

  it('reports every invalid field and keeps the current value of each', () => {
    const { branding, problems } = applyBrandingPatch(current, {
      primaryColor: 'red',
      logoUrl: 'http://acme.example/logo.svg',
    });
    expect(branding).toEqual(current);
    expect(problems).toEqual([
      'branding.primaryColor must be a colour of the form #rrggbb.',
      'branding.logoUrl must be an absolute https URL without credentials, at most 2048 characters.',
    ]);
  });
});
