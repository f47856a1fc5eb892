import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { LatencyUnit } from '../../lib/sli/latency';
import { Sli } from '../../lib/sli/sli';

const latency = new Metric({ namespace: 'Shop', metricName: 'Latency', dimensionsMap: { Service: 'checkout' }, statistic: 'p99' });

describe('Sli.latency', () => {
  test('counts samples over the threshold as bad: SampleCount minus TC(:threshold)', () => {
    const binding = Sli.latency({ metric: latency, threshold: Duration.millis(300) }).bind();
    expect(binding.totalEvents).toBe('total0');
    expect(binding.badEvents).toBe('(total0 - FILL(good0, 0))');
    expect(binding.usingMetrics.total0.toMetricConfig().metricStat!.statistic).toBe('SampleCount');
    expect(binding.usingMetrics.good0.toMetricConfig().metricStat!.statistic).toBe('TC(:300)');
    expect(binding.metricCount).toBe(2);
    expect(binding.description).toBe('Latency <= 300 ms');
  });

  test('converts the threshold to seconds for metrics published in seconds', () => {
    const binding = Sli.latency({ metric: latency, threshold: Duration.millis(250), unit: LatencyUnit.SECONDS }).bind();
    expect(binding.usingMetrics.good0.toMetricConfig().metricStat!.statistic).toBe('TC(:0.25)');
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
