/**
 * The console runs under a CSP without 'unsafe-inline', and shows hostile values (names, emails,
 * user agents, URLs) from the API: no code may write HTML from strings, and index.html may hold no
 * inline script or style.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the console writes no HTML from strings', () => {
  const files = sources(SRC);
  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(20);
  });
  it.each([
    'dangerouslySetInnerHTML',
    'innerHTML',
    'outerHTML',
    'insertAdjacentHTML',
    'document.write',
    'eval(',
  ])('no %s', (needle) => {
    expect(files.filter((file) => readFileSync(file, 'utf8').includes(needle))).toEqual([]);
  });
});

describe('index.html under the CSP', () => {
  const html = readFileSync(join(SRC, '..', 'index.html'), 'utf8');
  it('loads its one script from a file and has no inline script, style or handler', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.[1]).toContain('src=');
    expect(scripts[0]?.[2]?.trim()).toBe('');
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });
});
