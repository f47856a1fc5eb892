import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReliabilityManifest } from '../../../lib/manifest/schema';
import { escalation, PROD_FILE, service, SHOP_ASSEMBLY, SHOP_FILE, shop, slo } from '../../review/support/manifests';
import { useHarness } from '../support/harness';

const DIFF_USAGE = 'Usage: cdk-reliability diff <before> <after> [--fail-on-weaken] [--output <file>] [--json]';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-diff-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let count = 0;
/** Writes a manifest to its own file and returns the path. */
function manifestFile(manifest: ReliabilityManifest): string {
  const file = path.join(tmp, `${++count}`, `${manifest.stack.artifactId}.reliability.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
  return file;
}

/** Shop with a lower objective on checkout's availability (weakens) and a third escalation pass (strengthens). */
const weakened = () => shop((m) => {
  const s = slo(m, 'checkout', 'availability');
  s.objective = 99.5;
  s.errorBudget = 0.005;
  escalation(m, 'search').repeat = 2;
});

/** Shop with a shorter first escalation delay (strengthens) and a new owner (neutral). */
const strengthened = () => shop((m) => {
  escalation(m, 'checkout').levels[1].afterSeconds = 600;
  service(m, 'search').owner = 'search-team';
});

describe('diff', () => {
  const world = useHarness();

  test('prints the changes as Markdown with the summary line, weakening first', async () => {
    const h = world();
    const before = manifestFile(shop());
    const after = manifestFile(weakened());
    expect(await h.run('diff', before, after)).toBe(0);
    const out = h.stdout();
    expect(out).toContain('**2 changes: 1 weaken, 1 strengthen, 0 neutral**');
    expect(out).toContain('| **weakens** | SLO availability | objective: 99.9 % → 99.5 % | '
      + 'budget 5x larger: 43 min → 3 h 36 min of full outage per 30 d; every tier fires 5x later |');
    expect(out.indexOf('### `Shop` / `checkout`')).toBeLessThan(out.indexOf('### `Shop` / `search`'));
    expect(h.stderr()).toBe('');
    expect(h.clientOptions).toEqual([]); // offline
  });

  test('--fail-on-weaken exits 2 when a change weakens the policy, and still prints the diff', async () => {
    const h = world();
    expect(await h.run('diff', manifestFile(shop()), manifestFile(weakened()), '--fail-on-weaken')).toBe(2);
    expect(h.stdout()).toContain('**2 changes: 1 weaken, 1 strengthen, 0 neutral**');
    expect(h.stderr()).toBe('the reliability policy is weakened: 1 of 2 changes weaken it (--fail-on-weaken)\n');
  });

  test('--fail-on-weaken exits 0 when changes only strengthen or are neutral', async () => {
    const h = world();
    expect(await h.run('diff', manifestFile(shop()), manifestFile(strengthened()), '--fail-on-weaken')).toBe(0);
    expect(h.stdout()).toContain('**2 changes: 0 weaken, 1 strengthen, 1 neutral**');
    expect(h.stderr()).toBe('');
  });

  test('without --fail-on-weaken a weakened policy exits 0', async () => {
    const h = world();
    expect(await h.run('diff', manifestFile(shop()), manifestFile(weakened()))).toBe(0);
  });

  test('the same policy: no changes, exit 0 even with --fail-on-weaken', async () => {
    const h = world();
    expect(await h.run('diff', SHOP_ASSEMBLY, SHOP_ASSEMBLY, '--fail-on-weaken')).toBe(0);
    expect(h.stdout()).toContain('**0 changes: 0 weaken, 0 strengthen, 0 neutral**\n\nThe reliability policy is unchanged.\n');
  });

  test('--json prints the summary and the changes', async () => {
    const h = world();
    expect(await h.run('diff', manifestFile(shop()), manifestFile(weakened()), '--json')).toBe(0);
    const json = JSON.parse(h.stdout());
    expect(json.summary).toEqual({ total: 2, weakening: 1, strengthening: 1, neutral: 0 });
    expect(json.changes.map((c: { service: string; aspect: string; effect: string }) => [c.service, c.aspect, c.effect]))
      .toEqual([['checkout', 'objective', 'weakening'], ['search', 'repeat', 'strengthening']]);
  });

  test('--output writes the diff to a file and prints the summary line', async () => {
    const h = world();
    const file = path.join(tmp, 'out', 'reliability-diff.md');
    expect(await h.run('diff', manifestFile(shop()), manifestFile(weakened()), '--output', file, '--fail-on-weaken')).toBe(2);
    expect(fs.readFileSync(file, 'utf8')).toContain('## Reliability policy changes');
    expect(h.stdout()).toBe(`2 changes: 1 weaken, 1 strengthen, 0 neutral; written to ${file}\n`);
  });

  test('compares a cloud assembly with a manifest file: stacks by name, the missing one removed', async () => {
    const h = world();
    expect(await h.run('diff', SHOP_ASSEMBLY, SHOP_FILE, '--json')).toBe(0);
    const json = JSON.parse(h.stdout());
    expect(json.changes).toEqual([expect.objectContaining({ stack: 'Prod-Shop', service: 'checkout', aspect: 'removed', effect: 'weakening' })]);
  });

  test('two single manifests are compared whatever their stack names', async () => {
    const h = world();
    expect(await h.run('diff', SHOP_FILE, PROD_FILE, '--json')).toBe(0);
    const json = JSON.parse(h.stdout());
    expect(json.changes[0].stack).toBe('Shop → Prod-Shop');
  });
});

describe('diff: errors', () => {
  const world = useHarness();

  test('a side that does not exist exits 1 naming it', async () => {
    const h = world();
    const missing = path.join(tmp, 'main', 'cdk.out');
    expect(await h.run('diff', missing, SHOP_ASSEMBLY)).toBe(1);
    expect(h.stderr()).toBe(`error: no cloud assembly at ${missing}: run \`cdk synth\` first, or pass the directory it wrote (cdk.out) or a .reliability.json file\n`);
    expect(h.stdout()).toBe('');
  });

  test('a manifest of a newer schema exits 1', async () => {
    const h = world();
    const newer = manifestFile({ ...shop(), schemaVersion: 3 });
    expect(await h.run('diff', SHOP_FILE, newer)).toBe(1);
    expect(h.stderr()).toContain(`error: ${newer} was written by a newer cdk-reliability (schema 3); this one reads 1`);
  });

  test.each<[string, string[], string]>([
    ['no argument', [], 'missing arguments <before> and <after>'],
    ['one argument', [SHOP_FILE], 'missing argument <after>'],
    ['three arguments', [SHOP_FILE, SHOP_FILE, SHOP_FILE], `unexpected argument '${SHOP_FILE}': 'diff' takes at most 2 arguments (<before> <after>) and flags`],
    ['an unknown flag', [SHOP_FILE, SHOP_FILE, '--fail-on-weakening'],
      "unknown flag --fail-on-weakening for 'diff' (did you mean --fail-on-weaken?); allowed: --fail-on-weaken, --output, --json, --replay, --stack, --delay, --allow-5-minute-data, --region, --profile and --help"],
    ['a value for a boolean flag', [SHOP_FILE, SHOP_FILE, '--json=yes'], 'flag --json takes no value (it is on when given)'],
  ])('%s exits 64 with the usage', async (_, argv, message) => {
    const h = world();
    expect(await h.run('diff', ...argv)).toBe(64);
    expect(h.stderr()).toContain(`error: ${message}`);
    expect(h.stderr()).toContain(DIFF_USAGE);
    expect(h.stdout()).toBe('');
  });

  test('--help wins over missing arguments and shows them', async () => {
    const h = world();
    expect(await h.run('diff', '--help')).toBe(0);
    expect(h.stdout()).toContain(DIFF_USAGE);
    expect(h.stdout()).toMatch(/ {2}<before> +the policy before: .* \(required\)/);
    expect(h.stdout()).toContain('2 with --fail-on-weaken:');
  });
});
