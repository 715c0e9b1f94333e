/** Structure probes shared by the login-ui tests (not a parser: enough for our own markup). */

const TAG = /<(\/?[a-z!][a-z0-9-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/gi;
const ATTRIBUTE = /\s+([^\s=>]+)(?:="([^"]*)")?/g;

export interface Tag {
  name: string;
  attributes: Map<string, string>;
}

/** Every tag in document order, with its attributes (values still escaped). */
export function tags(doc: string): Tag[] {
  return [...doc.matchAll(TAG)].map((match) => ({
    name: (match[1] ?? '').toLowerCase(),
    attributes: new Map(
      [...(match[2] ?? '').matchAll(ATTRIBUTE)].map((attr) => [(attr[1] ?? '').toLowerCase(), attr[2] ?? '']),
    ),
  }));
}

/** Tag names and attribute names in order: injected markup would change it. */
export function signature(doc: string): string[] {
  return tags(doc).map((tag) => [tag.name, ...tag.attributes.keys()].join(' '));
}

export function tagsNamed(doc: string, name: string): Tag[] {
  return tags(doc).filter((tag) => tag.name === name);
}

export const BRANDING = {
  name: 'Acme',
  primaryColor: '#0e7490',
  logoUrl: 'https://cdn.example.com/acme/logo.svg',
};
