import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Sli } from '../../lib/sli/sli';

const metric = (metricName: string, statistic = 'Average') =>
  new Metric({ namespace: 'Shop', metricName, dimensionsMap: { Service: 'checkout' }, statistic, period: Duration.minutes(1) });

function statOf(binding: ReturnType<ReturnType<typeof Sli.ratio>['bind']>, id: string): string | undefined {
  return binding.usingMetrics[id].toMetricConfig().metricStat?.statistic;
}

describe('Sli.ratio', () => {
  test('counts bad over total, summing both whatever statistic the metrics carry', () => {
    const binding = Sli.ratio({ bad: metric('Errors'), total: metric('Requests', 'p99') }).bind();
    expect(binding.badEvents).toBe('FILL(bad0, 0)');
    expect(binding.totalEvents).toBe('total0');
    expect(statOf(binding, 'bad0')).toBe('Sum');
    expect(statOf(binding, 'total0')).toBe('Sum');
    expect(binding.metricCount).toBe(2);
  });

  test('counts total minus good when given good events, filling missing good counts with 0', () => {
    const binding = Sli.ratio({ good: metric('Successes'), total: metric('Requests') }).bind();
    expect(binding.badEvents).toBe('(total0 - (FILL(good0, 0)))');
    expect(statOf(binding, 'good0')).toBe('Sum');
  });

  test('adds up several metrics per side and reads a shared metric once', () => {
    const throttles = metric('Throttles');
    const binding = Sli.ratio({ bad: [metric('Errors'), throttles], total: [metric('Invocations'), throttles] }).bind();
    expect(binding.totalEvents).toBe('(FILL(total0, 0) + FILL(total1, 0))');
    expect(binding.badEvents).toBe('(FILL(bad0, 0) + FILL(total1, 0))');
    expect(Object.keys(binding.usingMetrics).sort()).toEqual(['bad0', 'total0', 'total1']);
    expect(binding.metricCount).toBe(3);
  });

  test('converts the metrics inside a math expression to Sum and counts them', () => {
    const bad = new MathExpression({ expression: 'a + b', usingMetrics: { a: metric('E1', 'Maximum'), b: metric('E2') } });
    const binding = Sli.ratio({ bad, total: metric('Requests') }).bind();
    const inner = binding.usingMetrics.bad0.toMetricConfig().mathExpression!;
    expect(Object.values(inner.usingMetrics).map((m) => m.toMetricConfig().metricStat!.statistic)).toEqual(['Sum', 'Sum']);
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
      expect(Sli.ratio({ good: metric('G'), bad: metric('B'), total: metric('T') }).validate()).toEqual(['Sli.ratio needs exactly one of `good` or `bad`, got both']);
    });

    test('refuses neither good nor bad', () => {
      expect(Sli.ratio({ total: metric('T') }).validate()).toEqual(['Sli.ratio needs exactly one of `good` or `bad`, got neither']);
    });

    test('refuses a missing total and empty lists', () => {
      expect(Sli.ratio({ bad: [] } as never).validate()).toEqual([
        'Sli.ratio needs `total`, the metric(s) counting all events, got none',
        'Sli.ratio `bad` is an empty list: give at least one metric',
      ]);
    });

    test('refuses SEARCH expressions, which alarms cannot evaluate', () => {
      const search = new MathExpression({ expression: "SEARCH('{AWS/Lambda} Errors', 'Sum')", usingMetrics: {} });
      expect(Sli.ratio({ bad: search, total: metric('T') }).validate()).toEqual([expect.stringMatching(/`bad`\[0\] is a SEARCH expression/)]);
    });

    test('refuses things that are not metrics', () => {
      expect(Sli.ratio({ bad: 'Errors' as never, total: metric('T') }).validate()).toEqual([expect.stringMatching(/`bad`\[0\] is not a CloudWatch metric/)]);
    });
  });
});
