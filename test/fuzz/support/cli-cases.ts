/**
 * Crafted cloud assemblies for the command line: a fixture assembly whose JSON files (the cloud
 * assembly manifest, the templates, the reliability manifests) are mutated at generated places —
 * values replaced by hostile JSON (wrong types, huge numbers, control characters, halves of
 * surrogate pairs, deep nesting, paths out of the assembly), keys deleted, files replaced by text
 * that is not JSON — as an untrusted pull request's `cdk.out` could be.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { HOSTILE_STRINGS } from './hostile';

/** A JSON value, as read from a file. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One change to one file of the assembly. */
export type Mutation =
  | { readonly kind: 'replace'; readonly at: number; readonly value: Json }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'text'; readonly text: string };

/** What a case does: which fixture file it changes, how, and which command runs on the result. */
export interface CliCase {
  readonly file: number;
  readonly mutations: Mutation[];
  readonly command: 'report' | 'diff' | 'gameday';
}

/** Strings that are paths an assembly must not name. Filled with the case's secret file by `pathOutside`. */
const OUTSIDE = '<outside>';

/** JSON values that break naive readers. */
export const hostileJson: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, 0, -1, 1e308, -0, 2 ** 53 + 2, '', ' ', '{}', [], {}, [[[[[[]]]]]], { Type: 5 }, { 'Fn::GetAtt': 5 }, { Ref: null },
    OUTSIDE, `../${OUTSIDE}`, '../../../../etc/passwd', '/etc/passwd', 'C:\\Windows\\win.ini', 'x\u0000y', '\\\\server\\share',
    ...HOSTILE_STRINGS.filter((s) => s.length < 1000)),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.double(),
  fc.integer(),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  // deep, as a text (fast-check prints and shrinks values recursively: a deep array would overflow its stack)
  fc.integer({ min: 1, max: 5000 }).map((n) => `<nested ${n}>`),
);

/** Text that is not JSON, or barely. */
const notJson = fc.oneof(
  fc.constantFrom('', 'root:x:0:0:root:/root:/bin/bash', '{', '{"a": 1,}', '\uFEFF{}', '[1, 2, tru]', 'null', '"text"', '[]', '{"artifacts": []}',
    '['.repeat(200_000)),
  fc.string({ maxLength: 40 }),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileJson }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('text' as const), text: notJson }), weight: 1 },
);

/** Every path in a JSON tree, parents before children. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(...paths(v, [...at, k]));
    }
  }
  return out;
}

/** Applies `mutations` to a JSON text; a `text` mutation replaces the file. */
export function mutate(text: string, mutations: readonly Mutation[], outside: string): string {
  let value = JSON.parse(text) as Json;
  let replaced: string | undefined;
  for (const m of mutations) {
    if (m.kind === 'text') {
      replaced = m.text;
      continue;
    }
    const all = paths(value);
    const at = all[m.at % all.length];
    // a copy: the generated value is fast-check's, and a later mutation must not make it cyclic
    const fill = (v: Json): Json => (typeof v === 'string' ? v.replace(OUTSIDE, outside) : JSON.parse(JSON.stringify(v)) as Json);
    if (at.length === 0) {
      value = m.kind === 'replace' ? fill(m.value) : null;
      continue;
    }
    const parent = at.slice(0, -1).reduce<any>((node, key) => node[key], value);
    const key = at[at.length - 1];
    if (m.kind === 'replace') {
      parent[key] = fill(m.value);
    } else if (Array.isArray(parent)) {
      parent.splice(Number(key), 1);
    } else {
      delete parent[key];
    }
  }
  // `<nested N>` placeholders become N nested lists in the text (built as a tree, they would overflow JSON.stringify's stack)
  return replaced ?? JSON.stringify(value).replace(/"<nested (\d+)>"/g, (_, n) => '['.repeat(Number(n)) + ']'.repeat(Number(n)));
}

/** The JSON files of a fixture directory, relative to it. */
export function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        visit(full);
      } else if (entry.name.endsWith('.json')) {
        out.push(path.relative(dir, full));
      }
    }
  };
  visit(dir);
  return out.sort();
}

export const cliCases: fc.Arbitrary<CliCase> = fc.record({
  file: fc.nat(),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  command: fc.constantFrom('report' as const, 'diff' as const, 'gameday' as const),
});
