/**
 * The published package: what `npm pack` ships and what it needs at run time. It reads the build
 * outputs that `npm test` produces before jest (`npm run jsii`: dist/lib and .jsii; `npm run
 * bundle`: the handler bundles and the command's bundle). The tarball itself is installed into an
 * app by .ci/pack-smoke, and measured by `npm run bench:package`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const PEERS = Object.keys(pkg.peerDependencies);
const BUNDLE = 'dist/cli/cdk-reliability.js';
const { notBuilt } = require('../../scripts/check-built') as { notBuilt: (dir: string) => string | undefined };

/** The paths `npm pack` puts in the tarball, read without packing (and without running prepack). */
function shippedFiles(): string[] {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout)[0].files.map((f: { path: string }) => f.path).sort();
}

function isBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || builtinModules.includes(spec);
}

function isPeer(spec: string): boolean {
  return PEERS.some((peer) => spec === peer || spec.startsWith(`${peer}/`));
}

/**
 * What the shipped JavaScript files load, as esbuild parses them (`require()` calls and imports,
 * not strings that mention them): `file -> spec` for every package or built-in, and for every file
 * of ours reached, its path. A relative require that does not resolve fails the build.
 */
function jsImports(files: string[]): { external: string[]; reached: string[] } {
  const result = esbuild.buildSync({
    entryPoints: files.map((f) => path.join(ROOT, f)),
    absWorkingDir: ROOT,
    outdir: path.join(os.tmpdir(), 'cdk-reliability-imports'),
    write: false,
    bundle: true,
    platform: 'node',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.entries(result.metafile!.inputs);
  return {
    external: inputs.flatMap(([file, input]) => input.imports.filter((i) => i.external).map((i) => `${file} -> ${i.path}`)),
    reached: inputs.map(([file]) => file),
  };
}

/** The modules a declaration file imports (`import ... from`, `export ... from`, `import("...")`). */
function dtsImports(text: string): string[] {
  const pattern = /^(?:import|export)\b[^'"]*?\bfrom\s+(['"])([^'"]+)\1|\bimport\(\s*(['"])([^'"]+)\3\s*\)/gm;
  return [...text.matchAll(pattern)].map((m) => m[2] ?? m[4]);
}

beforeAll(() => {
  const reason = notBuilt(ROOT);
  if (reason) {
    throw new Error(`the package is ${reason}: run \`npm run jsii && npm run bundle\` (npm test does) before jest`);
  }
});

describe('the package', () => {
  test('has no runtime dependencies: aws-cdk-lib and constructs are peers, the AWS SDK clients are devDependencies bundled into the command', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bundleDependencies ?? pkg.bundledDependencies ?? []).toEqual([]);
    expect(PEERS.sort()).toEqual(['aws-cdk-lib', 'constructs']);
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['@aws-sdk/client-cloudwatch', '@aws-sdk/client-fis', 'esbuild']));
  });

  test('ships the jsii assembly, the library, the handler bundles and the bundled command, not the command\'s sources', () => {
    const files = shippedFiles();
    expect(files).toEqual(expect.arrayContaining(['.jsii', 'package.json', 'dist/lib/index.js', 'dist/lib/index.d.ts',
      'dist/lambdas/escalation/index.js', 'dist/lambdas/acknowledge/index.js', BUNDLE, 'dist/cli/THIRD-PARTY-LICENSES.md']));
    expect(files.filter((f) => /^dist\/lib\/cli\/(main|run|aws)\.js$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  test('every shipped file requires only Node.js built-ins, the peers and other shipped files', () => {
    const files = shippedFiles();
    const shipped = new Set(files);
    const { external, reached } = jsImports(files.filter((f) => f.endsWith('.js')));
    expect(reached.filter((f) => !shipped.has(f))).toEqual([]);
    expect(external.filter((edge) => {
      const [file, spec] = edge.split(' -> ');
      // the Lambda runtime provides the AWS SDK v3 to the handlers (scripts/bundle-lambdas.js)
      return !(isBuiltin(spec) || isPeer(spec) || (file.startsWith('dist/lambdas/') && spec.startsWith('@aws-sdk/')));
    })).toEqual([]);
    const declarations: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.d.ts'))) {
      for (const spec of dtsImports(fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
        const target = path.posix.join(path.posix.dirname(file), spec);
        const ok = spec.startsWith('.') ? shipped.has(`${target}.d.ts`) || shipped.has(`${target}/index.d.ts`) : isBuiltin(spec) || isPeer(spec);
        if (!ok) {
          declarations.push(`${file} -> ${spec}`);
        }
      }
    }
    expect(declarations).toEqual([]);
  });

  test('the library entry loads neither the command nor the AWS SDK, and only files the tarball ships', () => {
    const script = "require('./dist/lib/index.js'); process.stdout.write(JSON.stringify(Object.keys(require.cache)))";
    const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const loaded: string[] = JSON.parse(result.stdout);
    expect(loaded.filter((f) => /[\\/]node_modules[\\/](@aws-sdk|@smithy)[\\/]/.test(f))).toEqual([]);
    const shipped = new Set(shippedFiles());
    const ours = loaded.filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`)).map((f) => path.relative(ROOT, f).split(path.sep).join('/'));
    expect(ours).toContain('dist/lib/index.js');
    expect(ours.filter((f) => !shipped.has(f))).toEqual([]);
  });
});

describe('the cdk-reliability command', () => {
  test('package.json points `bin` at the bundle, which starts with a node shebang and is executable', () => {
    expect(pkg.bin).toEqual({ 'cdk-reliability': BUNDLE });
    const bundle = path.join(ROOT, BUNDLE);
    expect(fs.readFileSync(bundle, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(fs.statSync(bundle).mode & 0o111).not.toBe(0);
    // the source keeps the shebang the bundle inherits
    expect(fs.readFileSync(path.join(ROOT, 'lib', 'cli', 'main.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  test('the library entry point does not export the CLI, so constructs never load the AWS SDK', () => {
    const index = fs.readFileSync(path.join(ROOT, 'lib', 'index.ts'), 'utf8');
    expect(index).not.toMatch(/['"]\.\/cli/);
  });

  test('the bundle alone runs --help, with no node_modules anywhere around it', () => {
    // GIVEN the bundle copied into an empty directory, outside any node_modules tree
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-bin-'));
    try {
      const copy = path.join(dir, 'cdk-reliability.js');
      fs.copyFileSync(path.join(ROOT, BUNDLE), copy);
      const env = { ...process.env };
      delete env.NODE_PATH;
      // WHEN it runs
      const result = spawnSync(process.execPath, [copy, '--help'], { cwd: dir, env, encoding: 'utf8' });
      // THEN it prints the usage, as the unbundled command does
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Usage: cdk-reliability <command> \[flags\]/);
      expect(result.stdout).toMatch(/^ {2}gameday +Run a service's FIS experiment/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the bundle carries the licences of the npm packages it inlines', () => {
    const licences = fs.readFileSync(path.join(ROOT, 'dist', 'cli', 'THIRD-PARTY-LICENSES.md'), 'utf8');
    expect(licences).toMatch(/@aws-sdk\/client-fis@[\d.]+ \(Apache-2\.0\)/);
    expect(licences).toMatch(/@aws-sdk\/client-cloudwatch@[\d.]+ \(Apache-2\.0\)/);
    expect(licences).toContain('Apache License');
  });
});

describe('the registry metadata', () => {
  test('repository, homepage, issues and the Go module name the same GitHub project', () => {
    const repo = /^https:\/\/github\.com\/([^/]+)\/([^/.]+)\.git$/.exec(pkg.repository.url);
    expect(repo).not.toBeNull();
    const [, owner, name] = repo!;
    expect(pkg.name).toBe(name);
    expect(pkg.homepage).toBe(`https://github.com/${owner}/${name}#readme`);
    expect(pkg.bugs.url).toBe(`https://github.com/${owner}/${name}/issues`);
    expect(pkg.jsii.targets.go.moduleName).toBe(`github.com/${owner}/${name}-go`);
  });

  test('declares the jsii targets the release workflow publishes, and what a construct library lists', () => {
    expect(Object.keys(pkg.jsii.targets).sort()).toEqual(['dotnet', 'go', 'java', 'python']);
    expect(pkg.license).toBe('Apache-2.0');
    expect(pkg.stability).toBe('experimental');
    expect(pkg.keywords).toEqual(expect.arrayContaining(['cdk', 'aws-cdk', 'awscdk']));
    expect(pkg.author.name).toBeTruthy();
    expect(pkg.types).toBe('dist/lib/index.d.ts');
    const workflow = fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8');
    for (const target of ['npm', 'pypi', 'maven', 'nuget', 'golang']) {
      expect(workflow).toMatch(new RegExp(`publib-${target}\\b`));
    }
  });
});
