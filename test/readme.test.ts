/**
 * The documentation stays true: its policy tables are derived from the alert math, its fault
 * catalog from the FIS action catalog, every TypeScript example in README.md and docs/ compiles
 * against the package's entry point, and every relative link leads somewhere.
 */
import { FIS_ACTIONS } from '../lib/chaos/catalog';
import { burnRateThreshold, detectionTimeSeconds, errorRatioThreshold } from '../lib/slo/burn-rate';
import { formatWindow } from '../lib/slo/windows';
import { brokenLinks, compileExamples, docBlock, documentationFiles, readDoc, typescriptExamples } from './support/docs';

const block = (name: string): string => docBlock(name === 'fault-catalog' ? 'docs/chaos.md' : 'docs/alerting.md', name);
const TIERS: [string, number, number, number][] = [
  ['page', 2, 3_600, 300], ['page', 5, 21_600, 1_800], ['ticket', 10, 86_400, 7_200], ['ticket', 10, 259_200, 21_600],
];

function duration(seconds: number | undefined): string {
  if (seconds === undefined) {
    return 'never';
  }
  return seconds < 3_600 ? `${Number((seconds / 60).toFixed(1))} min` : `${Number((seconds / 3_600).toFixed(1))} h`;
}

test('the policy table matches the burn-rate formula', () => {
  const rows = TIERS.map(([severity, budget, long, short]) => {
    const rate = (days: number) => Number(burnRateThreshold(budget / 100, days * 86_400, long).toFixed(3));
    const threshold = Number((errorRatioThreshold(rate(30), 99.9) * 100).toPrecision(6));
    return `| ${severity} | ${budget} % | ${formatWindow(long)} | ${formatWindow(short)} | ${rate(30)} | ${rate(28)} | ${rate(7)} | ${threshold} % |`;
  });
  expect(block('policy-table').split('\n').slice(2)).toEqual(rows);
});

test('the detection table matches the detection-time formula', () => {
  const rows = [1, 0.1, 0.02, 0.01, 0.007, 0.005, 0.002, 0.0008].map((e) => {
    const times = TIERS.map(([, budget, long, short]) => detectionTimeSeconds(
      { burnRate: burnRateThreshold(budget / 100, 30 * 86_400, long), longWindowSeconds: long, shortWindowSeconds: short }, 99.9, e));
    const first = (list: (number | undefined)[]) => {
      const defined = list.filter((t): t is number => t !== undefined);
      return defined.length > 0 ? Math.min(...defined) : undefined;
    };
    return `| ${Number((e * 100).toPrecision(3))} % | ${times.map(duration).join(' | ')} | ${duration(first(times.slice(0, 2)))} | ${duration(first(times.slice(2)))} |`;
  });
  expect(block('detection-table').split('\n').slice(2)).toEqual(rows);
});

test('the fault catalog lists every FIS action the library synthesizes, with its target key and resource type', () => {
  const rows = block('fault-catalog').split('\n').slice(2).map((row) => row.split('|').map((cell) => cell.trim()));
  const documented = rows.map((cells) => `${cells[2]} ${cells[3]}`);
  const expected = Object.values(FIS_ACTIONS)
    .filter((a) => a.actionId !== 'aws:cloudwatch:assert-alarm-state') // the checks, documented under the safety model
    .map((a) => `\`${a.actionId}\` ${'targetKey' in a ? `\`${a.targetKey}\`: \`${a.resourceType}\`` : 'none'}`);
  expect(documented.sort()).toEqual(expected.sort());
});

test('every TypeScript example of README.md and docs/ compiles against the entry point', () => {
  const examples = typescriptExamples(documentationFiles());
  expect(examples.length).toBeGreaterThan(10);
  expect(compileExamples(examples)).toEqual([]);
}, 120_000);

test('every relative link of README.md, CONTRIBUTING.md and docs/ points to an existing file and heading', () => {
  const files = [...documentationFiles(), 'CONTRIBUTING.md', 'CHANGELOG.md'];
  expect(files.flatMap((file) => brokenLinks(file).map((link) => `${file}: ${link}`))).toEqual([]);
});

test('the README stays a ten-minute read: at most 2,000 words', () => {
  expect(readDoc('README.md').split(/\s+/).filter((w) => w !== '').length).toBeLessThanOrEqual(2_000);
});
