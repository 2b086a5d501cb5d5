// Fails when the source files under packages/*/src import each other in a cycle that
// exists at run time. A cycle makes module evaluation order depend on which file is
// loaded first: a constant read at load time is `undefined` from one entry point and
// fine from another. Edges that vanish when TypeScript is erased do not count:
// `import type …`, `export type …`, and the `type` specifiers of a mixed import.
// `import { type A } from './a'` does count: under `verbatimModuleSyntax` it still loads
// './a'. Dynamic `import()` counts too: the loaded module runs in the same graph.
//
// Usage: node --import tsx scripts/check-cycles.ts [root] — prints each cycle as a chain of
// files and exits 1 when there is one.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SOURCE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

export interface Cycle {
  /** Files relative to the root, the first repeated at the end: a → b → a. */
  files: string[];
}

/** Every source file under `<root>/packages/<name>/src`. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) files.push(p);
    }
  };
  const packages = join(root, 'packages');
  for (const pkg of readdirSync(packages, { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue;
    const src = join(packages, pkg.name, 'src');
    try {
      walk(src);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return files.map((f) => realpathSync(f)).sort();
}

/** The module specifiers of `file` that load another module when the code runs. */
export function runtimeSpecifiers(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      if (!node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier))
        found.push(node.moduleSpecifier.text);
      return;
    }
    if (ts.isImportEqualsDeclaration(node)) {
      const ref = node.moduleReference;
      if (
        !node.isTypeOnly &&
        ts.isExternalModuleReference(ref) &&
        ts.isStringLiteral(ref.expression)
      )
        found.push(ref.expression.text);
      return;
    }
    if (ts.isExportDeclaration(node)) {
      if (!node.moduleSpecifier || !ts.isStringLiteral(node.moduleSpecifier)) return;
      if (node.isTypeOnly) return;
      const clause = node.exportClause;
      // `export { type A } from './a'` re-exports nothing at run time and is dropped.
      if (clause && ts.isNamedExports(clause) && clause.elements.length > 0)
        if (clause.elements.every((e) => e.isTypeOnly)) return;
      found.push(node.moduleSpecifier.text);
      return;
    }
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    )
      found.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Runtime import edges between `files`: file → files it loads, imports outside `files` left out. */
export function importGraph(files: string[], root: string): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    allowJs: true,
    jsx: ts.JsxEmit.ReactJSX,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const spec of runtimeSpecifiers(file, readFileSync(file, 'utf8'))) {
      const resolved = ts.resolveModuleName(spec, file, options, host).resolvedModule;
      if (!resolved) continue;
      const target = realpathSync(resolve(root, resolved.resolvedFileName));
      if (known.has(target)) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/**
 * Every cycle closed by a back edge of a depth-first walk, each once: a graph has a
 * cycle exactly when such an edge exists, and removing the imports printed breaks it.
 */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const seen = new Set<string>();
  const cycles: string[][] = [];
  const walk = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const s = state.get(next);
      if (s === undefined) walk(next);
      else if (s === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        // the same cycle reached from another start is reported once
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const key = [...cycle.slice(start), ...cycle.slice(0, start)].join('\n');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      }
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) walk(file);
  return cycles;
}

/** The runtime import cycles among the sources of `<root>/packages/*\/src`. */
export function checkCycles(root: string): Cycle[] {
  const real = realpathSync(root);
  const graph = importGraph(sourceFiles(real), real);
  return findCycles(graph).map((c) => ({
    files: c.map((f) => relative(real, f).split(sep).join('/')),
  }));
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const cycles = checkCycles(root);
  for (const c of cycles) console.log(`cycle: ${c.files.join('\n    → ')}\n`);
  console.log(
    cycles.length === 0
      ? 'import cycles: 0 runtime cycles in packages/*/src'
      : `import cycles: ${cycles.length} runtime cycle(s) in packages/*/src`,
  );
  process.exitCode = cycles.length === 0 ? 0 : 1;
}
