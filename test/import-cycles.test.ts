/**
 * The modules under lib/ form no import cycle, type-only imports included: a cycle hides which
 * concern depends on which (the manifest once imported the service that registered itself in it).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const LIB = path.join(__dirname, '..', 'lib');

/**
 * Cycles on main that other work removes (the shared `Problem` type, the CLI's argument types).
 * A ratchet: a cycle not listed fails, and a listed one that no longer exists must be deleted here.
 */
const KNOWN_CYCLES: readonly string[] = [
  'cli/args.ts -> cli/command.ts',
];

/** Every `.ts` file under `dir`, as paths relative to lib/. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(full);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path.relative(LIB, full)] : [];
  });
}

/** The lib/ modules `file` imports or re-exports from, type-only imports included. */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(LIB, file), 'utf8'), ts.ScriptTarget.Latest);
  const targets: string[] = [];
  for (const statement of source.statements) {
    const specifier = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) ? statement.moduleSpecifier : undefined;
    if (specifier === undefined || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) {
      continue;
    }
    const target = path.join(path.dirname(file), specifier.text);
    targets.push(fs.existsSync(path.join(LIB, `${target}.ts`)) ? `${target}.ts` : path.join(target, 'index.ts'));
  }
  return targets;
}

/** The strongly connected components of more than one module (Tarjan), each as its sorted members joined by ` -> `. */
function importCycles(graph: Map<string, string[]>): string[] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (module: string): void => {
    index.set(module, counter);
    low.set(module, counter);
    counter += 1;
    stack.push(module);
    onStack.add(module);
    for (const next of graph.get(module) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(module, Math.min(low.get(module)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(module, Math.min(low.get(module)!, index.get(next)!));
      }
    }
    if (low.get(module) === index.get(module)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== module);
      if (component.length > 1) {
        cycles.push(component.sort().join(' -> '));
      }
    }
  };
  for (const module of graph.keys()) {
    if (!index.has(module)) {
      visit(module);
    }
  }
  return cycles.sort();
}

describe('the import graph of lib/', () => {
  const graph = new Map(sourceFiles(LIB).map((file) => [file, importsOf(file)] as const));
  const cycles = importCycles(graph);

  test('has no import cycle besides the known ones being removed', () => {
    expect(cycles.filter((c) => !KNOWN_CYCLES.includes(c))).toEqual([]);
  });

  test('still has each known cycle (delete it from KNOWN_CYCLES once removed)', () => {
    expect(KNOWN_CYCLES.filter((c) => !cycles.includes(c))).toEqual([]);
  });

  test('lib/manifest imports nothing from lib/service, so the service can include itself in the manifest', () => {
    const manifestImports = [...graph].filter(([file]) => file.startsWith('manifest/')).flatMap(([file, targets]) => targets.map((t) => `${file} -> ${t}`));
    expect(manifestImports.filter((edge) => edge.split(' -> ')[1].startsWith('service/'))).toEqual([]);
  });

  test('reports a cycle of three modules, without a module that only enters it', () => {
    expect(importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]))).toEqual(['a.ts -> b.ts -> c.ts']);
  });
});
