/**
 * The import boundaries that keep the structure visible: synth-time code never loads the command
 * line (and through it the AWS SDK), and the Lambda handlers, which run in AWS, never load the
 * construct library.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' ? [] : sources(relative);
    }
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

/** Every relative module a file names in an import, export or require, resolved from the repository root. */
function localImports(file: string): string[] {
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [
    ...source.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s+'([^']+)'/gm),
    ...source.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...source.matchAll(/\b(?:require|import)\(\s*'([^']+)'\s*\)/g),
    ...source.matchAll(/\bjest\.(?:mock|requireActual)\(\s*'([^']+)'/g),
  ].map((m) => m[1]);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), s)));
}

const inside = (module: string, dir: string) => module === dir || module.startsWith(`${dir}${path.sep}`);

describe('import boundaries', () => {
  test('nothing outside lib/cli imports lib/cli: synth-time code never loads the command line', () => {
    const offenders = [...sources('lib'), ...sources('lambdas'), ...sources('bin')]
      .filter((file) => !inside(file, path.join('lib', 'cli')))
      .flatMap((file) => localImports(file).filter((m) => inside(m, path.join('lib', 'cli'))).map((m) => `${file} imports ${m}`))
      // lib/manifest/build.ts (another area) still reads renderValue through lib/cli/render's re-export;
      // the integrator points it at lib/private/template-value and removes this exception
      .filter((line) => line !== `${path.join('lib', 'manifest', 'build.ts')} imports ${path.join('lib', 'cli', 'render')}`);
    expect(offenders).toEqual([]);
  });

  test('tests outside test/cli reach the command line only through its entry points (lib/cli, lib/cli/run), as users do', () => {
    const entryPoints = [path.join('lib', 'cli'), path.join('lib', 'cli', 'index'), path.join('lib', 'cli', 'run')];
    const offenders = sources('test')
      .filter((file) => !inside(file, path.join('test', 'cli')))
      .flatMap((file) => localImports(file)
        .filter((m) => inside(m, path.join('lib', 'cli')) && !entryPoints.includes(m))
        .map((m) => `${file} imports ${m}`));
    expect(offenders).toEqual([]);
  });

  test('no Lambda handler imports from lib/: the handlers run in AWS, not at synth', () => {
    const offenders = sources('lambdas')
      .flatMap((file) => localImports(file).filter((m) => inside(m, 'lib')).map((m) => `${file} imports ${m}`));
    expect(offenders).toEqual([]);
  });

  test('the checks see imports: this repository\'s command line does import lib/cli', () => {
    expect(localImports(path.join('lib', 'cli', 'main.ts')).some((m) => inside(m, path.join('lib', 'cli')))).toBe(true);
  });
});
