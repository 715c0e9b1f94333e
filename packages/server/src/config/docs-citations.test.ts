/**
 * The repository explains itself: every requirement id (RT-07, SES-08 …) cited in code, tests,
 * benchmarks or docs is defined in docs/requirements.md, and every design section cited as
 * "DESIGN §3.1" (or "security.md §2.3") exists in docs/design.md (or docs/requirements.md). A
 * contributor who clones Tessera has nothing else to look them up in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const REQUIREMENTS = 'docs/requirements.md';
const DESIGN = 'docs/design.md';

/** Where citations live: sources, tests, benchmarks and docs (not dependencies or build output). */
const SCANNED_ROOTS = ['packages', 'examples', 'e2e', 'bench', 'docs', 'README.md'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'data', 'coverage']);
const TEXT_EXTENSIONS = new Set([
  '.ts',
  '.tsx',
  '.mts',
  '.cts',
  '.js',
  '.mjs',
  '.cjs',
  '.md',
  '.html',
  '.css',
]);

/** An id, also with the letter of one of its cases ("SES-12d" cites SES-12). */
const REQUIREMENT_ID = /\b([A-Z]{2,5}-[0-9]{2})[a-z]?\b/g;
/**
 * Names that have the shape of a requirement id but are not one. Keep this list to names whose
 * meaning is fixed outside the project, and say which.
 */
const NOT_REQUIREMENT_IDS = new Set([
  'UTF-16', // the character encoding (JavaScript string length is in UTF-16 code units)
]);

/** A reference to the design contract: "DESIGN §2", "DESIGN §3.2 JWKS, §3.3", "design.md §2, §4". */
const DESIGN_CITATION = /\b(?:DESIGN|design\.md) §/g;
/**
 * A reference to a section of the requirements: "security.md §2.3" (the checklist they were first
 * written in), "requirements.md §1.3 JWT-*, §1.9".
 */
const REQUIREMENTS_CITATION = /\b(?:security|requirements)\.md §/g;
/**
 * A citation list ends at a closing parenthesis, a semicolon, a full stop, a quote, the line's end,
 * or where another document's sections begin ("DESIGN §2 and RFC 6749 §6").
 */
const CITATION_LIST_END = /[);'"`\n]|\.(?!\d)|\b(?:RFC|OIDC|OpenID|BBA|ASVS)\b/;
const SECTION = /§(\d+(?:\.\d+)*)/g;
/** A defined section: a heading or a list item that starts with it ("### §3.1 …", "- **§4.2** …"). */
const SECTION_DEFINITION = /^(?:#{1,6}\s+|[-*]\s+)?(?:\*\*)?§(\d+(?:\.\d+)*)/gm;

interface Citation {
  cited: string;
  where: string;
}

function scannedFiles(): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    const entries = readdirSync(path, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (TEXT_EXTENSIONS.has(extname(entry.name))) files.push(child);
    }
  };
  for (const root of SCANNED_ROOTS) {
    const path = join(ROOT, root);
    if (TEXT_EXTENSIONS.has(extname(root))) files.push(path);
    else walk(path);
  }
  return files.map((file) => relative(ROOT, file)).sort();
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function requirementIdsCited(text: string, file: string): Citation[] {
  return [...text.matchAll(REQUIREMENT_ID)]
    .filter((match) => !NOT_REQUIREMENT_IDS.has(match[1]!))
    .map((match) => ({ cited: match[1]!, where: `${file}:${lineOf(text, match.index)}` }));
}

/** The sections of every citation list that `introducer` starts ("DESIGN §1, §3.3" → 1, 3.3). */
function sectionsCited(text: string, file: string, introducer: RegExp): Citation[] {
  const citations: Citation[] = [];
  for (const match of text.matchAll(introducer)) {
    const start = match.index + match[0].length - 1;
    const rest = text.slice(start);
    const end = rest.search(CITATION_LIST_END);
    const list = end === -1 ? rest : rest.slice(0, end);
    for (const section of list.matchAll(SECTION)) {
      citations.push({ cited: `§${section[1]}`, where: `${file}:${lineOf(text, start + section.index)}` });
    }
  }
  return citations;
}

function sectionsDefined(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(SECTION_DEFINITION)].map((match) => `§${match[1]}`));
}

function requirementIdsDefined(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^\|\s*([A-Z]{2,5}-[0-9]{2})\s*\|/gm)].map((match) => match[1]!));
}

function undefinedCitations(citations: Citation[], defined: Set<string>, where: string): string[] {
  return citations
    .filter((citation) => !defined.has(citation.cited))
    .map((citation) => `${citation.where}: ${citation.cited} is cited but not defined in ${where}`);
}

describe('citations resolve inside the repository', () => {
  const files = scannedFiles();
  const texts = files.map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
  const requirements = readFileSync(join(ROOT, REQUIREMENTS), 'utf8');
  const design = readFileSync(join(ROOT, DESIGN), 'utf8');

  it('scans the sources, tests and docs', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        REQUIREMENTS,
        'packages/server/src/engine/refresh.ts',
        'packages/browser/src/auth-client.ts',
        'e2e/hosted-login.test.ts',
      ]),
    );
  });

  it(`every requirement id cited is defined in ${REQUIREMENTS}`, () => {
    const cited = texts.flatMap(({ file, text }) => requirementIdsCited(text, file));
    expect(cited.length).toBeGreaterThan(100);
    expect(undefinedCitations(cited, requirementIdsDefined(requirements), REQUIREMENTS)).toEqual([]);
  });

  it(`every "DESIGN §…" section cited exists in ${DESIGN}`, () => {
    const cited = texts.flatMap(({ file, text }) => sectionsCited(text, file, DESIGN_CITATION));
    expect(cited.length).toBeGreaterThan(50);
    expect(undefinedCitations(cited, sectionsDefined(design), DESIGN)).toEqual([]);
  });

  it(`every "security.md §…" section cited exists in ${REQUIREMENTS}`, () => {
    const cited = texts.flatMap(({ file, text }) => sectionsCited(text, file, REQUIREMENTS_CITATION));
    expect(cited.length).toBeGreaterThan(10);
    expect(undefinedCitations(cited, sectionsDefined(requirements), REQUIREMENTS)).toEqual([]);
  });

  it('no file points to a path outside the repository', () => {
    const outside = texts.flatMap(({ file, text }) =>
      [...text.matchAll(/\/work\/shared\b/g)].map((match) => `${file}:${lineOf(text, match.index)}`),
    );
    expect(outside).toEqual([]);
  });
});

describe('the citation scanner', () => {
  it('reads every section of a citation list, and stops where the list does', () => {
    const text = '(DESIGN §1, §3.3; security.md SES-11)\nDESIGN §3.2 JWKS, §9.9 and RFC 6749 §6. See §7.';
    expect(sectionsCited(text, 'x.ts', DESIGN_CITATION)).toEqual([
      { cited: '§1', where: 'x.ts:1' },
      { cited: '§3.3', where: 'x.ts:1' },
      { cited: '§3.2', where: 'x.ts:2' },
      { cited: '§9.9', where: 'x.ts:2' },
    ]);
  });

  it('finds ids but not the names listed as something else', () => {
    expect(requirementIdsCited('RT-07, SES-12d, UTF-16, SHA-256', 'x.ts').map((c) => c.cited)).toEqual([
      'RT-07',
      'SES-12',
    ]);
  });

  it('reads definitions from headings, bold list items and table rows', () => {
    expect(sectionsDefined('## §3 HTTP\n### §3.1 Session\n- **§4.2** Grace\ntext §9\n')).toEqual(
      new Set(['§3', '§3.1', '§4.2']),
    );
    expect(requirementIdsDefined('| RT-07 | bound |\n| id | x |\nsee AS-01\n')).toEqual(new Set(['RT-07']));
  });
});
