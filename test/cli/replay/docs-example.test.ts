/**
 * docs/reviewing.md shows real `replay` and `diff --replay` output: a week of fixture history
 * (checkout: a 2 % incident of 2 hours, a 0.8 % one of 10 hours, a 10 % one of 90 minutes) served
 * by the fake CloudWatch, on the assemblies synthesized here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { T0, useHarness } from '../support/harness';
import { checkoutTraffic, DAY, givenDeployedShop, HOUR, incidents, synthShop } from './support';

const WEEK = incidents([
  { from: T0 - 6 * DAY - 5 * HOUR, minutes: 120, ratio: 0.02 },
  { from: T0 - 4 * DAY + 2 * HOUR, minutes: 600, ratio: 0.008 },
  { from: T0 - 2 * DAY, minutes: 90, ratio: 0.1 },
]);

function shown(name: string): string | undefined {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'reviewing.md'), 'utf8');
  return new RegExp(`<!-- ${name}:start -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\`\\n<!-- ${name}:end -->`).exec(doc)?.[1];
}

describe('docs/reviewing.md', () => {
  const world = useHarness();
  let strict: string;
  let looser: string;

  beforeAll(() => {
    strict = synthShop();
    looser = synthShop({ objective: 99.5 });
  });

  test('shows the real output of replay on a week of history', async () => {
    const h = world();
    checkoutTraffic(givenDeployedShop(h, strict), () => 1000, WEEK);
    expect(await h.run('replay', strict, '--stack', 'Shop', '--since', '7d')).toBe(0);
    if (process.env.PRINT_DOCS) console.log(h.stdout());
    expect(h.stdout().trimEnd()).toEqual(shown('replay-example'));
  });

  test('shows the real replay section of diff --replay on the same week', async () => {
    const h = world();
    checkoutTraffic(givenDeployedShop(h, strict), () => 1000, WEEK);
    expect(await h.run('diff', strict, looser, '--replay', '7d', '--stack', 'Shop')).toBe(0);
    const section = h.stdout().slice(h.stdout().indexOf('## Replay on')).trimEnd();
    if (process.env.PRINT_DOCS) console.log(section);
    expect(section).toEqual(shown('diff-replay-example'));
  });
});
