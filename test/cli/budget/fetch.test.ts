/**
 * The CloudWatch calls of `budget`, on the SDK client stub: DescribeAlarms in chunks of 100 names
 * and pages, GetMetricData pages merged, and a NextToken that never ends.
 */
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { describeAlarms, getMetricData, sumSince } from '../../../lib/cli/budget/fetch';
import type { PlannedRequest } from '../../../lib/cli/budget/plan';
import { useHarness } from '../support/harness';

const REQUEST: PlannedRequest = {
  kind: 'slo-window',
  window: { start: new Date('2024-04-01T12:00:00Z'), end: new Date('2024-05-01T12:00:00Z'), periodSeconds: 3600 },
  queries: [{ Id: 's0_total_events', Expression: 's0_total0', ReturnData: true }],
  plannedDatapoints: 720,
  series: new Map([[0, { bad: 's0_bad_events', total: 's0_total_events', metrics: [] }]]),
};

describe('budget: CloudWatch calls', () => {
  const world = useHarness();
  const context = () => ({ client: world().io.clients.cloudWatch({}) as CloudWatchClient, region: 'eu-west-1', sleep: async () => undefined });

  test('DescribeAlarms: 100 names per call, every page', async () => {
    const h = world();
    const names = Array.from({ length: 250 }, (_, i) => `alarm-${i}`);
    h.cloudWatch.on(DescribeAlarmsCommand).callsFake(async (input) => {
      const found = (input.AlarmNames as string[]).filter((n) => Number(n.slice(6)) % 2 === 0);
      // two pages per call: the first half, then the rest
      const half = Math.ceil(found.length / 2);
      return input.NextToken
        ? { MetricAlarms: found.slice(half).map((AlarmName) => ({ AlarmName })) }
        : { MetricAlarms: found.slice(0, half).map((AlarmName) => ({ AlarmName })), NextToken: 'page-2' };
    });

    const deployed = await describeAlarms(context(), names);

    const calls = h.cloudWatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.AlarmNames!.length, c.NextToken])).toEqual([
      [100, undefined], [100, 'page-2'], [100, undefined], [100, 'page-2'], [50, undefined], [50, 'page-2'],
    ]);
    expect(deployed.alarms.size).toBe(125);
    expect(deployed.denied).toBeUndefined();
  });

  test('GetMetricData: the datapoints of every page, under the same ids', async () => {
    const h = world();
    h.cloudWatch.on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [{ Id: 's0_total_events', Timestamps: [new Date(1000), new Date(2000)], Values: [1, 2], StatusCode: 'PartialData' }],
        NextToken: 'a',
      })
      .resolvesOnce({
        MetricDataResults: [{ Id: 's0_total_events', Timestamps: [new Date(3000)], Values: [4], StatusCode: 'Complete' }],
      });

    const series = await getMetricData(context(), REQUEST);

    expect(series.get('s0_total_events')).toEqual({ timestamps: [1000, 2000, 3000], values: [1, 2, 4] });
    expect(h.cloudWatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'a']);
    expect(sumSince(series.get('s0_total_events'))).toBe(7);
    expect(sumSince(series.get('s0_total_events'), 2000)).toBe(6);
  });

  test('GetMetricData: the same NextToken twice is an error, not a loop', async () => {
    const h = world();
    h.cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [], NextToken: 'again' });

    await expect(getMetricData(context(), REQUEST)).rejects.toThrow('CloudWatch GetMetricData in eu-west-1 kept returning more pages (2); giving up');
  });
});
