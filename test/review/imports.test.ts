import * as fs from 'node:fs';
import * as path from 'node:path';

const LIB = path.join(__dirname, '..', '..', 'lib');

/** Every module a source file loads, transitively: local files and the packages they import. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = fs.readFileSync(file, 'utf8');
    // `import type` is erased at compile time and loads nothing
    for (const match of source.matchAll(/^(?:import|export)\s+(?!type\s)[^'";]*?from\s+'([^']+)'/gm)) {
      const specifier = match[1];
      if (!specifier.startsWith('.')) {
        packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
        continue;
      }
      const base = path.resolve(path.dirname(file), specifier);
      visit(fs.existsSync(`${base}.ts`) ? `${base}.ts` : path.join(base, 'index.ts'));
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the review commands stay fast to start', () => {
  test.each([
    ['lib/cli/commands/report.ts'],
    ['lib/cli/commands/diff.ts'],
    ['lib/review/report.ts'],
    ['lib/review/diff-render.ts'],
  ])('%s loads no package (no aws-cdk-lib, constructs or AWS SDK) and no manifest builder', (entry) => {
    const { packages, files } = importGraph(path.join(LIB, '..', entry));
    expect([...packages].filter((p) => !p.startsWith('node:'))).toEqual([]);
    const relative = [...files].map((f) => path.relative(LIB, f));
    expect(relative.filter((f) => f.startsWith('manifest/') && f !== 'manifest/schema.ts')).toEqual([]);
  });
});
