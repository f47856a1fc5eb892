/**
 * The Kinesis, ECS and CloudWatch Synthetics time-slice presets: their metrics, statistics and
 * dimensions as AWS documents them, the alarms they synthesize, what a minute without data counts
 * as, how the faithful evaluator pages on them, the Container Insights warning, and bad input.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { ISli, ReliableService, Sli } from '../../lib';
import { AlertTimeline } from '../../lib/simulation/outcome';
import { newStack } from '../service/helpers';
import { episode, metricsOf, sloOn, windowAlarm } from './helpers';

const sloWith = (sli: ISli, stack = newStack()) => () => new ReliableService(stack, 'Svc', {
  serviceName: 'svc', dashboard: false, slos: [{ name: 'slo', objective: 99.5, sli }],
});

function fargateService(stack: Stack, cluster: ecs.ClusterProps = { containerInsightsV2: ecs.ContainerInsights.ENABLED }) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest') });
  return new ecs.FargateService(stack, 'Api', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc, ...cluster }), taskDefinition, desiredCount: 2 });
}

function canary(stack: Stack, schedule = synthetics.Schedule.rate(Duration.minutes(5))) {
  return new synthetics.Canary(stack, 'Probe', {
    schedule,
    runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_9_1,
    test: synthetics.Test.custom({ code: synthetics.Code.fromInline('exports.handler = async () => {};'), handler: 'index.handler' }),
  });
}

describe('Sli.streamFreshness', () => {
  const stream = (stack: Stack) => kinesis.Stream.fromStreamArn(stack, 'Clicks', 'arn:aws:kinesis:eu-west-1:111111111111:stream/clicks');

  test('reads GetRecords.IteratorAgeMilliseconds (Maximum) by StreamName, good under 1 minute, a minute without data bad', () => {
    const b = Sli.streamFreshness(stream(newStack())).bind();
    expect(metricsOf(b)).toEqual({ slice0: 'AWS/Kinesis GetRecords.IteratorAgeMilliseconds Maximum {StreamName=clicks}' });
    expect(b.timeSlice).toEqual({ sliceSeconds: 60, badSlice: 'IF(slice0 < 60000, 0, 1)', missingSliceIsBad: true, metricId: 'slice0', comparison: '<', threshold: 60000 });
  });

  test('maxAge sets the threshold in milliseconds', () => {
    expect(Sli.streamFreshness(stream(newStack()), { maxAge: Duration.minutes(10) }).bind().timeSlice?.badSlice).toBe('IF(slice0 < 600000, 0, 1)');
  });

  test('the window alarms read the stream by its reference, missing minutes breaching', () => {
    const { template } = sloOn((s) => Sli.streamFreshness(new kinesis.Stream(s, 'Stream')));
    expect(windowAlarm(template, 'page-1h-5m-long')).toMatchObject({
      TreatMissingData: 'breaching',
      Metrics: expect.arrayContaining([expect.objectContaining({
        MetricStat: { Metric: { Namespace: 'AWS/Kinesis', MetricName: 'GetRecords.IteratorAgeMilliseconds', Dimensions: [{ Name: 'StreamName', Value: { Ref: expect.stringMatching(/^Stream/) } }] }, Period: 60, Stat: 'Maximum' },
      })]),
    });
  });

  describe('in the faithful evaluator', () => {
    const { model } = sloOn((s) => Sli.streamFreshness(new kinesis.Stream(s, 'Stream')));

    test('a consumer 10 minutes behind for half an hour pages once 5 minutes are behind', () => {
      const timeline = AlertTimeline.of(model, episode('GetRecords.IteratorAgeMilliseconds', 10, 30, 600_000, 200), { minutes: 180 });
      expect(timeline.firstPage()).toBe(10 + 4 + 2 + 1);
      expect(timeline.pageHeldThrough(39)).toBe(true);
    });

    test('a consumer that stops calling GetRecords pages: silence reads as bad minutes', () => {
      expect(AlertTimeline.of(model, episode('GetRecords.IteratorAgeMilliseconds', 10, 30, undefined, 200), { minutes: 180 }).firstPage()).toBeDefined();
    });

    test('a consumer that keeps up never alerts', () => {
      const timeline = AlertTimeline.of(model, episode('GetRecords.IteratorAgeMilliseconds', 0, 0, undefined, 200), { minutes: 1_500 });
      expect(timeline.intervals('page')).toEqual([]);
      expect(timeline.intervals('ticket')).toEqual([]);
    });
  });
});

describe('Sli.ecsServiceRunningTasks', () => {
  test('compares RunningTaskCount (Minimum) with DesiredTaskCount (Maximum) of ECS/ContainerInsights by ClusterName and ServiceName', () => {
    const stack = newStack();
    const service = ecs.FargateService.fromFargateServiceAttributes(stack, 'Api', {
      serviceName: 'api', cluster: ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'shop', vpc: new ec2.Vpc(stack, 'Vpc') }),
    });
    const b = Sli.ecsServiceRunningTasks(service).bind();
    const math = b.usingMetrics.slice0.toMetricConfig().mathExpression!;
    expect(math.expression).toBe('running - desired');
    const leaves = Object.fromEntries(Object.entries(math.usingMetrics).map(([id, m]) => {
      const s = m.toMetricConfig().metricStat!;
      return [id, `${s.namespace} ${s.metricName} ${s.statistic} {${s.dimensions!.map((d) => `${d.name}=${d.value}`).join(',')}}`];
    }));
    expect(leaves).toEqual({
      running: 'ECS/ContainerInsights RunningTaskCount Minimum {ClusterName=shop,ServiceName=api}',
      desired: 'ECS/ContainerInsights DesiredTaskCount Maximum {ClusterName=shop,ServiceName=api}',
    });
    expect(b.timeSlice).toEqual({ sliceSeconds: 60, badSlice: 'IF(slice0 >= 0, 0, 1)', missingSliceIsBad: true, metricId: 'slice0', comparison: '>=', threshold: 0 });
  });

  test('the window alarms read the service and its cluster by reference, missing minutes breaching', () => {
    const { template } = sloOn((s) => Sli.ecsServiceRunningTasks(fargateService(s)));
    const alarm = windowAlarm(template, 'page-1h-5m-long');
    expect(alarm.TreatMissingData).toBe('breaching');
    const running = alarm.Metrics.find((m: any) => m.Id === 'running');
    expect(running.MetricStat).toEqual({
      Metric: {
        Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount',
        Dimensions: [{ Name: 'ClusterName', Value: { Ref: expect.stringMatching(/^Cluster/) } }, { Name: 'ServiceName', Value: { 'Fn::GetAtt': [expect.stringMatching(/^ApiService/), 'Name'] } }],
      },
      Period: 60, Stat: 'Minimum',
    });
  });

  test('warns when the cluster of the app does not turn on Container Insights, and not when it does', () => {
    const without = sloOn((s) => Sli.ecsServiceRunningTasks(fargateService(s, {}))).stack;
    Annotations.fromStack(without).hasWarning('*', Match.stringLikeRegexp('does not turn on CloudWatch Container Insights.*containerInsightsV2: ContainerInsights.ENABLED'));
    const enhanced = sloOn((s) => Sli.ecsServiceRunningTasks(fargateService(s, { containerInsightsV2: ecs.ContainerInsights.ENHANCED }))).stack;
    Annotations.fromStack(enhanced).hasNoWarning('*', Match.stringLikeRegexp('Container Insights'));
  });

  describe('in the faithful evaluator', () => {
    const { model } = sloOn((s) => Sli.ecsServiceRunningTasks(fargateService(s)));
    /** 2 tasks desired; `running` tasks from `from` for `minutes` minutes, 2 otherwise (`undefined`: nothing published). */
    const tasks = (from: number, minutes: number, running: number | undefined) => (metric: { metricName: string }, minute: number) => {
      const during = minute >= from && minute < from + minutes;
      if (during && running === undefined) {
        return undefined;
      }
      return metric.metricName === 'DesiredTaskCount' ? 2 : during ? running : 2;
    };

    test('a service one task short for 20 minutes pages once 5 minutes were short', () => {
      const timeline = AlertTimeline.of(model, tasks(10, 20, 1), { minutes: 180 });
      expect(timeline.firstPage()).toBe(10 + 4 + 2 + 1);
      expect(timeline.pageHeldThrough(29)).toBe(true);
    });

    test('a scale-out whose new task runs after 2 minutes does not page', () => {
      expect(AlertTimeline.of(model, tasks(10, 2, 1), { minutes: 180 }).intervals('page')).toEqual([]);
    });

    test('Container Insights going silent pages: a minute without data is bad', () => {
      expect(AlertTimeline.of(model, tasks(10, 30, undefined), { minutes: 180 }).firstPage()).toBeDefined();
    });
  });
});

describe('Sli.canarySuccess', () => {
  test('reads SuccessPercent (Average) by CanaryName in slices of the canary\'s run interval, a slice without a run bad', () => {
    const { template } = sloOn((s) => Sli.canarySuccess(canary(s)));
    const alarm = windowAlarm(template, 'page-1h-5m-long');
    // 99.5 %: 14.4 × 0.5 % of 12 five-minute slices is 0.864, so 1 bad slice
    expect(alarm).toMatchObject({ EvaluationPeriods: 12, DatapointsToAlarm: 1, TreatMissingData: 'breaching' });
    expect(alarm.Metrics).toEqual(expect.arrayContaining([
      expect.objectContaining({ Expression: 'IF(slice0 >= 100, 0, 1)' }),
      expect.objectContaining({
        MetricStat: { Metric: { Namespace: 'CloudWatchSynthetics', MetricName: 'SuccessPercent', Dimensions: [{ Name: 'CanaryName', Value: { Ref: expect.stringMatching(/^Probe/) } }] }, Period: 300, Stat: 'Average' },
      }),
    ]));
  });

  test('a canary running every minute has 1-minute slices', () => {
    const b = Sli.canarySuccess(canary(newStack(), synthetics.Schedule.rate(Duration.minutes(1)))).bind();
    expect(b.timeSlice).toEqual({ sliceSeconds: 60, badSlice: 'IF(slice0 >= 100, 0, 1)', missingSliceIsBad: true, metricId: 'slice0', comparison: '>=', threshold: 100 });
  });

  test('a cron canary needs options.slice, and takes it', () => {
    const stack = newStack();
    const cron = canary(stack, synthetics.Schedule.cron({ minute: '0/10' }));
    expect(sloWith(Sli.canarySuccess(cron), stack)).toThrow(/Sli.canarySuccess: canary Shop\/Probe runs on the schedule cron\(0\/10 \* \* \* \? \*\), from which no slice can be read: give options.slice/);
    expect(Sli.canarySuccess(cron, { slice: Duration.minutes(10) }).bind().timeSlice?.sliceSeconds).toBe(600);
  });

  test('an imported canary needs options.slice, and takes it; its name is the dimension', () => {
    const stack = newStack();
    const imported = synthetics.Canary.fromCanaryName(stack, 'Probe', 'checkout-probe');
    expect(sloWith(Sli.canarySuccess(imported), stack)).toThrow(/Sli.canarySuccess: canary Shop\/Probe is imported, so its schedule is not known: give options.slice/);
    const b = Sli.canarySuccess(imported, { slice: Duration.minutes(1) }).bind();
    expect(metricsOf(b)).toEqual({ slice0: 'CloudWatchSynthetics SuccessPercent Average {CanaryName=checkout-probe}' });
  });

  test('a canary that runs once is refused', () => {
    const stack = newStack();
    expect(sloWith(Sli.canarySuccess(canary(stack, synthetics.Schedule.once())), stack)).toThrow(/runs once \(Schedule.once\(\)\), not repeatedly/);
  });

  describe('in the faithful evaluator (1-minute runs)', () => {
    const { model } = sloOn((s) => Sli.canarySuccess(canary(s, synthetics.Schedule.rate(Duration.minutes(1)))));

    test('a failing endpoint pages once 5 runs failed and the page clears after it recovers', () => {
      const timeline = AlertTimeline.of(model, episode('SuccessPercent', 10, 30, 0, 100), { minutes: 240 });
      expect(timeline.firstPage()).toBe(10 + 4 + 2 + 1);
      expect(timeline.intervals('page')[0].to).toBeDefined();
    });

    test('a canary that stops running pages: silence is not health', () => {
      expect(AlertTimeline.of(model, episode('SuccessPercent', 10, 60, undefined, 100), { minutes: 180 }).firstPage()).toBeDefined();
    });
  });
});

describe('Kinesis, ECS and canary preset input', () => {
  test.each([
    [() => Sli.streamFreshness(undefined as never), /Sli.streamFreshness: stream must be an IStream \(a Kinesis Stream, or Stream.fromStreamArn\(...\) \/ fromStreamAttributes\(...\)\), got undefined/],
    [() => Sli.streamFreshness(kinesis.Stream.fromStreamArn(newStack(), 'S', 'arn:aws:kinesis:eu-west-1:111111111111:stream/s'), { maxAge: Duration.millis(0) }), /Sli.streamFreshness: options.maxAge must be longer than 0, got 0 s/],
    [() => Sli.ecsServiceRunningTasks({ serviceName: 'api' } as never), /Sli.ecsServiceRunningTasks: service must be an ECS IBaseService.*\(without cluster, node\)/],
    [() => Sli.canarySuccess(null as never), /Sli.canarySuccess: canary must be an ICanary \(a Synthetics Canary, or Canary.fromCanaryName\(...\) \/ fromCanaryArn\(...\)\), got null/],
    [() => Sli.canarySuccess(canary(newStack()), { slice: 5 as never }), /Sli.canarySuccess: options.slice must be a Duration \(e.g. Duration.minutes\(5\)\), got 5 \(a number\)/],
  ])('bad input %# is refused, naming the SLO and the prop', (sli, message) => {
    expect(sloWith(sli())).toThrow(message);
  });
});
