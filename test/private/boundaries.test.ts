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

/** Every module a file names in an import, export or require, as written. */
function specifiersOf(file: string): string[] {
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return [
    ...source.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s+'([^']+)'/gm),
    ...source.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...source.matchAll(/\b(?:require|import)\(\s*'([^']+)'\s*\)/g),
    ...source.matchAll(/\bjest\.(?:mock|requireActual)\(\s*'([^']+)'/g),
  ].map((m) => m[1]);
}

/** Every relative module a file names in an import, export or require, resolved from the repository root. */
function localImports(file: string): string[] {
  return specifiersOf(file).filter((s) => s.startsWith('.')).map((s) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), s)));
}

/** The source file of a module resolved by `localImports` (`lib/x` → `lib/x.ts` or `lib/x/index.ts`). */
function fileOf(module: string): string {
  return fs.existsSync(path.join(ROOT, `${module}.ts`)) ? `${module}.ts` : path.join(module, 'index.ts');
}

/** The files `entries` load, themselves included, following relative imports (type-only ones too). */
function closureOf(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (!seen.has(file)) {
      seen.add(file);
      queue.push(...localImports(file).map(fileOf));
    }
  }
  return seen;
}

/**
 * The one exception to "handlers import nothing from lib/": the report function (lambdas/report)
 * runs the period report engine of `review`, lib/cli/period-report, and may import it and any
 * module it loads itself, provided none of them loads aws-cdk-lib or constructs (checked below).
 */
const REPORT_HANDLER = path.join('lambdas', 'report');
const PERIOD_REPORT = path.join('lib', 'cli', 'period-report');
const periodReportClosure = () => closureOf(sources(PERIOD_REPORT));
const isReportEngineImport = (file: string, module: string) => inside(file, REPORT_HANDLER) && periodReportClosure().has(fileOf(module));

const inside = (module: string, dir: string) => module === dir || module.startsWith(`${dir}${path.sep}`);

describe('import boundaries', () => {
  test('nothing outside lib/cli imports lib/cli: synth-time code never loads the command line', () => {
    const offenders = [...sources('lib'), ...sources('lambdas'), ...sources('bin')]
      .filter((file) => !inside(file, path.join('lib', 'cli')))
      .flatMap((file) => localImports(file).filter((m) => inside(m, path.join('lib', 'cli'))).map((m) => `${file} imports ${m}`))
      // lib/manifest/build.ts (another area) still reads renderValue through lib/cli/render's re-export;
      // the integrator points it at lib/private/template-value and removes this exception
      .filter((line) => line !== `${path.join('lib', 'manifest', 'build.ts')} imports ${path.join('lib', 'cli', 'render')}`)
      .filter((line) => !isReportEngineImport(line.split(' imports ')[0], line.split(' imports ')[1]));
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

  test('no Lambda handler imports from lib/: the handlers run in AWS, not at synth (the report function may load the period report engine)', () => {
    const offenders = sources('lambdas')
      .flatMap((file) => localImports(file).filter((m) => inside(m, 'lib') && !isReportEngineImport(file, m)).map((m) => `${file} imports ${m}`));
    expect(offenders).toEqual([]);
  });

  test('nothing the report function loads imports aws-cdk-lib or constructs: the engine it shares with review is free of the construct library', () => {
    const closure = closureOf(sources(REPORT_HANDLER));
    const offenders = [...closure].flatMap((file) => specifiersOf(file)
      .filter((s) => /^(aws-cdk-lib|constructs)(\/|$)/.test(s)).map((s) => `${file} imports ${s}`));
    expect(offenders).toEqual([]);
    expect([...closure].some((f) => inside(f, PERIOD_REPORT))).toBe(true);
  });

  test('the report function\'s exception is narrow: a module of lib/ outside the period report\'s closure is still refused', () => {
    expect(isReportEngineImport(path.join(REPORT_HANDLER, 'index.ts'), path.join('lib', 'cli', 'period-report', 'build'))).toBe(true);
    expect(isReportEngineImport(path.join(REPORT_HANDLER, 'index.ts'), path.join('lib', 'escalation', 'escalation-policy'))).toBe(false);
    expect(isReportEngineImport(path.join('lambdas', 'escalation', 'index.ts'), path.join('lib', 'cli', 'period-report', 'build'))).toBe(false);
  });

  test('the checks see imports: this repository\'s command line does import lib/cli', () => {
    expect(localImports(path.join('lib', 'cli', 'main.ts')).some((m) => inside(m, path.join('lib', 'cli')))).toBe(true);
  });
});
