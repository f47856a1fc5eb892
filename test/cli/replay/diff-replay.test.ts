/**
 * `cdk-reliability diff <before> <after> --replay 14d --stack S`: both policies' alarms evaluated on
 * the same history, read once, beside the structural diff; offline `diff` untouched without it.
 */
import { T0, useHarness } from '../support/harness';
import { checkoutTraffic, DAY, givenDeployedShop, HOUR, incidents, MINUTE, synthShop } from './support';

let strict: string;
let looser: string;
let withSearch: string;

beforeAll(() => {
  strict = synthShop({ objective: 99.9 });
  looser = synthShop({ objective: 99.5 });
  withSearch = synthShop({ lambda: true });
});

/** A week with four 2 % incidents of 2 hours and one 10 % incident of 90 minutes, at 1000 requests a minute. */
const WEEK = incidents([
  ...[6, 5, 4, 3].map((d) => ({ from: T0 - d * DAY - 5 * HOUR, minutes: 120, ratio: 0.02 })),
  { from: T0 - 2 * DAY, minutes: 90, ratio: 0.1 },
]);

describe('diff --replay', () => {
  const world = useHarness();

  test('a looser policy pages fewer times on the same history: "would have paged 1 time instead of 5"', async () => {
    const h = world();
    const fake = checkoutTraffic(givenDeployedShop(h, strict), () => 1000, WEEK);

    expect(await h.run('diff', strict, looser, '--replay', '7d', '--stack', 'Shop')).toBe(0);

    const out = h.stdout();
    // the structural diff first, unchanged
    expect(out).toContain('| **weakens** | SLO availability | objective: 99.9 % → 99.5 %');
    expect(out.indexOf('## Reliability policy changes')).toBeLessThan(out.indexOf('## Replay on the last 7d'));
    expect(out).toContain('## Replay on the last 7d (2024-04-24 12:00 UTC → 2024-05-01 12:00 UTC)');
    expect(out).toContain('- `checkout/availability`: this change would have paged 1 time instead of 5 over the last 7d (tickets 4 → 0)\n'
      + '  - pages before: 04-25 07:44, 04-26 07:44, 04-27 07:44, 04-28 07:44, 04-29 12:11; after: 04-29 12:44\n'
      + '  - tickets before: 04-26 09:23, 04-27 07:21, 04-28 07:21, 04-29 12:07; after: none\n');
    // one history for both sides: the same two metrics, read once
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].MetricDataQueries).toHaveLength(2);
    expect(h.stderr()).toBe('');
  });

  test('--json adds the replay beside the summary and the changes', async () => {
    const h = world();
    checkoutTraffic(givenDeployedShop(h, strict), () => 1000, WEEK);

    expect(await h.run('diff', strict, looser, '--replay', '7d', '--stack', 'Shop', '--json')).toBe(0);

    const out = JSON.parse(h.stdout());
    expect(out.summary).toMatchObject({ weakening: 1 });
    expect(out.replay).toMatchObject({ stack: 'Shop', region: 'eu-west-1', minutes: 7 * 1440, metrics: 2, requests: 1 });
    const [checkout] = out.replay.slos;
    expect(checkout).toMatchObject({ service: 'checkout', slo: 'availability', before: { pages: 5 }, after: { pages: 1 } });
    expect(checkout.summary).toMatch(/^this change would have paged 1 time instead of 5 over the last 7d/);
    expect(checkout.after.alerts[0].firedAt).toBe(new Date(T0 - 2 * DAY + 44 * MINUTE).toISOString());
  });

  test('the same policy on both sides pages as often', async () => {
    const h = world();
    checkoutTraffic(givenDeployedShop(h, strict), () => 1000, WEEK);
    expect(await h.run('diff', strict, strict, '--replay', '7d', '--stack', 'Shop')).toBe(0);
    expect(h.stdout()).toMatch(/this change would have paged 5 times, as before, over the last 7d \(tickets (\d+) → \1\)/);
  });

  test('an SLO on one side only is named, not compared', async () => {
    const h = world();
    checkoutTraffic(givenDeployedShop(h, strict), () => 1000, WEEK);

    expect(await h.run('diff', strict, withSearch, '--replay', '7d', '--stack', 'Shop', '--json')).toBe(0);

    const { replay } = JSON.parse(h.stdout());
    expect(replay.slos.map((s: any) => s.service)).toEqual(['checkout']);
    expect(replay.unpaired).toEqual(['search/availability (after only)']);
  });

  test('without --replay diff stays offline, and the replay flags are refused (exit 64)', async () => {
    const h = world();
    expect(await h.run('diff', strict, looser)).toBe(0);
    expect(h.stdout()).not.toContain('Replay');
    expect(h.clientOptions).toEqual([]);

    const h2 = world();
    expect(await h2.run('diff', strict, looser, '--stack', 'Shop')).toBe(64);
    expect(h2.stderr()).toContain('error: --stack is only read with --replay <duration>: diff is offline without it');
  });

  test('--replay needs --stack and two cloud assemblies (exit 64)', async () => {
    const h = world();
    expect(await h.run('diff', strict, looser, '--replay', '7d')).toBe(64);
    expect(h.stderr()).toContain('--replay needs --stack <name>');

    const h2 = world();
    const file = `${strict}/Shop.reliability.json`;
    expect(await h2.run('diff', file, looser, '--replay', '7d', '--stack', 'Shop')).toBe(64);
    expect(h2.stderr()).toContain('is not a cloud assembly directory (no manifest.json)');
  });

  test('--replay beyond 15 days is refused as replay refuses it', async () => {
    const h = world();
    givenDeployedShop(h, strict);
    expect(await h.run('diff', strict, looser, '--replay', '20d', '--stack', 'Shop')).toBe(64);
    expect(h.stderr()).toContain('error: --replay 20d reaches back beyond the 15 days CloudWatch keeps 1-minute data');
  });
});
