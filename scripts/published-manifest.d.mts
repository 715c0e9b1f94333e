/** Types of published-manifest.mjs (plain JavaScript: npm's pack hooks run it without a build). */
export function publishedManifest(manifest: Record<string, unknown>): Record<string, unknown>;
export function prepack(directory: string): void;
export function postpack(directory: string): void;
