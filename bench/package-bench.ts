/**
 * Package benchmark: what installing cdk-reliability costs a CDK app, before and after the command
 * was bundled (issue 12: no runtime dependencies beyond the peers).
 *
 * - before: main at commit 7a55e83, when `@aws-sdk/client-cloudwatch` and `@aws-sdk/client-fis`
 *   were runtime dependencies and `bin` ran the tsc output. It is checked out with `git worktree
 *   add` under the temporary directory, given this repository's node_modules (a symlink: same
 *   versions), and packed with its own `npm pack` (its prepack builds it).
 * - after: this checkout, packed with `npm pack` (prepack checks that `npm run build` ran).
 *
 * For each tarball: its size packed and unpacked and its file count (`npm pack --json`), then what
 * `npm install <tarball>` adds to a fresh CDK app: two apps are installed from the npm registry
 * (npm's cache helps), one with only the peers (aws-cdk-lib, constructs, at this repo's versions)
 * and one with the peers and the tarball; the difference in installed packages (entries of
 * node_modules/.package-lock.json) and in disk usage (`du -sk node_modules`) is what the package
 * adds. The peers' baseline is installed once and shared by both variants.
 *
 * Cold start: `cdk-reliability --help` from each app's node_modules/.bin, each run a fresh node
 * process, the two variants interleaved (A B B A) after a warm-up, medians reported, the ratio
 * after / before from the same run; `node -e ''` is timed alongside as the floor (Node.js's own
 * start-up).
 *
 * Run with `npm run bench:package` (builds first; about two minutes with a warm npm cache). Needs
 * the npm registry. Prints a Markdown report and writes it to `bench/package-results.md`. It
 * measures, it does not test: it exits 0 whatever the figures.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

const ROOT = path.resolve(__dirname, '..', '..');
const BEFORE_COMMIT = '7a55e83';
const COLD_RUNS = 15;

interface Tarball {
  readonly file: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  /** Bytes of the jsii assembly in the tarball (0 before: it was not shipped). */
  readonly jsii: number;
}

interface Install {
  readonly packages: number;
  readonly kilobytes: number;
  readonly names: string[];
}

function sh(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** `npm pack` of `dir` into `dest`, with npm's own figures for the tarball. */
function pack(dir: string, dest: string): Tarball {
  const out = sh('npm', ['pack', '--json', '--pack-destination', dest], dir);
  // prepack scripts may print before the JSON
  const info = JSON.parse(out.slice(out.indexOf('[')))[0];
  const jsii = info.files.find((f: { path: string }) => f.path === '.jsii')?.size ?? 0;
  return { file: path.join(dest, info.filename), size: info.size, unpackedSize: info.unpackedSize, entryCount: info.entryCount, jsii };
}

/** A fresh app in `dir` with `specs` installed from the registry, and what its node_modules holds. */
function install(dir: string, specs: string[]): Install {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir);
  const lock = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', '.package-lock.json'), 'utf8'));
  const names = Object.keys(lock.packages).filter((p) => p !== '');
  const kilobytes = Number(sh('du', ['-sk', 'node_modules'], dir).split('\t')[0]);
  return { packages: names.length, kilobytes, names };
}

/** Milliseconds of one fresh `node <args>` in `cwd`, which must exit 0. */
function timeRun(cwd: string, args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} in ${cwd} exited ${result.status}: ${result.stderr}`);
  }
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const mb = (kilobytes: number) => `${(kilobytes / 1024).toFixed(1)} MB`;
const ratio = (after: number, before: number) => `${(after / before).toFixed(2)}×`;

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-package-bench-'));
  const beforeDir = path.join(work, 'before-src');
  try {
    // GIVEN the two packages
    sh('git', ['worktree', 'add', '--detach', beforeDir, BEFORE_COMMIT], ROOT);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(beforeDir, 'node_modules'), 'dir');
    // both tarballs are named cdk-reliability-<version>.tgz: one folder each
    const tarballs = { before: path.join(work, 'tarball-before'), after: path.join(work, 'tarball-after') };
    fs.mkdirSync(tarballs.before);
    fs.mkdirSync(tarballs.after);
    console.error(`packing ${BEFORE_COMMIT} (its prepack builds it) ...`);
    const before = pack(beforeDir, tarballs.before);
    console.error('packing this checkout ...');
    const after = pack(ROOT, tarballs.after);

    // WHEN each is installed into a fresh CDK app, beside a baseline with only the peers
    const versionOf = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
    const peers = [`aws-cdk-lib@${versionOf('aws-cdk-lib')}`, `constructs@${versionOf('constructs')}`];
    console.error(`installing fresh apps: ${peers.join(' ')} alone, then with each tarball ...`);
    const baseline = install(path.join(work, 'app-peers'), peers);
    const beforeApp = path.join(work, 'app-before');
    const afterApp = path.join(work, 'app-after');
    const withBefore = install(beforeApp, [...peers, before.file]);
    const withAfter = install(afterApp, [...peers, after.file]);
    const added = (i: Install) => i.names.filter((n) => !baseline.names.includes(n));

    // AND the command's cold start is timed from each app's node_modules/.bin
    const bin = (app: string) => path.join(app, 'node_modules', '.bin', 'cdk-reliability');
    const bundle = path.join(afterApp, 'node_modules', 'cdk-reliability', JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).bin['cdk-reliability']);
    const times = { before: [] as number[], after: [] as number[], node: [] as number[] };
    for (let i = 0; i < 3; i++) {
      timeRun(beforeApp, [bin(beforeApp), '--help']);
      timeRun(afterApp, [bin(afterApp), '--help']);
    }
    for (let i = 0; i < COLD_RUNS; i++) {
      const order: Array<'before' | 'after'> = i % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
      for (const variant of order) {
        const app = variant === 'before' ? beforeApp : afterApp;
        times[variant].push(timeRun(app, [bin(app), '--help']));
      }
      times.node.push(timeRun(work, ['-e', '']));
    }

    // THEN the report
    const row = (label: string, b: string, a: string, r: string) => `| ${label} | ${b} | ${a} | ${r} |`;
    const addedBefore = added(withBefore);
    const addedAfter = added(withAfter);
    const medians = { before: median(times.before), after: median(times.after), node: median(times.node) };
    const head = sh('git', ['rev-parse', '--short', 'HEAD'], ROOT).trim();
    const dirty = sh('git', ['status', '--porcelain', '--untracked-files=no'], ROOT).trim() !== '';
    const report = [
      '# Package benchmark',
      '',
      `Measured by \`npm run bench:package\` (bench/package-bench.ts) on ${new Date().toISOString().slice(0, 10)}, `
        + `Node.js ${process.version}, npm ${sh('npm', ['--version'], ROOT).trim()}, ${os.cpus().length} cores. `
        + `Before: commit ${BEFORE_COMMIT} (the AWS SDK clients as runtime dependencies). `
        + `After: ${head}${dirty ? ' with uncommitted changes' : ''} (the command bundled, no runtime dependencies).`,
      '',
      '## The tarball',
      '',
      '| | before | after | after / before |',
      '| --- | ---: | ---: | ---: |',
      row('packed', kb(before.size), kb(after.size), ratio(after.size, before.size)),
      row('unpacked', kb(before.unpackedSize), kb(after.unpackedSize), ratio(after.unpackedSize, before.unpackedSize)),
      row('files', String(before.entryCount), String(after.entryCount), ratio(after.entryCount, before.entryCount)),
      '',
      `Unpacked, after: the jsii assembly (.jsii, which other languages' packages and Construct Hub read; `
        + `${Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8')).types ?? {}).length} public types) is ${kb(after.jsii)}, `
        + `the command's bundle ${kb(fs.statSync(path.join(ROOT, 'dist', 'cli', 'cdk-reliability.js')).size)}; `
        + 'the CLI\'s separate compiled modules are no longer shipped.',
      '',
      '## What `npm install <tarball>` adds to a fresh CDK app',
      '',
      `The app already has the peers (${peers.join(', ')}): ${baseline.packages} packages, ${mb(baseline.kilobytes)} `
        + 'in node_modules (aws-cdk-lib\'s bundled dependencies included). The package adds:',
      '',
      '| | before | after |',
      '| --- | ---: | ---: |',
      `| packages | ${withBefore.packages - baseline.packages} | ${withAfter.packages - baseline.packages} |`,
      `| disk (du -sk node_modules) | ${mb(withBefore.kilobytes - baseline.kilobytes)} | ${mb(withAfter.kilobytes - baseline.kilobytes)} |`,
      '',
      `Before, the added packages were cdk-reliability and ${addedBefore.length - 1} dependencies `
        + `(${summarizeScopes(addedBefore)}); after: ${addedAfter.map((n) => n.replace(/^.*node_modules\//, '')).join(', ')}.`,
      '',
      '## The command',
      '',
      `The bundle (\`${path.relative(path.join(afterApp, 'node_modules', 'cdk-reliability'), bundle)}\`) is `
        + `${kb(fs.statSync(bundle).size)}: the command with the AWS SDK clients it uses (FIS, CloudWatch) inlined, `
        + 'whitespace and syntax minified, identifiers kept for readable stack traces.',
      '',
      `\`cdk-reliability --help\`, a fresh process each, median of ${COLD_RUNS} runs per variant, interleaved:`,
      '',
      '| | before (tsc output + node_modules) | after (one bundle) | after / before |',
      '| --- | ---: | ---: | ---: |',
      row('cold start', `${medians.before.toFixed(0)} ms`, `${medians.after.toFixed(0)} ms`, ratio(medians.after, medians.before)),
      row('minus Node.js start-up', `${(medians.before - medians.node).toFixed(0)} ms`, `${(medians.after - medians.node).toFixed(0)} ms`,
        ratio(medians.after - medians.node, medians.before - medians.node)),
      '',
      `Node.js start-up alone (\`node -e ''\`, same runs): ${medians.node.toFixed(0)} ms.`,
      '',
    ].join('\n');
    console.log(report);
    fs.writeFileSync(path.join(ROOT, 'bench', 'package-results.md'), report);
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', beforeDir], { cwd: ROOT });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** "98 under @aws-sdk/, 60 under @smithy/, 4 others" for a list of node_modules paths. */
function summarizeScopes(names: string[]): string {
  const counts = new Map<string, number>();
  for (const name of names.map((n) => n.replace(/^.*node_modules\//, '')).filter((n) => n !== 'cdk-reliability')) {
    const scope = name.startsWith('@') ? `${name.split('/')[0]}/` : 'unscoped';
    counts.set(scope, (counts.get(scope) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([scope, n]) => (scope === 'unscoped' ? `${n} unscoped` : `${n} under ${scope}`)).join(', ');
}

main();
