import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readManifests } from '../../../lib/cli/manifests';
import { NO_SERVICES_ASSEMBLY, PROD_FILE, SHOP_ASSEMBLY, SHOP_FILE } from '../../review/support/manifests';
import { useHarness } from '../support/harness';

const REPORT_USAGE = 'Usage: cdk-reliability report [assembly] [--output <file>] [--service <name>]';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-report-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Writes `content` (JSON unless a string) to a file in the temporary directory. */
function writeTmp(name: string, content: unknown): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('reading manifests', () => {
  test('from a cloud assembly: every stack with a manifest, nested stages included, in assembly order', () => {
    const set = readManifests(SHOP_ASSEMBLY);
    expect(set.kind).toBe('assembly');
    expect(set.manifests.map((m) => m.stack.path)).toEqual(['Shop', 'Prod/Shop']); // Network holds no ReliableService
    expect(set.files).toEqual([SHOP_FILE, PROD_FILE]);
  });

  test('from one manifest file', () => {
    const set = readManifests(PROD_FILE);
    expect(set.kind).toBe('file');
    expect(set.manifests.map((m) => m.stack.name)).toEqual(['Prod-Shop']);
  });

  test('from a directory of manifest files, by file name', () => {
    fs.copyFileSync(SHOP_FILE, writeTmp('files/b-Shop.reliability.json', ''));
    fs.copyFileSync(PROD_FILE, writeTmp('files/a-Prod.reliability.json', ''));
    writeTmp('files/notes.txt', 'not a manifest');
    const set = readManifests(path.join(tmp, 'files'));
    expect(set.kind).toBe('directory');
    expect(set.manifests.map((m) => m.stack.name)).toEqual(['Prod-Shop', 'Shop']);
  });

  test('paths are read relative to the working directory given', () => {
    expect(readManifests('shop', path.dirname(SHOP_ASSEMBLY)).manifests).toHaveLength(2);
  });
});

describe('report', () => {
  const world = useHarness();

  test('prints the Markdown report of a cloud assembly on stdout', async () => {
    const h = world();
    expect(await h.run('report', SHOP_ASSEMBLY)).toBe(0);
    const out = h.stdout();
    expect(out.startsWith('# Reliability policy\n')).toBe(true);
    expect(out).toContain('4 services in 2 stacks: 7 SLOs, 2 experiments; alarms about $18.90/month');
    expect(out).toContain('| 99.9 % | 30 d | 0.1 % | 43 min/30 d | ratio | 70/167/334/1001 events | $2.60 |');
    expect(out).toContain('  2. after 15 min: pagerduty');
    expect(out.endsWith('|\n')).toBe(true);
    expect(h.stderr()).toBe('');
    expect(h.clientOptions).toEqual([]); // offline
  });

  test('--service keeps that service, in every stack that has one', async () => {
    const h = world();
    expect(await h.run('report', SHOP_ASSEMBLY, '--service', 'checkout')).toBe(0);
    const out = h.stdout();
    expect(out).toContain('2 services in 2 stacks: 4 SLOs, 1 experiment;');
    expect(out).not.toContain('### Service `search`');
    expect(out.match(/### Service `checkout`/g)).toHaveLength(2);
  });

  test('--service with a name no stack has exits 1, naming the closest and the services there are', async () => {
    const h = world();
    expect(await h.run('report', SHOP_ASSEMBLY, '--service', 'chekout')).toBe(1);
    expect(h.stderr()).toBe(`error: no service 'chekout' in ${SHOP_ASSEMBLY} (did you mean checkout?); services there: checkout, search, fulfilment\n`);
  });

  test('--output writes the report to a file, creating its directory, and says so', async () => {
    const h = world();
    const file = path.join(tmp, 'docs', 'reliability.md');
    expect(await h.run('report', PROD_FILE, '--output', file)).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('## Stack `Prod-Shop`');
    expect(h.stdout()).toBe(`Wrote the reliability report of 1 service (read 1 service in 1 stack from ${PROD_FILE}) to ${file}\n`);
  });

  test('reads cdk.out in the working directory by default', async () => {
    const h = world();
    const cwd = process.cwd();
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    process.chdir(empty);
    try {
      expect(await h.run('report')).toBe(1);
    } finally {
      process.chdir(cwd);
    }
    expect(h.stderr()).toContain('error: no cloud assembly at cdk.out: run `cdk synth` first');
  });
});

describe('report: nothing to read exits 1 with what to do', () => {
  const world = useHarness();

  test.each<[string, () => string, string]>([
    ['a path that does not exist', () => path.join(tmp, 'nowhere'), 'no cloud assembly at {path}: run `cdk synth` first'],
    ['a manifest file that does not exist', () => path.join(tmp, 'Shop.reliability.json'), 'no reliability manifest at {path}: the file does not exist'],
    ['an assembly without ReliableService', () => NO_SERVICES_ASSEMBLY,
      'no stack in {path} holds a ReliableService: no <artifactId>.reliability.json beside the templates (stacks: Network)'],
    ['a directory with neither an assembly nor manifests', () => fs.mkdtempSync(path.join(tmp, 'bare-')),
      'no cloud assembly at {path} (no manifest.json) and no *.reliability.json files in it: run `cdk synth` first'],
    ['a manifest of a newer schema', () => writeTmp('v2.reliability.json', { schemaVersion: 2, generator: 'cdk-reliability' }),
      '{path} was written by a newer cdk-reliability (schema 2); this one reads 1: upgrade cdk-reliability'],
    ['a manifest of an unknown schema', () => writeTmp('v0.reliability.json', { schemaVersion: '1' }),
      '{path} has an unknown schema version "1"; this cdk-reliability reads 1'],
    ['a JSON file that is not a manifest', () => writeTmp('other.json', { Resources: {} }), '{path} is not a reliability manifest (no schemaVersion)'],
    ['a file that is not JSON', () => writeTmp('broken.reliability.json', '{"schemaVersion": 1,'),
      'the reliability manifest {path} is not valid JSON: syntax error at line 1, column 21; its content is not shown'],
    ['a manifest missing what the report reads', () => writeTmp('partial.reliability.json', {
      schemaVersion: 1, stack: { name: 'Shop', path: 'Shop' }, services: [{ name: 'checkout', path: 'Shop/Checkout', estimatedMonthlyCostUsd: 0, slos: [{ name: 'availability' }], experiments: [] }],
    }), '{path} is not a reliability manifest of schema 1: services[0].slos[0].objective is missing or not a number'],
  ])('%s', async (_, makePath, message) => {
    const h = world();
    const target = makePath();
    expect(await h.run('report', target)).toBe(1);
    expect(h.stderr()).toContain(`error: ${message.replace('{path}', target)}`);
    expect(h.stdout()).toBe('');
  });
});

describe('report: command-line errors exit 64 with the usage', () => {
  const world = useHarness();

  test.each<[string, string[], string]>([
    ['an unknown flag', ['--servce', 'checkout'], "unknown flag --servce for 'report' (did you mean --service?); allowed: --output, --service and --help"],
    ['two paths', [SHOP_ASSEMBLY, SHOP_FILE], `unexpected argument '${SHOP_FILE}': 'report' takes at most 1 argument ([assembly]) and flags`],
    ['--output without a file', [SHOP_ASSEMBLY, '--output'], 'flag --output needs a value: --output <file>'],
    ['an empty path', [''], 'argument [assembly] needs a non-empty value'],
  ])('%s', async (_, argv, message) => {
    const h = world();
    expect(await h.run('report', ...argv)).toBe(64);
    expect(h.stderr()).toContain(`error: ${message}`);
    expect(h.stderr()).toContain(REPORT_USAGE);
    expect(h.stdout()).toBe('');
  });

  test('--help shows the argument with its default, the flags and the exit codes', async () => {
    const h = world();
    expect(await h.run('report', '--help')).toBe(0);
    const out = h.stdout();
    expect(out).toContain(REPORT_USAGE);
    expect(out).toMatch(/Arguments:\n {2}\[assembly\] +cloud assembly directory, a \.reliability\.json file, or a directory of them \(default: cdk\.out\)/);
    expect(out).toContain('Exit codes: 0 written, 1 nothing to read');
  });
});
