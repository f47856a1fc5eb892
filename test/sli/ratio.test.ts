import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Sli } from '../../lib';

const metric = (metricName: string, statistic = 'Average') =>
  new Metric({ namespace: 'Shop', metricName, dimensionsMap: { Service: 'checkout' }, statistic, period: Duration.minutes(1) });
/** Metrics with no period of their own (aws-cdk-lib's default, 5 minutes). */
const counts = { errors: new Metric({ namespace: 'Shop', metricName: 'Errors' }), requests: new Metric({ namespace: 'Shop', metricName: 'Requests' }) };

function statOf(binding: ReturnType<ReturnType<typeof Sli.ratio>['bind']>, id: string): string | undefined {
  return binding.usingMetrics[id].toMetricConfig().metricStat?.statistic;
}

describe('Sli.ratio', () => {
  test('counts bad over total, both filled with 0 so that a metric that stopped reads 0, not "no datapoint"', () => {
    const binding = Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }).bind();
    expect(binding.badEvents).toBe('FILL(bad0, 0)');
    expect(binding.totalEvents).toBe('FILL(total0, 0)');
    expect(binding.metricCount).toBe(2);
  });

  test('reads the CDK default statistic (Average) as Sum: the events of a window are the sum of the counts', () => {
    const binding = Sli.ratio({ bad: metric('Errors'), total: metric('Requests', 'Average') }).bind();
    expect(statOf(binding, 'bad0')).toBe('Sum');
    expect(statOf(binding, 'total0')).toBe('Sum');
  });

  test('keeps Sum and SampleCount as the metric says (SampleCount counts the samples, e.g. the requests behind a latency metric)', () => {
    const binding = Sli.ratio({ bad: metric('Errors', 'Sum'), total: metric('SuccessfulRequestLatency', 'SampleCount') }).bind();
    expect(statOf(binding, 'bad0')).toBe('Sum');
    expect(statOf(binding, 'total0')).toBe('SampleCount');
  });

  test('reads the same metric with two statistics as two metrics', () => {
    const latency = metric('Latency');
    const binding = Sli.ratio({ good: latency.with({ statistic: 'SampleCount' }), total: latency.with({ statistic: 'Sum' }) }).bind();
    expect(Object.keys(binding.usingMetrics).sort()).toEqual(['good0', 'total0']);
  });

  test('counts total minus good when given good events, filling missing good counts with 0', () => {
    const binding = Sli.ratio({ good: metric('Successes'), total: metric('Requests') }).bind();
    expect(binding.badEvents).toBe('(FILL(total0, 0) - (FILL(good0, 0)))');
    expect(statOf(binding, 'good0')).toBe('Sum');
  });

  test('gives the alarms the metrics without their own period, and says which periods it dropped', () => {
    const binding = Sli.ratio({ bad: metric('Errors'), totalMetrics: [metric('Requests'), new Metric({ namespace: 'Shop', metricName: 'Retries', period: Duration.minutes(10) })] }).bind();
    expect(Object.values(binding.usingMetrics).map((m) => m.toMetricConfig().metricStat!.period.toSeconds())).toEqual([300, 300, 300]);
    expect(binding.replacedPeriodSeconds).toEqual([60, 600]);
    expect(Sli.ratio({ bad: counts.errors, total: counts.requests }).bind().replacedPeriodSeconds).toBeUndefined();
  });

  test('adds up several metrics per side and reads a shared metric once', () => {
    const throttles = metric('Throttles');
    const binding = Sli.ratio({ badMetrics: [metric('Errors'), throttles], totalMetrics: [metric('Invocations'), throttles] }).bind();
    expect(binding.totalEvents).toBe('(FILL(total0, 0) + FILL(total1, 0))');
    expect(binding.badEvents).toBe('(FILL(bad0, 0) + FILL(total1, 0))');
    expect(Object.keys(binding.usingMetrics).sort()).toEqual(['bad0', 'total0', 'total1']);
    expect(binding.metricCount).toBe(3);
  });

  test('reads the metrics inside a math expression by the same rule, and counts them', () => {
    const bad = new MathExpression({ expression: 'a + b', usingMetrics: { a: metric('E1', 'SampleCount'), b: metric('E2') } });
    const binding = Sli.ratio({ bad, total: metric('Requests') }).bind();
    const inner = binding.usingMetrics.bad0.toMetricConfig().mathExpression!;
    expect(Object.values(inner.usingMetrics).map((m) => m.toMetricConfig().metricStat!.statistic)).toEqual(['SampleCount', 'Sum']);
    expect(binding.metricCount).toBe(3);
  });

  test('keeps dimensions, account and region of the metrics', () => {
    const cross = new Metric({ namespace: 'Shop', metricName: 'Errors', dimensionsMap: { Service: 'a' }, account: '111111111111', region: 'eu-west-1' });
    const stat = Sli.ratio({ bad: cross, total: metric('Requests') }).bind().usingMetrics.bad0.toMetricConfig().metricStat!;
    expect(stat.dimensions).toEqual([{ name: 'Service', value: 'a' }]);
    expect(stat.account).toBe('111111111111');
    expect(stat.region).toBe('eu-west-1');
  });

  test('describes what it counts', () => {
    expect(Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }).bind().description).toBe('bad events Errors over total Requests');
    expect(Sli.ratio({ bad: metric('Errors'), total: metric('Requests'), description: 'failed checkouts' }).bind().description).toBe('failed checkouts');
  });

  describe('validation', () => {
    test('refuses both good and bad', () => {
      expect(Sli.ratio({ good: metric('G'), bad: metric('B'), total: metric('T') }).validate()).toEqual(['Sli.ratio needs exactly one of `good` or `bad` (or `goodMetrics`, `badMetrics` for several metrics), got both']);
    });

    test('refuses neither good nor bad', () => {
      expect(Sli.ratio({ total: metric('T') }).validate()).toEqual(['Sli.ratio needs exactly one of `good` or `bad` (or `goodMetrics`, `badMetrics` for several metrics), got neither']);
    });

    test('refuses a missing total and empty lists', () => {
      expect(Sli.ratio({ badMetrics: [] }).validate()).toEqual([
        'Sli.ratio needs `total` (or `totalMetrics`), the metric(s) counting all events, got none',
        'Sli.ratio `badMetrics` is an empty list: give at least one metric',
      ]);
    });

    test('refuses SEARCH expressions, which alarms cannot evaluate', () => {
      const search = new MathExpression({ expression: "SEARCH('{AWS/Lambda} Errors', 'Sum')", usingMetrics: {} });
      expect(Sli.ratio({ bad: search, total: metric('T') }).validate()).toEqual([expect.stringMatching(/`bad` is a SEARCH expression/)]);
    });

    test.each(['p99', 'Maximum', 'Minimum', 'TC(:300)', 'tm99', 'IQM', 'PR(:300)'])('refuses the statistic %s, which does not count events, naming the metric and what is allowed', (statistic) => {
      expect(Sli.ratio({ bad: metric('Errors'), total: metric('Requests', statistic) }).validate()).toEqual([
        `Sli.ratio \`total\` (Shop Requests) uses the statistic ${statistic}, which does not count events: use Sum (the metric's values are event counts) `
        + 'or SampleCount (each sample is an event, e.g. the requests behind a latency metric); Average, the aws-cdk-lib default, is read as Sum. '
        + 'For a share of requests under a latency threshold, use Sli.latency',
      ]);
    });

    test('refuses a statistic that does not count events inside a math expression too', () => {
      const bad = new MathExpression({ expression: 'a + b', usingMetrics: { a: metric('E1', 'Maximum'), b: metric('E2') } });
      expect(Sli.ratio({ bad, total: metric('Requests') }).validate()).toEqual([expect.stringMatching(/^Sli.ratio `bad` \(Shop E1\) uses the statistic Maximum/)]);
    });

    test('refuses a side given both as one metric and as a list, naming both props', () => {
      expect(Sli.ratio({ bad: metric('B'), badMetrics: [metric('B2')], total: metric('T') }).validate()).toEqual([
        'Sli.ratio takes `bad` (one metric) or `badMetrics` (several, added up), got both',
      ]);
    });

    test('refuses a list in a single-metric prop and a single metric in a list prop, pointing to the other prop', () => {
      expect(Sli.ratio({ bad: [metric('B')] as never, total: metric('T') }).validate()).toEqual([
        'Sli.ratio `bad` is a list: give one metric, or the list as `badMetrics`',
      ]);
      expect(Sli.ratio({ bad: metric('B'), totalMetrics: metric('T') as never }).validate()).toEqual([
        expect.stringMatching(/^Sli.ratio `totalMetrics` must be a list of metrics \(one metric goes in `total`\), got /),
      ]);
    });

    test('names a metric of a list by its index', () => {
      const search = new MathExpression({ expression: "SEARCH('{AWS/Lambda} Errors', 'Sum')", usingMetrics: {} });
      expect(Sli.ratio({ badMetrics: [metric('E'), search], total: metric('T') }).validate()).toEqual([expect.stringMatching(/`badMetrics`\[1\] is a SEARCH expression/)]);
    });

    test('refuses things that are not metrics', () => {
      expect(Sli.ratio({ bad: 'Errors' as never, total: metric('T') }).validate()).toEqual([expect.stringMatching(/`bad` is not a CloudWatch metric/)]);
    });
  });
});
