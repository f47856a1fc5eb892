/**
 * The pure parts of a replay: the range and its resolution segments, the GetMetricData batches,
 * the per-minute history (5-minute counts spread evenly, gaps kept), deploy-time values.
 */
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { learnDeployedValues, resolveModel } from '../../../lib/cli/replay/deployed';
import { historyMetric, MetricHistory, oneMinuteBoundary, planHistoryRequests, replayRange } from '../../../lib/cli/replay/history';
import { metricIdentityKey } from '../../../lib/simulation/evaluator';
import type { SloAlarmModel, WindowAlarmModel } from '../../../lib/simulation/template-alarms';
import { parseMetricMath } from '../../../lib/simulation/metric-math';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 30);
const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;
const sum = (metricName: string, dimensions: Record<string, string> = {}) => historyMetric({ namespace: 'Shop', metricName, dimensions, statistic: 'Sum' });

describe('replayRange', () => {
  test('a range and look-back within 15 days is one 1-minute segment ending at the last whole minute', () => {
    const range = replayRange(new Date(T0), 1_440, 60);
    expect(range.end.getTime()).toBe(T0 - 30_000);
    expect(range.start.getTime()).toBe(T0 - 30_000 - DAY);
    expect(range.segments).toEqual([{ start: new Date(T0 - 30_000 - DAY - 60 * MINUTE), end: range.end, periodSeconds: 60 }]);
  });

  test('history older than 15 days (less 30 minutes) is a 5-minute segment on 5-minute boundaries', () => {
    const range = replayRange(new Date(T0), 14 * 1_440, 3 * 1_440 + 2);
    const boundary = oneMinuteBoundary(new Date(T0));
    expect(boundary.getTime() % (5 * MINUTE)).toBe(0);
    expect(T0 - boundary.getTime()).toBeLessThanOrEqual(15 * DAY - 30 * MINUTE);
    expect(range.segments.map((s) => s.periodSeconds)).toEqual([300, 60]);
    expect(range.segments[0].start.getTime() % (5 * MINUTE)).toBe(0);
    expect(range.segments[0].start.getTime()).toBeLessThanOrEqual(range.historyStart.getTime());
    expect(range.segments[0].end).toEqual(boundary);
    expect(range.segments[1].start).toEqual(boundary);
  });
});

describe('planHistoryRequests', () => {
  test('at most 500 metrics a request, one MetricStat each, per segment; ids index the metrics', () => {
    const metrics = Array.from({ length: 1_200 }, (_, i) => sum(`M${i}`));
    const range = replayRange(new Date(T0), 14 * 1_440, 3 * 1_440);
    const requests = planHistoryRequests(metrics, range);
    expect(requests.map((r) => [r.window.periodSeconds, r.queries.length])).toEqual([[300, 500], [300, 500], [300, 200], [60, 500], [60, 500], [60, 200]]);
    expect(requests[1].queries[0]).toEqual({
      Id: 'm500',
      MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'M500', Dimensions: [] }, Period: 300, Stat: 'Sum' },
      Label: 'Shop M500 Sum',
      ReturnData: true,
    });
  });

  test('a unit filter is asked for', () => {
    const metric = historyMetric({ namespace: 'Shop', metricName: 'Latency', dimensions: { Api: 'a' }, statistic: 'SampleCount', unit: 'Milliseconds' });
    const [request] = planHistoryRequests([metric], replayRange(new Date(T0), 60, 5));
    expect(request.queries[0].MetricStat).toMatchObject({ Unit: 'Milliseconds', Metric: { Dimensions: [{ Name: 'Api', Value: 'a' }] } });
  });
});

describe('MetricHistory', () => {
  const range = replayRange(new Date(T0), 16 * 1_440, 60);
  const first = range.historyStart.getTime();
  const minuteOf = (t: number) => Math.round((t - range.start.getTime()) / MINUTE);
  const identity = (m: ReturnType<typeof sum>) => ({ ...m, key: metricIdentityKey(m) });

  test('a 5-minute count is spread evenly over its minutes; minutes without a datapoint stay missing, not 0', () => {
    const history = new MetricHistory(range);
    const requests = sum('Requests');
    const block = Math.ceil(first / (5 * MINUTE)) * 5 * MINUTE;
    history.add(requests, block, 300, 50);
    const scenario = history.scenario();
    expect([0, 1, 2, 3, 4].map((j) => scenario(identity(requests), minuteOf(block) + j))).toEqual([10, 10, 10, 10, 10]);
    expect(scenario(identity(requests), minuteOf(block) + 5)).toBeUndefined();
    expect(scenario(identity(sum('Errors')), minuteOf(block))).toBeUndefined();
    expect(history.datapoints(requests)).toBe(1);
  });

  test('a 5-minute average is not spread (it says nothing of each minute): those minutes stay missing', () => {
    const history = new MetricHistory(range);
    const age = historyMetric({ namespace: 'AWS/SQS', metricName: 'Age', dimensions: {}, statistic: 'Maximum' });
    const block = Math.ceil(first / (5 * MINUTE)) * 5 * MINUTE;
    history.add(age, block, 300, 50);
    expect(history.scenario()({ ...age }, minuteOf(block))).toBeUndefined();
  });

  test('a 5-minute Average of a metric read only on 5-minute periods is stored once, in its first minute, as a live 5-minute datapoint (a canary\'s 5-minute slices)', () => {
    const history = new MetricHistory(range);
    const success = historyMetric({ namespace: 'CloudWatchSynthetics', metricName: 'SuccessPercent', dimensions: {}, statistic: 'Average' }, true);
    const block = Math.ceil(first / (5 * MINUTE)) * 5 * MINUTE;
    history.add(success, block, 300, 80);
    const scenario = history.scenario();
    expect([0, 1, 2, 3, 4, 5].map((j) => scenario(success, minuteOf(block) + j))).toEqual([80, undefined, undefined, undefined, undefined, undefined]);
    expect(history.coarseRead(success)).toEqual({ used: 1, unusable: 0 });
  });

  test('a 5-minute datapoint the alarms cannot read as it is (a percentile) is counted as unusable, not dropped silently', () => {
    const history = new MetricHistory(range);
    const p99 = historyMetric({ namespace: 'Shop', metricName: 'Latency', dimensions: {}, statistic: 'p99' }, true);
    const block = Math.ceil(first / (5 * MINUTE)) * 5 * MINUTE;
    history.add(p99, block, 300, 250);
    history.add(p99, block + 5 * MINUTE, 300, 260);
    expect(history.scenario()(p99, minuteOf(block))).toBeUndefined();
    expect(history.coarseRead(p99)).toEqual({ used: 0, unusable: 2 });
  });

  test('1-minute datapoints are the minute\'s value; minutes before the history read are missing', () => {
    const history = new MetricHistory(range);
    const errors = sum('Errors');
    history.add(errors, range.end.getTime() - MINUTE, 60, 3);
    const scenario = history.scenario();
    expect(scenario(identity(errors), range.minutes - 1)).toBe(3);
    expect(scenario(identity(errors), -range.warmUpMinutes - 1)).toBeUndefined();
    expect(scenario(identity(errors), range.minutes)).toBeUndefined();
  });
});

describe('deploy-time values', () => {
  const alarm = (name: string, dimension: string): WindowAlarmModel => ({
    logicalId: name,
    name,
    expressionText: 'm1',
    expression: parseMetricMath('m1'),
    metrics: { m1: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: dimension }, statistic: 'Sum' } },
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
  });
  const model = (a: WindowAlarmModel): SloAlarmModel => ({ windowAlarms: [a], composites: [] });

  test('a value learned from a deployed alarm fills it in every model (a pull request\'s new alarm reads the deployed function)', () => {
    const deployed = new Map<string, MetricAlarm>([['old', {
      AlarmName: 'old',
      Metrics: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'Shop-Fn-1' }] }, Period: 300, Stat: 'Sum' } }],
    }]]);
    const values = learnDeployedValues([model(alarm('old', '${Fn1}')), model(alarm('new', '${Fn1}'))], deployed);
    expect([...values]).toEqual([['${Fn1}', 'Shop-Fn-1']]);
    const resolved = resolveModel(model(alarm('new', '${Fn1}')), values);
    expect(resolved.missing).toEqual([]);
    expect(resolved.model.windowAlarms[0].metrics.m1.dimensions).toEqual({ FunctionName: 'Shop-Fn-1' });
  });

  test('a value no deployed alarm gives is reported missing', () => {
    expect(resolveModel(model(alarm('new', '${Fn2}')), new Map()).missing).toEqual(['FunctionName=${Fn2}']);
  });
});
