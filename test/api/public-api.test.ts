import * as fs from 'fs';
import * as path from 'path';

// The public API as every CDK language sees it: the jsii assembly (`.jsii`) that `npm test`'s
// compile step writes. jsii itself refuses most incompatible shapes; these tests hold the rules
// jsii accepts but other languages pay for (unions become `Object`), and the curation rules of the
// entry point (no free functions or constants, every member documented).

const ROOT = path.join(__dirname, '..', '..');
const ASSEMBLY = path.join(ROOT, '.jsii');

interface TypeRef { readonly fqn?: string; readonly primitive?: string; readonly union?: { types: TypeRef[] }; readonly collection?: { elementtype: TypeRef } }
interface Docs { readonly summary?: string; readonly default?: string }
interface Parameter { readonly name: string; readonly type: TypeRef; readonly optional?: boolean; readonly docs?: Docs }
interface Callable { readonly name?: string; readonly parameters?: Parameter[]; readonly returns?: { type: TypeRef }; readonly docs?: Docs }
interface Property { readonly name: string; readonly type: TypeRef; readonly optional?: boolean; readonly docs?: Docs }
interface JsiiType {
  readonly fqn: string; readonly name: string; readonly kind: 'class' | 'interface' | 'enum'; readonly datatype?: boolean; readonly docs?: Docs;
  readonly initializer?: Callable; readonly methods?: Callable[]; readonly properties?: Property[]; readonly members?: { name: string; docs?: Docs }[];
}

function loadAssembly(): { name: string; types: Record<string, JsiiType> } {
  if (!fs.existsSync(ASSEMBLY)) {
    throw new Error(`${ASSEMBLY} is missing: the test command compiles with jsii first ('npm test'), or run 'npm run jsii'`);
  }
  return JSON.parse(fs.readFileSync(ASSEMBLY, 'utf8'));
}

/** Every place a type reference appears in a public type, with a readable location. */
function typeReferences(type: JsiiType): Array<[string, TypeRef]> {
  const refs: Array<[string, TypeRef]> = [];
  const callable = (where: string, c: Callable) => {
    for (const p of c.parameters ?? []) refs.push([`${where}(${p.name})`, p.type]);
    if (c.returns) refs.push([`${where} returns`, c.returns.type]);
  };
  if (type.initializer) callable(`${type.name} constructor`, type.initializer);
  for (const m of type.methods ?? []) callable(`${type.name}.${m.name}`, m);
  for (const p of type.properties ?? []) refs.push([`${type.name}.${p.name}`, p.type]);
  return refs;
}

function unions(ref: TypeRef): boolean {
  if (ref.union) return true;
  return ref.collection ? unions(ref.collection.elementtype) : false;
}

describe('the public API as other CDK languages see it', () => {
  const assembly = loadAssembly();
  const types = Object.values(assembly.types);

  test('is a curated set of types, not the source tree', () => {
    expect(types.length).toBeGreaterThan(20);
    expect(types.length).toBeLessThan(200);
  });

  test('has no union types (Python, Java, .NET and Go would see them as an untyped Object)', () => {
    const found = types.flatMap((t) => typeReferences(t).filter(([, ref]) => unions(ref)).map(([where]) => where));
    expect(found).toEqual([]);
  });

  test('documents every type, property, method and enum member', () => {
    const missing: string[] = [];
    for (const t of types) {
      if (!t.docs?.summary) missing.push(t.name);
      for (const p of t.properties ?? []) if (!p.docs?.summary) missing.push(`${t.name}.${p.name}`);
      for (const m of t.methods ?? []) if (!m.docs?.summary) missing.push(`${t.name}.${m.name}()`);
      for (const m of t.members ?? []) if (!m.docs?.summary) missing.push(`${t.name}.${m.name}`);
    }
    expect(missing).toEqual([]);
  });

  test('says the default of every optional prop of a struct', () => {
    const missing = types.filter((t) => t.datatype)
      .flatMap((t) => (t.properties ?? []).filter((p) => p.optional && !p.docs?.default).map((p) => `${t.name}.${p.name}`));
    expect(missing).toEqual([]);
  });

  test('exports at run time only the classes and enums of the assembly (no free functions or constants, which jsii drops)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = Object.keys(require(path.join(ROOT, 'lib')));
    const jsiiNames = new Set(types.filter((t) => t.kind !== 'interface').map((t) => t.name));
    expect(runtime.filter((name) => !jsiiNames.has(name))).toEqual([]);
    expect([...jsiiNames].filter((name) => !runtime.includes(name))).toEqual([]);
  });
});
