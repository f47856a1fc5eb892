import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AlertPolicy, ReliableService, Severity, Sli, SliceComparison, SliceMissingData, TimeSliceSliProps } from '../../lib';
import { slicesToAlarm } from '../../lib/slo/time-slices';
import { newStack } from '../service/helpers';

function queueAge(stack = newStack()) {
  const queue = new sqs.Queue(stack, 'Queue');
  return { stack, metric: queue.metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM }) };
}

function freshness(props: Partial<TimeSliceSliProps> = {}, objective = 99.5) {
  const { stack, metric } = queueAge();
  new ReliableService(stack, 'Orders', {
    serviceName: 'orders',
    slos: [{ name: 'freshness', objective, sli: Sli.timeSlice({ metric, comparison: SliceComparison.LESS_THAN, threshold: 300, ...props }) }],
  });
  return stack;
}

describe('Sli.timeSlice', () => {
  test('binds the per-slice expression: 1 for a bad slice, 0 for a good one', () => {
    const { metric } = queueAge();
    const binding = Sli.timeSlice({ metric, comparison: SliceComparison.LESS_THAN, threshold: 300 }).bind();
    expect(binding.timeSlice).toEqual({
      sliceSeconds: 60, badSlice: 'IF(slice0 < 300, 0, 1)', missingSliceIsBad: true, metricId: 'slice0', comparison: SliceComparison.LESS_THAN, threshold: 300,
    });
    expect(binding.usingMetrics.slice0.toMetricConfig().metricStat?.statistic).toBe('Maximum');
    expect(binding.description).toBe('1m slices with AWS/SQS ApproximateAgeOfOldestMessage (Maximum) < 300, a slice without data bad');
  });

  test('each window alarm counts bad 1-minute slices: M out of N = window / slice, missing slices breaching', () => {
    const template = Template.fromStack(freshness());
    // 99.5 %: 1h tier at 14.4x is a bad share above 7.2 %: more than 4.32 of 60 slices, so 5
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'orders-freshness-page-1h-5m-long',
      Period: Match.absent(),
      EvaluationPeriods: 60,
      DatapointsToAlarm: 5,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(slice0 < 300, 0, 1)', ReturnData: true }),
        Match.objectLike({ Id: 'slice0', MetricStat: Match.objectLike({ Period: 60, Stat: 'Maximum', Metric: Match.objectLike({ MetricName: 'ApproximateAgeOfOldestMessage' }) }) }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'orders-freshness-page-1h-5m-short', EvaluationPeriods: 5, DatapointsToAlarm: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'orders-freshness-ticket-1d-2h-long', EvaluationPeriods: 1440, DatapointsToAlarm: 22 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'orders-freshness-page-1h-5m-long',
      AlarmDescription: Match.stringLikeRegexp('Time slices: ALARM when 5 of the last 60 1m slices are bad\\.'),
    });
  });

  test('leaves out the 3-day tier, which CloudWatch cannot evaluate in 1-minute datapoints, with a warning', () => {
    const stack = freshness();
    const template = Template.fromStack(stack);
    expect(Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties.AlarmName).sort()).toEqual([
      'orders-freshness-page-1h-5m-long', 'orders-freshness-page-1h-5m-short', 'orders-freshness-page-6h-30m-long', 'orders-freshness-page-6h-30m-short',
      'orders-freshness-ticket-1d-2h-long', 'orders-freshness-ticket-1d-2h-short',
    ]);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('the ticket tier 3d/6h is left out: a time-slice SLI counts 1m slices'));
  });

  test('warns when one bad slice fires a tier: at 99.9 % a 1-hour window of 1-minute slices allows 0.86 of them, so one bad minute pages', () => {
    const annotations = Annotations.fromStack(freshness({}, 99.9));
    annotations.hasWarning('*', Match.stringLikeRegexp(
      'one bad 1m slice fires the page tier 1h/5m: its 1h window holds 60 slices and the tier allows 0\\.864 of them .* pages\\. '
      + 'An objective of at most 99\\.884% needs 2 bad slices'));
    // the 6h/30m page tier allows 360 × 6 × 0.001 = 2.16 slices: 3 bad ones fire it, no warning
    expect(annotations.findWarning('*', Match.stringLikeRegexp('fires the page tier 6h/30m'))).toHaveLength(0);
  });

  test('does not warn about single bad slices where a tier needs several (99.5 %: 5 of 60)', () => {
    expect(Annotations.fromStack(freshness()).findWarning('*', Match.stringLikeRegexp('one bad .* slice fires'))).toHaveLength(0);
  });

  test('a slice of 1 hour evaluates windows up to 7 days', () => {
    const { stack, metric } = queueAge();
    new ReliableService(stack, 'Orders', {
      serviceName: 'orders',
      slos: [{
        name: 'freshness', objective: 99, alerting: AlertPolicy.fromTiers([{ severity: Severity.TICKET, budgetSpentPercent: 10, longWindow: Duration.days(3), shortWindow: Duration.hours(6) }]),
        sli: Sli.timeSlice({ metric, comparison: SliceComparison.LESS_THAN, threshold: 300, slice: Duration.hours(1) }),
      }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'orders-freshness-ticket-3d-6h-long', EvaluationPeriods: 72, DatapointsToAlarm: 1 });
  });

  test('SliceMissingData.GOOD treats missing slices as not breaching (counts AWS publishes only when non-zero)', () => {
    const stack = newStack();
    const throttles = new Metric({ namespace: 'AWS/DynamoDB', metricName: 'ThrottledRequests', dimensionsMap: { TableName: 'orders' }, statistic: Stats.SUM });
    new ReliableService(stack, 'Orders', {
      serviceName: 'orders',
      slos: [{ name: 'throttling', objective: 99, sli: Sli.timeSlice({ metric: throttles, comparison: SliceComparison.LESS_THAN_OR_EQUAL, threshold: 0, missingData: SliceMissingData.GOOD }) }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'orders-throttling-page-1h-5m-long', TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(slice0 <= 0, 0, 1)' })]),
    });
  });

  test('judges a math expression, e.g. running tasks short of the desired count', () => {
    const dims = { ClusterName: 'shop', ServiceName: 'web' };
    const tasks = new MathExpression({
      expression: 'running - desired',
      usingMetrics: {
        running: new Metric({ namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensionsMap: dims, statistic: Stats.MINIMUM }),
        desired: new Metric({ namespace: 'ECS/ContainerInsights', metricName: 'DesiredTaskCount', dimensionsMap: dims, statistic: Stats.MAXIMUM }),
      },
    });
    const binding = Sli.timeSlice({ metric: tasks, comparison: SliceComparison.GREATER_THAN_OR_EQUAL, threshold: 0 }).bind();
    expect(binding.badEvents).toBe('IF(slice0 >= 0, 0, 1)');
    expect(binding.metricCount).toBe(2);
  });

  test.each([
    [0.072, 60, 5], [0.001 * 14.4, 60, 1], [0.03, 10, 1], [0.3, 10, 4], [0.1, 10, 2],
  ])('slicesToAlarm(%p, %p) is %p: the first count whose share exceeds the threshold', (ratio, n, m) => {
    expect(slicesToAlarm(ratio, n)).toBe(m);
    expect((m - 1) / n).toBeLessThanOrEqual(ratio + 1e-12);
    expect(m / n).toBeGreaterThan(ratio);
  });

  describe('refuses bad input with the path, the prop, the value and what is allowed', () => {
    const { metric } = queueAge();
    test.each<[string, Partial<TimeSliceSliProps>, RegExp]>([
      ['a comparison that is not a SliceComparison', { comparison: 'lt' as SliceComparison }, /Shop\/Orders\/freshness: sli: Sli.timeSlice `comparison` must be one of SliceComparison.LESS_THAN, .*got "lt"/],
      ['a threshold that is not a number', { threshold: '300' as unknown as number }, /`threshold` must be a finite number .*got "300"/],
      ['a slice under a minute', { slice: Duration.seconds(30) }, /`slice` must be a whole number of minutes from 1 minute to 1 hour .*got 30s/],
      ['a slice over an hour', { slice: Duration.hours(2) }, /`slice` must be a whole number of minutes from 1 minute to 1 hour .*got 2h/],
      ['a slice that does not divide the windows', { slice: Duration.minutes(7) }, /`slice` is 7m, but the windows 5m, 30m, 1h, 2h, 6h, 1d, 3d of `alerting` do not hold a whole number of slices/],
      ['a missingData that is not a SliceMissingData', { missingData: 'skip' as SliceMissingData }, /`missingData` must be SliceMissingData.BAD or SliceMissingData.GOOD, got "skip"/],
      ['no metric', { metric: undefined }, /Sli.timeSlice needs `metric`/],
    ])('%s', (_, props, message) => {
      expect(() => freshness(props)).toThrow(message);
    });

    test('minimumEvents and blindAlert, which count events', () => {
      const stack = newStack();
      expect(() => new ReliableService(stack, 'Orders', {
        serviceName: 'orders',
        slos: [{ name: 'freshness', objective: 99, minimumEvents: 10, blindAlert: {}, sli: Sli.timeSlice({ metric, comparison: SliceComparison.LESS_THAN, threshold: 300 }) }],
      })).toThrow(/minimumEvents: is 10, but the SLI is a time-slice SLI[\s\S]*blindAlert: is set, but the SLI is a time-slice SLI/);
    });

    test('a policy with no tier CloudWatch can evaluate at the slice', () => {
      expect(() => freshness({}, 99)).not.toThrow();
      const stack = newStack();
      expect(() => new ReliableService(stack, 'Orders', {
        serviceName: 'orders',
        slos: [{
          name: 'freshness', objective: 99, alerting: AlertPolicy.fromTiers([{ severity: Severity.TICKET, budgetSpentPercent: 10, longWindow: Duration.days(3) }]),
          sli: Sli.timeSlice({ metric, comparison: SliceComparison.LESS_THAN, threshold: 300 }),
        }],
      })).toThrow(/alerting.tiers: has no tier whose windows CloudWatch can evaluate in 1m slices/);
    });
  });
});
