/**
 * The SQS presets: queue freshness (age of the oldest message per minute, a minute without data good)
 * and dead letters (visible messages in the dead-letter queue per minute); their metrics,
 * statistics and dimensions as AWS documents them, the alarms they synthesize, how the faithful
 * evaluator pages on them, and bad input.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ISli, ReliableService, Sli } from '../../lib';
import { AlertTimeline } from '../../lib/simulation/outcome';
import { newStack } from '../service/helpers';
import { episode, metricsOf, sloOn, windowAlarm } from './helpers';

const queue = (stack: Stack) => sqs.Queue.fromQueueArn(stack, 'Orders', 'arn:aws:sqs:eu-west-1:111111111111:orders');
const sloWith = (sli: ISli, stack = newStack()) => () => new ReliableService(stack, 'Svc', {
  serviceName: 'svc', dashboard: false, slos: [{ name: 'slo', objective: 99.5, sli }],
});

describe('Sli.queueFreshness', () => {
  test('reads ApproximateAgeOfOldestMessage (Maximum) by QueueName, good under 5 minutes, a minute without data good', () => {
    const b = Sli.queueFreshness(queue(newStack())).bind();
    expect(metricsOf(b)).toEqual({ slice0: 'AWS/SQS ApproximateAgeOfOldestMessage Maximum {QueueName=orders}' });
    expect(b.timeSlice).toEqual({ sliceSeconds: 60, badSlice: 'IF(slice0 < 300, 0, 1)', missingSliceIsBad: false, metricId: 'slice0', comparison: '<', threshold: 300 });
    expect(b.description).toBe('minutes in which the oldest message of queue Orders is younger than 5m (ApproximateAgeOfOldestMessage Maximum), a minute without data good');
  });

  test('maxAge sets the threshold in seconds', () => {
    expect(Sli.queueFreshness(queue(newStack()), { maxAge: Duration.seconds(90) }).bind().timeSlice?.badSlice).toBe('IF(slice0 < 90, 0, 1)');
  });

  test('the window alarms count bad minutes of the queue by its reference, missing minutes not breaching', () => {
    const { template } = sloOn((s) => Sli.queueFreshness(new sqs.Queue(s, 'Queue')));
    expect(windowAlarm(template, 'page-1h-5m-long')).toMatchObject({
      EvaluationPeriods: 60, DatapointsToAlarm: 5, TreatMissingData: 'notBreaching',
      Metrics: expect.arrayContaining([expect.objectContaining({
        MetricStat: { Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.stringMatching(/^Queue/), 'QueueName'] } }] }, Period: 60, Stat: 'Maximum' },
      })]),
    });
  });

  describe('in the faithful evaluator (99.5 % of minutes, 2 minutes of ingestion delay)', () => {
    const { model } = sloOn((s) => Sli.queueFreshness(new sqs.Queue(s, 'Queue')));
    const age = (from: number, minutes: number, during: number | undefined) => episode('ApproximateAgeOfOldestMessage', from, minutes, during, 20);

    test('a consumer that stops for 20 minutes with a steady producer pages once 5 minutes are stale', () => {
      // the oldest message crosses 5 minutes 5 minutes after the consumer stopped
      const timeline = AlertTimeline.of(model, age(5, 15, 900), { minutes: 180 });
      expect(timeline.firstPage()).toBe(5 + 4 + 2 + 1);
      expect(timeline.pageHeldThrough(19)).toBe(true);
    });

    test('an empty queue, whose age SQS does not publish, never alerts', () => {
      const timeline = AlertTimeline.of(model, age(0, 1_500, undefined), { minutes: 1_500 });
      expect(timeline.intervals('page')).toEqual([]);
      expect(timeline.intervals('ticket')).toEqual([]);
    });

    test('a short backlog of 3 minutes does not page: the budget allows 4 stale minutes an hour', () => {
      expect(AlertTimeline.of(model, age(30, 3, 600), { minutes: 180 }).intervals('page')).toEqual([]);
    });
  });
});

describe('Sli.deadLetterQueueEmpty', () => {
  test('reads ApproximateNumberOfMessagesVisible (Maximum) of the dead-letter queue, good at 0, a minute without data good', () => {
    const b = Sli.deadLetterQueueEmpty(queue(newStack())).bind();
    expect(metricsOf(b)).toEqual({ slice0: 'AWS/SQS ApproximateNumberOfMessagesVisible Maximum {QueueName=orders}' });
    expect(b.timeSlice).toEqual({ sliceSeconds: 60, badSlice: 'IF(slice0 <= 0, 0, 1)', missingSliceIsBad: false, metricId: 'slice0', comparison: '<=', threshold: 0 });
  });

  test('does not read NumberOfMessagesSent, which misses messages a redrive policy moves', () => {
    const { template } = sloOn((s) => {
      const dlq = new sqs.Queue(s, 'Dlq');
      new sqs.Queue(s, 'Queue', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
      return Sli.deadLetterQueueEmpty(dlq);
    });
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .flatMap((a) => (a.Properties.Metrics ?? []).filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName));
    expect(new Set(names)).toEqual(new Set(['ApproximateNumberOfMessagesVisible']));
    expect(windowAlarm(template, 'page-1h-5m-long')).toMatchObject({ TreatMissingData: 'notBreaching' });
  });

  describe('in the faithful evaluator', () => {
    const { model } = sloOn((s) => Sli.deadLetterQueueEmpty(new sqs.Queue(s, 'Dlq')));
    const visible = (from: number, minutes: number, during: number | undefined) => episode('ApproximateNumberOfMessagesVisible', from, minutes, during, 0);

    test('a dead letter left unhandled pages after 5 minutes and clears once the queue is redriven', () => {
      const timeline = AlertTimeline.of(model, visible(10, 40, 1), { minutes: 240 });
      expect(timeline.firstPage()).toBe(10 + 4 + 2 + 1);
      expect(timeline.pageHeldThrough(49)).toBe(true);
      expect(timeline.intervals('page')[0].to).toBeDefined();
    });

    test('a dead letter redriven within 3 minutes does not page', () => {
      expect(AlertTimeline.of(model, visible(10, 3, 2), { minutes: 180 }).intervals('page')).toEqual([]);
    });

    test('an inactive dead-letter queue, which publishes nothing, never alerts', () => {
      expect(AlertTimeline.of(model, visible(0, 1_500, undefined), { minutes: 1_500 }).intervals('ticket')).toEqual([]);
    });
  });
});

describe('SQS preset input', () => {
  test.each([
    [() => Sli.queueFreshness(undefined as never), /Sli.queueFreshness: queue must be an IQueue \(a Queue, or Queue.fromQueueArn\(...\) \/ fromQueueAttributes\(...\)\), got undefined/],
    [() => Sli.queueFreshness(queue(newStack()), { maxAge: 300 as never }), /Sli.queueFreshness: options.maxAge must be a Duration \(e.g. Duration.minutes\(5\)\), got 300 \(a number\)/],
    [() => Sli.queueFreshness(queue(newStack()), { maxAge: Duration.seconds(0) }), /options.maxAge must be longer than 0, got 0 s/],
    [() => Sli.deadLetterQueueEmpty({ queueName: 'x' } as never), /Sli.deadLetterQueueEmpty: deadLetterQueue must be an IQueue.*\(without node\)/],
  ])('bad input %# is refused, naming the SLO and the prop', (sli, message) => {
    expect(sloWith(sli())).toThrow(message);
  });

  test('a queue name with a trailing space is refused, naming the prop', () => {
    const stack = newStack();
    const q = sqs.Queue.fromQueueAttributes(stack, 'Q', { queueArn: 'arn:aws:sqs:eu-west-1:111111111111:orders', queueName: 'orders ' });
    expect(sloWith(Sli.queueFreshness(q), stack)).toThrow('Sli.queueFreshness: queue.queueName (dimension QueueName) must not start or end with whitespace');
  });
});
