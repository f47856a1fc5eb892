/**
 * The budget of a time-slice SLO: bad and total slices from the condition metric's series, the
 * missing-slice rule, the slices still in flight, CloudWatch's retention at the slice's period, the
 * requests that read it, and the budget computed from one read.
 */
import type { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { Duration } from 'aws-cdk-lib';
import { SliceMissingData } from '../../../lib';
import type { BudgetTarget } from '../../../lib/cli/budget/model';
import { MAX_QUERIES_PER_REQUEST, planBudgetRequests } from '../../../lib/cli/budget/plan';
import { formatBudgets } from '../../../lib/cli/budget/format';
import { readBudgets } from '../../../lib/cli/budget/read';
import { resolveTarget } from '../../../lib/cli/budget/targets';
import { countSlices, SliceCondition, sliceSpan, timeSliceReading } from '../../../lib/cli/budget/time-slices';
import { meetsSliceCondition } from '../../../lib/slo/time-slices';
import { shop } from '../../review/support/manifests';
import { freshnessManifest, FreshnessOptions, runningTasksManifest } from '../../review/support/time-slice';

const MINUTE = 60_000;
const DAY = 86_400;
const END = Date.parse('2024-05-01T12:00:00Z');
const AGE: SliceCondition = { sliceSeconds: 60, comparison: '<', threshold: 300, missingSlice: 'bad' };

/** One datapoint per minute of [from, to) (ms), valued by `value(minute index)`; undefined: none. */
function series(from: number, to: number, value: (i: number) => number | undefined) {
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let t = from, i = 0; t < to; t += MINUTE, i++) {
    const v = value(i);
    if (v !== undefined) {
      timestamps.push(t);
      values.push(v);
    }
  }
  return { timestamps, values };
}

function freshnessTarget(options: FreshnessOptions = {}, name = 'freshness'): BudgetTarget {
  const slo = { ...freshnessManifest(options).services[0].slos[0], name };
  const metrics = slo.sli.metrics.map((m) => ({ ...m, dimensions: { QueueName: 'orders' } }));
  return { service: 'orders', slo, metrics };
}

describe('countSlices', () => {
  test('compares each slice\'s value with the threshold as the alarms\' IF does', () => {
    expect([299, 300, 301].map((v) => meetsSliceCondition(v, AGE))).toEqual([true, false, false]);
    expect(meetsSliceCondition(300, { comparison: '<=', threshold: 300 })).toBe(true);
    expect(meetsSliceCondition(100, { comparison: '>=', threshold: 100 })).toBe(true);
    expect(() => meetsSliceCondition(1, { comparison: '!=', threshold: 1 })).toThrow(/unknown slice comparison '!='/);
  });

  test('an hour with 20 old minutes holds 20 bad slices of 60', () => {
    const start = END - 60 * MINUTE;
    expect(countSlices(series(start, END, (i) => (i >= 10 && i < 30 ? 900 : 30)), AGE, start, END))
      .toEqual({ bad: 20, total: 60, missing: 0, inFlight: 0 });
  });

  test('a slice without a datapoint is bad under the bad rule and good under the good one', () => {
    const start = END - 60 * MINUTE;
    const gap = series(start, END, (i) => (i >= 10 && i < 15 ? undefined : 30));
    expect(countSlices(gap, AGE, start, END)).toEqual({ bad: 5, total: 60, missing: 5, inFlight: 0 });
    expect(countSlices(gap, { ...AGE, missingSlice: 'good' }, start, END)).toEqual({ bad: 0, total: 60, missing: 5, inFlight: 0 });
  });

  test('the newest minutes that have not arrived are not judged, up to 3; an older silence is', () => {
    const start = END - 60 * MINUTE;
    expect(countSlices(series(start, END, (i) => (i < 58 ? 30 : undefined)), AGE, start, END)).toEqual({ bad: 0, total: 58, missing: 0, inFlight: 2 });
    expect(countSlices(series(start, END, (i) => (i < 50 ? 30 : undefined)), AGE, start, END)).toEqual({ bad: 7, total: 57, missing: 7, inFlight: 3 });
  });
});

describe('timeSliceReading', () => {
  test('every window ends before the slices in flight, as the alarms judge the most recent datapoints', () => {
    const start = END - 2 * DAY * 1000;
    // the last 2 minutes have not arrived; the 5 before them were bad
    const s = series(start, END, (i, n = 2 * 1440) => (i >= n - 2 ? undefined : i >= n - 7 ? 900 : 30));
    const read = timeSliceReading(s, { windowSeconds: DAY }, AGE, END, [300, 3600]);
    expect(read.alertWindows.get(300)).toEqual({ bad: 5, total: 5, missing: 0, inFlight: 2 });
    expect(read.alertWindows.get(3600)).toMatchObject({ bad: 5, total: 60 });
    expect(read.window).toMatchObject({ bad: 5, total: 1440 });
    expect(read.hasData).toBe(true);
  });

  test('a metric that never published has no data', () => {
    expect(timeSliceReading(undefined, { windowSeconds: DAY }, AGE, END, [300]).hasData).toBe(false);
  });
});

describe('the span of the SLO window CloudWatch keeps at the slice', () => {
  test('1-minute slices: the last 15 days (less an hour of margin) of a 30-day window', () => {
    expect(sliceSpan({ windowSeconds: 30 * DAY }, { sliceSeconds: 60 })).toEqual({ countedSeconds: 15 * DAY - 3600, partial: true });
  });

  test('5-minute slices are kept 63 days and 1-hour ones 455: a 30-day window is counted whole', () => {
    expect(sliceSpan({ windowSeconds: 30 * DAY }, { sliceSeconds: 300 })).toEqual({ countedSeconds: 30 * DAY, partial: false });
    expect(sliceSpan({ windowSeconds: 90 * DAY }, { sliceSeconds: 3600 })).toEqual({ countedSeconds: 90 * DAY, partial: false });
  });
});

describe('the requests of a time-slice SLO', () => {
  const now = new Date('2024-05-01T12:00:30Z');

  test('its metric at Period = slice over the kept span, only the condition returned, no bad/total expressions', () => {
    const plan = planBudgetRequests([freshnessTarget()], now);
    expect(plan.requests).toHaveLength(1);
    const [request] = plan.requests;
    expect(request.kind).toBe('time-slices');
    expect(request.window).toEqual({
      start: new Date(END - (15 * DAY - 3600 + 180) * 1000), end: new Date(END), periodSeconds: 60,
    });
    expect(request.queries).toEqual([{
      Id: 's0_slice0',
      MetricStat: { Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: 'orders' }] }, Period: 60, Stat: 'Maximum' },
      Label: 'orders/freshness slice0',
      ReturnData: true,
    }]);
    expect(request.series.get(0)?.condition).toBe('s0_slice0');
    expect(plan.sliceWindows.get(0)).toEqual(request.window);
  });

  test('ratio SLOs beside it are planned exactly as without it', () => {
    const ratio = shop().services[0].slos.map((slo) => ({ service: 'checkout', slo, metrics: slo.sli.metrics }));
    const alone = planBudgetRequests(ratio, now);
    const mixed = planBudgetRequests([...ratio, freshnessTarget()], now);
    expect(mixed.requests.filter((r) => r.kind !== 'time-slices')).toEqual(alone.requests);
  });

  test('SLOs read over the same range share requests of at most 500 queries and 100,800 datapoints', () => {
    const targets = Array.from({ length: 9 }, (_, i) => freshnessTarget({}, `freshness${i}`));
    const plan = planBudgetRequests(targets, now);
    // 21,783 minutes per series: 4 series per request
    expect(plan.requests.map((r) => r.queries.length)).toEqual([4, 4, 1]);
    expect(plan.requests.every((r) => r.queries.length <= MAX_QUERIES_PER_REQUEST && r.plannedDatapoints <= 100_800)).toBe(true);
  });
});

describe('readBudgets on a time-slice SLO', () => {
  const now = new Date('2024-05-01T12:00:30Z');

  /** CloudWatch answering every query with `value(minute)` for each minute of the range. */
  function client(value: (t: number) => number | undefined): CloudWatchClient {
    return {
      send: async (command: GetMetricDataCommand) => {
        const input = command.input;
        return {
          MetricDataResults: input.MetricDataQueries!.filter((q) => q.ReturnData).map((q) => {
            const s = series(input.StartTime!.getTime(), input.EndTime!.getTime(), (i) => value(input.StartTime!.getTime() + i * MINUTE));
            return { Id: q.Id, StatusCode: 'Complete', Timestamps: s.timestamps.map((t) => new Date(t)), Values: s.values };
          }),
        };
      },
    } as unknown as CloudWatchClient;
  }

  const read = (value: (t: number) => number | undefined, options: FreshnessOptions = {}) => readBudgets(
    { client: client(value), region: 'eu-west-1', sleep: async () => undefined }, [freshnessTarget(options)], now, 0,
  ).then((r) => r.budgets[0]);

  test('an old backlog over the last 30 minutes spends the budget and fires the 1-hour page tier', async () => {
    const budget = await read((t) => (t >= END - 30 * MINUTE ? 900 : 30));
    const counted = 15 * 1440 - 60;
    expect(budget).toMatchObject({ status: 'ok', badEvents: 30, totalEvents: counted });
    expect(budget.slices).toEqual({ sliceSeconds: 60, countedSeconds: counted * 60, missing: 0, missingSlice: 'bad', inFlight: 0 });
    // 30 bad slices spend 30 of the 107.7 the budget allows over the 21,540 slices counted
    expect(budget.budgetRemainingPercent).toBeCloseTo(100 * (1 - 30 / counted / 0.005), 6);
    expect(budget.tiers.find((t) => t.id === 'page-1h-5m')).toMatchObject({ firing: true });
    expect(budget.tiers.find((t) => t.id === 'ticket-1d-2h')).toMatchObject({ firing: true });
  });

  test('4 bad minutes in the last hour stay under the page tier\'s 5 of 60', async () => {
    const budget = await read((t) => (t >= END - 10 * MINUTE && t < END - 6 * MINUTE ? 900 : 30));
    expect(budget.badEvents).toBe(4);
    expect(budget.tiers.find((t) => t.id === 'page-1h-5m')?.firing).toBe(false);
  });

  test('a queue whose metric stopped an hour ago: 57 silent slices bad under the default rule, good under SliceMissingData.GOOD', async () => {
    const silent = (t: number) => (t < END - 60 * MINUTE ? 30 : undefined);
    const bad = await read(silent);
    expect(bad).toMatchObject({ badEvents: 57, slices: { missing: 57, inFlight: 3 } });
    expect(bad.tiers.find((t) => t.id === 'page-1h-5m')?.firing).toBe(true);
    const good = await read(silent, { missingData: SliceMissingData.GOOD });
    expect(good).toMatchObject({ badEvents: 0, slices: { missing: 57, missingSlice: 'good' } });
  });

  test('a metric with no datapoint at all has no data, and says the alarms count such slices bad', async () => {
    const budget = await read(() => undefined);
    expect(budget.status).toBe('no-data');
    expect(budget.reason).toMatch(/no datapoint of AWS\/SQS ApproximateAgeOfOldestMessage QueueName=orders in eu-west-1 .*its alarms count every such slice as bad/);
  });

  test('the text report counts slices, says how much of the window CloudWatch still keeps, and names missing slices', async () => {
    const budget = await read((t) => (t >= END - 30 * MINUTE ? 900 : t >= END - 90 * MINUTE && t < END - 80 * MINUTE ? undefined : 30));
    const text = formatBudgets([budget], 'pass', {
      stack: { name: 'Orders', artifactId: 'Orders', path: 'Orders', account: '111111111111', region: 'eu-west-1' },
      region: 'eu-west-1', now, minRemainingPercent: 0, failOnMissingData: false, sloWindows: [], notes: [],
    }).join('\n');
    expect(text).toContain('freshness: 40 bad 1m slices of 21540 over the last 14 d 23 h of its 30d window '
      + '(CloudWatch keeps 1m datapoints no longer); 10 without data, counted bad');
    expect(text).toContain('freshness: tier page-1h-5m (page) is over its threshold: both its windows hold more bad slices than 7.2 %');
  });

  test('5-minute slices are read at a 5-minute period over the whole 30-day window', async () => {
    const plan = planBudgetRequests([freshnessTarget({ slice: Duration.minutes(5) })], now);
    expect(plan.requests[0].window.periodSeconds).toBe(300);
    expect((plan.requests[0].window.end.getTime() - plan.requests[0].window.start.getTime()) / 1000).toBe(30 * DAY + 300);
  });
});

describe('budget on a time-slice SLO whose condition is an expression over two metrics (Sli.ecsServiceRunningTasks)', () => {
  const now = new Date('2024-05-01T12:00:30Z');
  const tasks = { ClusterName: 'orders', ServiceName: 'storefront' };

  function tasksTarget(): BudgetTarget {
    const slo = runningTasksManifest().services[0].slos[0];
    const metrics = slo.sli.metrics.map((m) => (m.expression ? m : { ...m, dimensions: tasks }));
    return { service: 'storefront', slo, metrics };
  }

  test('the condition is queried as running - desired over both metrics at Period = slice, only the condition returned', () => {
    const [request] = planBudgetRequests([tasksTarget()], now).requests;
    const dimensions = [{ Name: 'ClusterName', Value: 'orders' }, { Name: 'ServiceName', Value: 'storefront' }];
    expect(request.queries).toEqual([
      { Id: 's0_slice0', Expression: 's0_running - s0_desired', Label: 'storefront/tasks slice0', ReturnData: true },
      {
        Id: 's0_running', MetricStat: { Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount', Dimensions: dimensions }, Period: 60, Stat: 'Minimum' },
        Label: 'storefront/tasks running', ReturnData: false,
      },
      {
        Id: 's0_desired', MetricStat: { Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'DesiredTaskCount', Dimensions: dimensions }, Period: 60, Stat: 'Maximum' },
        Label: 'storefront/tasks desired', ReturnData: false,
      },
    ]);
    expect(request.series.get(0)?.condition).toBe('s0_slice0');
  });

  test('a minute with fewer tasks running than desired is bad, and so is a minute without data', async () => {
    // 2 desired; 1 running for 4 minutes 40 minutes ago; Container Insights silent for 2 minutes 20 minutes ago
    const silent = (t: number) => t >= END - 20 * MINUTE && t < END - 18 * MINUTE;
    const running = (t: number) => (silent(t) ? undefined : t >= END - 40 * MINUTE && t < END - 36 * MINUTE ? 1 : 2);
    const desired = (t: number) => (silent(t) ? undefined : 2);
    const client = {
      send: async (command: GetMetricDataCommand) => {
        const input = command.input;
        const condition = input.MetricDataQueries!.filter((q) => q.ReturnData);
        expect(condition.map((q) => q.Expression)).toEqual(['s0_running - s0_desired']);
        const s = series(input.StartTime!.getTime(), input.EndTime!.getTime(), (i) => {
          const t = input.StartTime!.getTime() + i * MINUTE;
          const [r, d] = [running(t), desired(t)];
          return r === undefined || d === undefined ? undefined : r - d;
        });
        return { MetricDataResults: [{ Id: 's0_slice0', StatusCode: 'Complete', Timestamps: s.timestamps.map((t) => new Date(t)), Values: s.values }] };
      },
    } as unknown as CloudWatchClient;
    const { budgets: [budget] } = await readBudgets({ client, region: 'eu-west-1', sleep: async () => undefined }, [tasksTarget()], now, 0);
    expect(budget).toMatchObject({ status: 'ok', badEvents: 6, totalEvents: 15 * 1440 - 60 });
    expect(budget.slices).toMatchObject({ sliceSeconds: 60, missing: 2, missingSlice: 'bad', inFlight: 0 });
  });

  test('a manifest written before the condition\'s metrics were recorded is not queried: it says to synthesize again', async () => {
    const slo = runningTasksManifest().services[0].slos[0];
    const older = { ...slo, sli: { ...slo.sli, metrics: slo.sli.metrics.filter((m) => m.id === 'slice0') } };
    const target = resolveTarget('storefront', older, { alarms: new Map() }, 'eu-west-1');
    expect(target.unreadable).toBe('its slice condition running - desired uses running and desired, which this manifest (written by an older '
      + 'cdk-reliability) does not record: run `cdk synth` again with this version');
    expect(planBudgetRequests([target], now).requests).toEqual([]);
    // the manifest synthesized now records them: only its deploy-time dimensions wait for the alarms
    expect(resolveTarget('storefront', slo, { alarms: new Map() }, 'eu-west-1').unreadable).toMatch(/^its metrics name values known only once deployed/);
  });
});
