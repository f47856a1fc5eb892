/**
 * `cdk-reliability simulate` on a time-slice SLO, through `run(argv, io)`: the queue orders whose
 * oldest message must be younger than 300 s in 99.5 % of the minutes (1-minute slices), and the
 * same with 5-minute slices, synthesized here once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ReliableService, Sli, SliceComparison } from '../../../lib';
import { useHarness } from '../support/harness';

let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-slices-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Orders');
  const metric = new sqs.Queue(stack, 'Queue').metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM });
  new ReliableService(stack, 'Orders', {
    serviceName: 'orders',
    slos: [
      { name: 'freshness', objective: 99.5, sli: Sli.timeSlice({ metric, comparison: SliceComparison.LESS_THAN, threshold: 300 }) },
      { name: 'coarse', objective: 99.5, sli: Sli.timeSlice({ metric, comparison: SliceComparison.LESS_THAN, threshold: 300, slice: Duration.minutes(5) }) },
      {
        name: 'tasks',
        objective: 99.5,
        sli: Sli.timeSlice({
          metric: new MathExpression({
            expression: 'running - desired',
            usingMetrics: { running: new Metric({ namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount' }), desired: new Metric({ namespace: 'ECS/ContainerInsights', metricName: 'DesiredTaskCount' }) },
          }),
          comparison: SliceComparison.GREATER_THAN_OR_EQUAL,
          threshold: 0,
        }),
      },
    ],
  });
  app.synth();
});

afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

const FRESHNESS = ['--service', 'orders', '--slo', 'freshness'];

describe('simulate: a time-slice SLO', () => {
  const world = useHarness();

  test('a queue 20 minutes too old pages at 7 (5 bad minutes, 2 late) and clears at 52, beside the slice formulas', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, ...FRESHNESS, '--error-rate', '100%', '--for', '20m', '--value', '900')).toBe(0);
    expect(h.stderr()).toBe('');
    const out = h.stdout();
    expect(out).toContain('Incident: the condition < 300 fails in 100 % of the minutes (value 900, otherwise value 150) for 20m from minute 0, healthy before and after.');
    expect(out).toMatch(/^ {2}tier +bad slices to fire \(long \/ short\) +fires at +formula +clears at +formula$/m);
    expect(out).toMatch(/^ {2}page 1h\/5m +>= 5 of 60 \/ >= 1 of 5 +7 min +5 min +27 min +25 min$/m);
    expect(out).toMatch(/^ {2}page 6h\/30m +>= 11 of 360 \/ >= 1 of 30 +13 min +11 min +52 min +50 min$/m);
    expect(out).toMatch(/^ {2}ticket 1d\/2h +>= 22 of 1440 \/ >= 2 of 120 +never +22 min \* +- +-$/m);
    expect(out.trimEnd().split('\n').pop()).toBe('Result: page at 7 min (OK at 52 min), ticket never.');
  });

  test('one bad minute never pages', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, ...FRESHNESS, '--error-rate', '100%', '--for', '1m')).toBe(0);
    expect(h.stdout().trimEnd().split('\n').pop()).toBe('Result: never alerts.');
  });

  test('the metric going silent (--value missing) pages: a missing slice is bad', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, ...FRESHNESS, '--error-rate', '100%', '--for', '30m', '--value', 'missing')).toBe(0);
    expect(h.stdout()).toContain('(no datapoint, otherwise value 150)');
    expect(h.stdout()).toMatch(/Result: page at 7 min/);
  });

  test('5-minute slices: one bad minute spoils its slice, and one bad slice of the hour\'s 12 pages', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, '--service', 'orders', '--slo', 'coarse', '--error-rate', '100%', '--for', '1m', '--json')).toBe(0);
    const json = JSON.parse(h.stdout());
    expect(json.tiers[0]).toMatchObject({ id: 'page-1h-5m', slices: { sliceSeconds: 300, long: { slices: 12, slicesToAlarm: 1 } }, firesAt: 3 });
    expect(json.scenario).toMatchObject({ condition: { comparison: '<', threshold: 300 }, badValue: 300, goodValue: 150, errorRate: 1 });
  });

  test('refuses a condition on several metrics: one value a minute cannot say what each publishes', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, '--service', 'orders', '--slo', 'tasks', '--error-rate', '100%', '--for', '20m')).toBe(1);
    expect(h.stderr()).toContain('cannot simulate orders/tasks: its condition reads 2 metrics (ECS/ContainerInsights RunningTaskCount, '
      + 'ECS/ContainerInsights DesiredTaskCount); simulate gives a time-slice condition one value a minute, so it simulates conditions on one metric only');
  });

  test.each([
    ['a value that meets the condition', ['--value', '200'], '--value 200 meets the condition slice0 < 300: give a value that breaks it, or `missing`'],
    ['a good value that does not', ['--good-value', '400'], '--good-value 400 does not meet the condition slice0 < 300: give a value that does'],
    ['traffic, which slices do not count', ['--traffic', '10/min'], 'orders/freshness is a time-slice SLO, which counts minutes, not events: leave --traffic out'],
    ['a value that is not a number', ['--value', 'old'], "--value must be a number of 0 or more or `missing` (the metric publishes nothing); got 'old'"],
  ])('refuses %s', async (_, extra, message) => {
    const h = world();
    expect(await h.run('simulate', outdir, ...FRESHNESS, '--error-rate', '100%', '--for', '20m', ...extra)).toBe(64);
    expect(h.stderr()).toContain(message);
  });
});
