import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { LatencyUnit, Sli } from '../../lib';
import { evaluateMetricMath, parseMetricMath } from '../../lib/simulation/metric-math';

/** A latency metric as given: no statistic of its own (aws-cdk-lib's default, Average). */
const latency = new Metric({ namespace: 'Shop', metricName: 'Latency', dimensionsMap: { Service: 'checkout' } });

describe('Sli.latency', () => {
  test('counts samples over the threshold as bad: SampleCount minus TC(:threshold), a missing trimmed count read as no fast sample', () => {
    const binding = Sli.latency({ metric: latency, threshold: Duration.millis(300) }).bind();
    expect(binding.totalEvents).toBe('FILL(total0, 0)');
    expect(binding.badEvents).toBe('FILL(total0, 0) - FILL(good0, 0)');
    expect(binding.usingMetrics.total0.toMetricConfig().metricStat!.statistic).toBe('SampleCount');
    expect(binding.usingMetrics.good0.toMetricConfig().metricStat!.statistic).toBe('TC(:300)');
    expect(binding.metricCount).toBe(2);
    expect(binding.description).toBe('Latency <= 300 ms');
  });

  test('converts the threshold to seconds for metrics published in seconds', () => {
    const binding = Sli.latency({ metric: latency, threshold: Duration.millis(250), unit: LatencyUnit.SECONDS }).bind();
    expect(binding.usingMetrics.good0.toMetricConfig().metricStat!.statistic).toBe('TC(:0.25)');
  });

  describe('what the expressions count, window by window', () => {
    const binding = Sli.latency({ metric: latency, threshold: Duration.millis(300) }).bind();
    const count = (values: Record<string, number | undefined>) => ({
      bad: evaluateMetricMath(parseMetricMath(binding.badEvents), (id) => values[id]),
      total: evaluateMetricMath(parseMetricMath(binding.totalEvents), (id) => values[id]),
    });

    test('100 samples, 98 at or under the threshold: 2 bad of 100', () => {
      expect(count({ total0: 100, good0: 98 })).toEqual({ bad: 2, total: 100 });
    });

    test('samples of which none is under the threshold (a trimmed count of 0): every request is slow', () => {
      expect(count({ total0: 100, good0: 0 })).toEqual({ bad: 100, total: 100 });
    });

    test('samples without a trimmed count: every request slow (raw samples: no fast one), so an all-slow outage pages either way', () => {
      expect(count({ total0: 100, good0: undefined })).toEqual({ bad: 100, total: 100 });
    });

    test('samples without a trimmed count with rawSamples: false (a metric published as statistic sets): no judgement, not "every request slow"', () => {
      const sets = Sli.latency({ metric: latency, threshold: Duration.millis(300), rawSamples: false }).bind();
      const values: Record<string, number | undefined> = { total0: 100, good0: undefined };
      expect(evaluateMetricMath(parseMetricMath(sets.badEvents), (id) => values[id])).toBe(0);
      expect(evaluateMetricMath(parseMetricMath(sets.totalEvents), (id) => values[id])).toBe(0);
    });

    test('no samples at all: an explicit 0 of 0, never "no datapoint"', () => {
      expect(count({})).toEqual({ bad: 0, total: 0 });
    });
  });

  test('gives the alarms the metric without its own period, and says which period it dropped', () => {
    const binding = Sli.latency({ metric: latency.with({ period: Duration.minutes(1) }), threshold: Duration.millis(300) }).bind();
    expect(Object.values(binding.usingMetrics).map((m) => m.toMetricConfig().metricStat!.period.toSeconds())).toEqual([300, 300]);
    expect(binding.replacedPeriodSeconds).toEqual([60]);
  });

  test('writes a huge threshold in plain digits and refuses one longer than a year', () => {
    const year = Sli.latency({ metric: latency, threshold: Duration.days(366) });
    expect(year.validate()).toEqual([]);
    expect(year.bind().usingMetrics.good0.toMetricConfig().metricStat!.statistic).toBe('TC(:31622400000)');
    expect(Sli.latency({ metric: latency, threshold: Duration.days(1e16) }).validate()).toEqual([
      'Sli.latency `threshold` must be at most 366 days (no AWS latency metric measures longer), got 10000000000000000 days',
    ]);
  });

  test('writes the threshold with at most 10 decimals of the metric\'s unit, and refuses one too small to write', () => {
    expect(Sli.latency({ metric: latency, threshold: Duration.millis(1 / 3), unit: LatencyUnit.SECONDS }).bind().usingMetrics.good0
      .toMetricConfig().metricStat!.statistic).toBe('TC(:0.0003333333)');
    expect(Sli.latency({ metric: latency, threshold: Duration.millis(0.00000001), unit: LatencyUnit.SECONDS }).validate()).toEqual([
      'Sli.latency `threshold` is 0.00000000001 s, below what CloudWatch statistics can write (10 decimals of the metric\'s unit): give a longer threshold',
    ]);
  });

  test.each([
    ['AWS/ApiGateway', 'Count'], ['AWS/ApiGateway', '5XXError'], ['AWS/Lambda', 'Errors'], ['AWS/ApplicationELB', 'RequestCount'],
    ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count'], ['AWS/States', 'ExecutionsFailed'], ['AWS/DynamoDB', 'ThrottledRequests'],
  ])('refuses %s %s: it counts events, it is not a latency', (namespace, metricName) => {
    expect(Sli.latency({ metric: new Metric({ namespace, metricName }), threshold: Duration.millis(300) }).validate()).toEqual([
      `Sli.latency \`metric\` ${namespace} ${metricName} counts events, it does not measure time: use Sli.ratio for counted events, `
      + 'or give a latency metric (API Gateway Latency, ALB TargetResponseTime, Lambda Duration, ...)',
    ]);
  });

  test('accepts the latency metrics of AWS services and custom metrics named like counts', () => {
    for (const [namespace, metricName] of [['AWS/ApiGateway', 'Latency'], ['AWS/ApplicationELB', 'TargetResponseTime'], ['AWS/Lambda', 'Duration'],
      ['AWS/States', 'ExecutionTime'], ['AWS/DynamoDB', 'SuccessfulRequestLatency'], ['Shop', 'CheckoutCount']]) {
      expect(Sli.latency({ metric: new Metric({ namespace, metricName }), threshold: Duration.millis(300) }).validate()).toEqual([]);
    }
  });

  test.each(['p99', 'Sum', 'SampleCount', 'Maximum'])('refuses a metric given with the statistic %s, which the SLI would not use', (statistic) => {
    expect(Sli.latency({ metric: latency.with({ statistic }), threshold: Duration.millis(300) }).validate()).toEqual([
      `Sli.latency \`metric\` Shop Latency carries the statistic ${statistic}, which the SLI would not use: it reads the metric's samples `
      + '(SampleCount, and TC(:threshold) for the fast ones). Pass the metric without a statistic',
    ]);
  });

  test('refuses a zero threshold', () => {
    expect(Sli.latency({ metric: latency, threshold: Duration.millis(0) }).validate()).toEqual(['Sli.latency `threshold` must be longer than 0, got 0 millis']);
  });

  test('refuses a math expression: trimmed count needs raw samples', () => {
    const math = new MathExpression({ expression: 'm * 1000', usingMetrics: { m: latency } });
    expect(Sli.latency({ metric: math, threshold: Duration.millis(300) }).validate()).toEqual([expect.stringMatching(/single metric with raw samples/)]);
  });

  test('refuses missing metric and threshold', () => {
    expect(Sli.latency({} as never).validate()).toEqual([
      'Sli.latency needs `metric`, a CloudWatch latency metric',
      'Sli.latency needs `threshold`, a Duration such as Duration.millis(300)',
    ]);
  });

  test('refuses an unknown unit', () => {
    expect(Sli.latency({ metric: latency, threshold: Duration.millis(300), unit: 'minutes' as LatencyUnit }).validate())
      .toEqual([expect.stringMatching(/`unit` must be LatencyUnit.MILLISECONDS or LatencyUnit.SECONDS, got "minutes"/)]);
  });
});

describe('a missing trimmed count', () => {
  const metric = () => new Metric({ namespace: 'Shop', metricName: 'CheckoutTime' });

  test('leaves a window unjudged with rawSamples: false (a metric published as statistic sets)', () => {
    const binding = Sli.latency({ metric: metric(), threshold: Duration.millis(300), rawSamples: false }).bind();
    expect(binding.badEvents).toBe('IF(FILL(good0, -1) >= 0, FILL(total0, 0) - FILL(good0, 0), 0)');
    expect(binding.totalEvents).toBe('IF(FILL(good0, -1) >= 0, FILL(total0, 0), 0)');
  });

  test('reads as every request slow by default, as for a preset, whose AWS metric always has raw samples (an all-slow outage must page)', () => {
    const stack = new Stack();
    const fn = lambda.Function.fromFunctionName(stack, 'Fn', 'checkout');
    const binding = Sli.lambdaLatency(fn, { threshold: Duration.millis(300) }).bind();
    expect(binding.badEvents).toBe('FILL(total0, 0) - FILL(good0, 0)');
    expect(binding.totalEvents).toBe('FILL(total0, 0)');
    // an all-slow window: samples but no trimmed count at all still counts every sample as bad
    const bad = evaluateMetricMath(parseMetricMath(binding.badEvents), (id) => (id === 'total0' ? 40 : undefined));
    expect(bad).toBe(40);
  });
});

test('Sli.latency refuses a rawSamples that is not a boolean', () => {
  expect(Sli.latency({ metric: latency, threshold: Duration.millis(300), rawSamples: 'yes' as unknown as boolean }).validate())
    .toEqual([expect.stringMatching(/rawSamples` must be true or false, got "yes"/)]);
});
