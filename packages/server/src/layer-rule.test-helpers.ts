/**
 * The layer rule of docs/architecture.md, as a check over source text: `http → service → engine`,
 * the service reaching storage through its port, the port and its records being types only, the
 * engine importing nothing but itself, only the storage adapters loading a SQL driver, and test
 * support reachable from tests only.
 * It reads imports with the TypeScript parser (so `import type` is told apart from a value import,
 * and a commented-out import is no import); it does not resolve packages, only relative paths.
 */
import { posix } from 'node:path';
import ts from 'typescript';

/** A source file, its path relative to `packages/server/src` with forward slashes. */
export interface LayerSource {
  path: string;
  text: string;
}

export type LayerRuleId =
  | 'http-imports-storage'
  | 'http-calls-storage'
  | 'service-imports-http'
  | 'engine-imports-outside'
  | 'sql-outside-adapters'
  | 'port-has-runtime'
  | 'imports-test-support'
  | 'stale-exemption';

export interface LayerViolation {
  rule: LayerRuleId;
  file: string;
  line: number;
  /** What was found, as written in the file (an import specifier or an expression). */
  found: string;
}

/** A known violation that another change removes; a stale one (no longer found) is a violation. */
export interface LayerExemption {
  rule: LayerRuleId;
  file: string;
  why: string;
}

const FIX: Record<LayerRuleId, string> = {
  'http-imports-storage':
    'http/ may import the port and its records (storage/port.ts, storage/port/, storage/records.ts) for types only (`import type`); call a use case in service/ instead',
  'http-calls-storage': 'routes only translate: move the storage call into a use case in service/',
  'service-imports-http':
    'service/ does not import http/ or login-ui/: return an outcome the route translates, or move the shared rule to a neutral module',
  'engine-imports-outside': 'engine/ imports only engine/ (and types from @tessera/protocol): it stays pure',
  'sql-outside-adapters':
    'only the storage adapters (storage/sqlite, storage/postgres and the query builders beside them) load a SQL driver',
  'port-has-runtime':
    'the port and its records are types only (`import type`, interfaces, type aliases): runtime code belongs in an adapter or a use case',
  'imports-test-support':
    'nothing outside tests imports @tessera/testing (packages/testing), testing/ or a *.test-helpers.ts file',
  'stale-exemption': 'the exempted violation is gone: delete its exemption',
};

/** One line per violation: where, which rule, what was found, and what to do instead. */
export function formatLayerViolation(v: LayerViolation): string {
  return `${v.file}:${v.line}  [${v.rule}] ${v.found}\n    → ${FIX[v.rule]}`;
}

/** The private workspace package of shared test support (packages/testing). */
const TEST_SUPPORT_PACKAGE = /^@tessera\/testing(\/|$)/;

const SQL_DRIVER = /^(kysely|better-sqlite3|pg)(\/|$)/;

export function isTestSupport(path: string): boolean {
  return path.startsWith('testing/') || path.endsWith('.test.ts') || path.endsWith('.test-helpers.ts');
}

/** The storage port (`port.ts` and its roles in `port/`) and the records it carries (`records.ts`). */
function isPortModule(path: string): boolean {
  return path === 'storage/port.ts' || path === 'storage/records.ts' || path.startsWith('storage/port/');
}

function mayLoadSqlDriver(path: string): boolean {
  if (/^storage\/(sqlite|postgres|migrations)\//.test(path)) return true;
  // The query builders both adapters share sit directly in storage/; the port is not one of them.
  return /^storage\/[^/]+\.ts$/.test(path) && !isPortModule(path);
}

/** A top-level statement that runs: anything but an import, a type-only export, an interface or a type. */
function isRuntimeStatement(node: ts.Statement): boolean {
  if (ts.isImportDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node))
    return false;
  // Import and re-export sites are judged as imports.
  if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) return false;
  if (ts.isExportDeclaration(node)) return !node.isTypeOnly;
  return true;
}

interface ImportSite {
  specifier: string;
  /** The path relative to src for a relative specifier (`.js` read as `.ts`); `null` for a package. */
  target: string | null;
  typeOnly: boolean;
  line: number;
}

export function findLayerViolations(
  sources: readonly LayerSource[],
  exemptions: readonly LayerExemption[] = [],
): LayerViolation[] {
  const found: LayerViolation[] = [];
  for (const source of sources) {
    if (isTestSupport(source.path)) continue;
    const file = ts.createSourceFile(source.path, source.text, ts.ScriptTarget.Latest, true);
    const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    const add = (rule: LayerRuleId, line: number, what: string) =>
      found.push({ rule, file: source.path, line, found: what });

    for (const site of importSites(file, source.path, lineOf)) {
      const { target, specifier, line } = site;
      const shown = `${site.typeOnly ? 'import type' : 'import'} '${specifier}'`;
      if (target !== null && isTestSupport(target)) add('imports-test-support', line, shown);
      if (target === null && TEST_SUPPORT_PACKAGE.test(specifier)) add('imports-test-support', line, shown);
      if (target === null && SQL_DRIVER.test(specifier) && !mayLoadSqlDriver(source.path))
        add('sql-outside-adapters', line, shown);
      if (source.path.startsWith('http/') && target?.startsWith('storage/')) {
        if (!isPortModule(target) || !site.typeOnly) add('http-imports-storage', line, shown);
      }
      if (isPortModule(source.path) && !site.typeOnly) add('port-has-runtime', line, shown);
      if (
        source.path.startsWith('service/') &&
        (target?.startsWith('http/') || target?.startsWith('login-ui/'))
      )
        add('service-imports-http', line, shown);
      if (source.path.startsWith('engine/')) {
        const inside = target !== null ? target.startsWith('engine/') : specifier === '@tessera/protocol';
        if (!inside || (target === null && !site.typeOnly)) add('engine-imports-outside', line, shown);
      }
    }
    if (isPortModule(source.path)) {
      for (const statement of file.statements.filter(isRuntimeStatement))
        add('port-has-runtime', lineOf(statement), firstLine(statement.getText(file)));
    }
    if (source.path.startsWith('http/')) {
      for (const use of storageUses(file)) add('http-calls-storage', lineOf(use), use.getText(file));
    }
  }

  const violations = found.filter((v) => !exemptions.some((e) => e.rule === v.rule && e.file === v.file));
  for (const exemption of exemptions) {
    if (!found.some((v) => v.rule === exemption.rule && v.file === exemption.file))
      violations.push({
        rule: 'stale-exemption',
        file: exemption.file,
        line: 1,
        found: `exempt from [${exemption.rule}] (${exemption.why})`,
      });
  }
  return violations;
}

function importSites(file: ts.SourceFile, path: string, lineOf: (node: ts.Node) => number): ImportSite[] {
  const sites: ImportSite[] = [];
  const site = (node: ts.Node, specifier: string, typeOnly: boolean) =>
    sites.push({ specifier, target: resolve(path, specifier), typeOnly, line: lineOf(node) });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      site(node, node.moduleSpecifier.text, isTypeOnlyImport(node));
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const clause = node.exportClause;
      const typeOnly =
        node.isTypeOnly ||
        (clause !== undefined &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((e) => e.isTypeOnly));
      site(node, node.moduleSpecifier.text, typeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      site(node, node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) site(node, literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return sites;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (clause === undefined) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    clause.name === undefined &&
    named !== undefined &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((e) => e.isTypeOnly)
  );
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return posix.join(posix.dirname(from), specifier).replace(/\.js$/, '.ts');
}

/** `x.storage` and `{ storage } = x`: a route holding the storage port instead of a use case. */
function storageUses(file: ts.SourceFile): ts.Node[] {
  const uses: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'storage') {
      // Report the whole call chain (`deps.storage.getUser(…)` → `deps.storage.getUser`).
      const parent = node.parent;
      uses.push(ts.isPropertyAccessExpression(parent) && parent.expression === node ? parent : node);
    } else if (ts.isBindingElement(node) && (node.propertyName ?? node.name).getText(file) === 'storage') {
      uses.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return uses;
}
