/**
 * The Lambda event source mapping preset: FailedInvokeEventCount over InvokedEventCount by
 * EventSourceMappingUUID, the burn rate it gives, the alarms it synthesizes, how the faithful
 * evaluator pages on failed batches, and the refusal of a mapping that publishes no event counts.
 */
import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ReliableService, Sli } from '../../lib';
import { AlertTimeline } from '../../lib/simulation/outcome';
import { newStack } from '../service/helpers';
import { burnRate, metricsOf, sloOn, windowAlarm } from './helpers';

const EVENT_COUNT = { metrics: [lambda.MetricType.EVENT_COUNT] };

const consumer = (stack: Stack) => new lambda.Function(stack, 'Consumer', {
  runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>({batchItemFailures:[]})'),
});

/** A queue consumer added with fn.addEventSource, and the mapping the preset takes for it. */
function sqsConsumer(stack: Stack, metrics: 'event-count' | 'none' = 'event-count') {
  const source = new SqsEventSource(new sqs.Queue(stack, 'OrderEvents'), { reportBatchItemFailures: true, metricsConfig: metrics === 'event-count' ? EVENT_COUNT : undefined });
  consumer(stack).addEventSource(source);
  return { source, mapping: lambda.EventSourceMapping.fromEventSourceMappingId(stack, 'OrdersMapping', source.eventSourceMappingId) };
}

/** The AWS::Lambda::EventSourceMapping of the stack. */
const cfnMapping = (stack: Stack) => stack.node.findAll().find((c): c is lambda.CfnEventSourceMapping => c instanceof lambda.CfnEventSourceMapping)!;

/**
 * Builds the SLO (`after` then changes the app further) and synthesizes the app: the mapping's
 * configuration is checked at synth, once the app is complete.
 */
const sloWith = (build: (stack: Stack) => ReturnType<typeof Sli.eventSourceMappingAvailability>, after: (stack: Stack) => void = () => undefined) => () => {
  const stack = newStack();
  new ReliableService(stack, 'Svc', { serviceName: 'svc', dashboard: false, slos: [{ name: 'slo', objective: 99.9, sli: build(stack) }] });
  after(stack);
  (stack.node.root as App).synth();
};

describe('Sli.eventSourceMappingAvailability', () => {
  test('reads FailedInvokeEventCount (Sum) over InvokedEventCount (Sum) by EventSourceMappingUUID', () => {
    const stack = newStack();
    const b = Sli.eventSourceMappingAvailability(lambda.EventSourceMapping.fromEventSourceMappingId(stack, 'Mapping', 'a1b2c3d4-5678-90ab-cdef-111111111111')).bind();
    expect(metricsOf(b)).toEqual({
      bad0: 'AWS/Lambda FailedInvokeEventCount Sum {EventSourceMappingUUID=a1b2c3d4-5678-90ab-cdef-111111111111}',
      total0: 'AWS/Lambda InvokedEventCount Sum {EventSourceMappingUUID=a1b2c3d4-5678-90ab-cdef-111111111111}',
    });
    expect(b.description).toBe('FailedInvokeEventCount over InvokedEventCount of event source mapping Mapping');
  });

  test('1 failed event in 1000 invoked burns at 1, 1 in 100 at 10; failed invocations that never reached the function read as all bad', () => {
    const b = Sli.eventSourceMappingAvailability(lambda.EventSourceMapping.fromEventSourceMappingId(newStack(), 'Mapping', 'uuid')).bind();
    expect(burnRate(b, { bad0: 1, total0: 1000 })).toBeCloseTo(1);
    expect(burnRate(b, { bad0: 10, total0: 1000 })).toBeCloseTo(10);
    expect(burnRate(b, { bad0: 5, total0: 0 })).toBeCloseTo(1000);
  });

  test('for fn.addEventSource(new SqsEventSource(queue)), the alarms read the mapping the source created, by its reference', () => {
    const { template, stack } = sloOn((s) => Sli.eventSourceMappingAvailability(sqsConsumer(s).mapping));
    const mappingId = stack.resolve(cfnMapping(stack).ref);
    const metrics = windowAlarm(template, 'page-1h-5m-long').Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
    expect(metrics).toHaveLength(2);
    expect(metrics).toEqual(expect.arrayContaining([
      { Metric: { Namespace: 'AWS/Lambda', MetricName: 'FailedInvokeEventCount', Dimensions: [{ Name: 'EventSourceMappingUUID', Value: mappingId }] }, Period: 3600, Stat: 'Sum' },
      { Metric: { Namespace: 'AWS/Lambda', MetricName: 'InvokedEventCount', Dimensions: [{ Name: 'EventSourceMappingUUID', Value: mappingId }] }, Period: 3600, Stat: 'Sum' },
    ]));
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { MetricsConfig: { Metrics: ['EventCount'] }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  test('an EventSourceMapping construct is taken as it is, and a Kinesis source through its mapping id', () => {
    expect(sloWith((stack) => Sli.eventSourceMappingAvailability(new lambda.EventSourceMapping(stack, 'Mapping', {
      target: consumer(stack), eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:orders', metricsConfig: EVENT_COUNT,
    })))).not.toThrow();
    expect(sloWith((stack) => {
      const source = new KinesisEventSource(new kinesis.Stream(stack, 'Clicks'), { startingPosition: lambda.StartingPosition.LATEST, metricsConfig: EVENT_COUNT });
      consumer(stack).addEventSource(source);
      return Sli.eventSourceMappingAvailability(lambda.EventSourceMapping.fromEventSourceMappingId(stack, 'ClicksMapping', source.eventSourceMappingId));
    })).not.toThrow();
  });

  test('in the faithful evaluator, a consumer failing every batch for an hour pages within 5 minutes and a healthy one never alerts', () => {
    const { model } = sloOn((s) => Sli.eventSourceMappingAvailability(lambda.EventSourceMapping.fromEventSourceMappingId(s, 'Mapping', 'uuid')), 99.9);
    // with EventCount on, Lambda publishes both counts every minute it polls; failures are 0 while healthy
    const failing = (from: number, minutes: number) => (metric: { metricName: string }, minute: number) => {
      const during = minute >= from && minute < from + minutes;
      return metric.metricName === 'InvokedEventCount' ? 100 : during ? 100 : 0;
    };
    const outage = AlertTimeline.of(model, failing(10, 60), { minutes: 240 });
    expect(outage.firstPage()).toBeGreaterThanOrEqual(10);
    expect(outage.firstPage()).toBeLessThanOrEqual(15);
    const healthy = AlertTimeline.of(model, failing(0, 0), { minutes: 1_500 });
    expect(healthy.intervals('page')).toEqual([]);
    expect(healthy.intervals('ticket')).toEqual([]);
  });

  test('a mapping of the app without MetricsConfig EventCount is refused with the fix: its metrics would never exist', () => {
    expect(sloWith((stack) => Sli.eventSourceMappingAvailability(sqsConsumer(stack, 'none').mapping))).toThrow(
      /Svc\/slo.*Sli\.eventSourceMappingAvailability: the event source mapping Shop\/Consumer\/SqsEventSource:ShopOrderEvents[0-9A-F]+\/Resource has no MetricsConfig, so Lambda publishes none of the metrics this SLI reads \(FailedInvokeEventCount, InvokedEventCount\) and its alarms could never fire\. Turn them on with metricsConfig: \{ metrics: \[lambda\.MetricType\.EVENT_COUNT\] \}/s);
    expect(sloWith((stack) => Sli.eventSourceMappingAvailability(new lambda.EventSourceMapping(stack, 'Mapping', {
      target: consumer(stack), eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:orders',
    })))).toThrow(/the event source mapping Shop\/Mapping\/Resource has no MetricsConfig/);
  });

  test('MetricsConfig is read as rendered: an override that turns EventCount on is accepted, one that lists other groups only is refused', () => {
    const withOverride = (metrics: string[]) => sloWith((stack) => {
      const { mapping } = sqsConsumer(stack, 'none');
      cfnMapping(stack).addPropertyOverride('MetricsConfig.Metrics', metrics);
      return Sli.eventSourceMappingAvailability(mapping);
    });
    expect(withOverride(['EventCount'])).not.toThrow();
    expect(withOverride(['ErrorCount'])).toThrow(/has MetricsConfig\.Metrics \["ErrorCount"\], without EventCount/);
  });

  test('the mapping is checked at synth: MetricsConfig turned on after the SLO (override or property) is accepted, and removed after it is refused', () => {
    expect(sloWith((stack) => Sli.eventSourceMappingAvailability(sqsConsumer(stack, 'none').mapping),
      (stack) => cfnMapping(stack).addPropertyOverride('MetricsConfig.Metrics', ['EventCount']))).not.toThrow();
    expect(sloWith((stack) => Sli.eventSourceMappingAvailability(sqsConsumer(stack, 'none').mapping),
      (stack) => { cfnMapping(stack).metricsConfig = { metrics: ['EventCount'] }; })).not.toThrow();
    expect(sloWith((stack) => Sli.eventSourceMappingAvailability(sqsConsumer(stack).mapping),
      (stack) => cfnMapping(stack).addPropertyDeletionOverride('MetricsConfig')))
      .toThrow(/\[Shop\/Svc\/slo\] Shop\/Svc\/slo: sli: Sli\.eventSourceMappingAvailability: the event source mapping Shop\/Consumer\/SqsEventSource:ShopOrderEvents[0-9A-F]+\/Resource has no MetricsConfig.*metricsConfig: \{ metrics: \[lambda\.MetricType\.EVENT_COUNT\] \}/s);
  });

  test('the check leaves the mapping\'s other properties unresolved: a Lazy filter completed after the SLO is in the template', () => {
    const stack = newStack();
    const filters: Array<{ pattern: string }> = [];
    const mapping = new lambda.EventSourceMapping(stack, 'Mapping', {
      target: consumer(stack), eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:orders', metricsConfig: EVENT_COUNT,
    });
    (mapping.node.defaultChild as lambda.CfnEventSourceMapping).filterCriteria = { filters: Lazy.any({ produce: () => filters.map((f) => ({ ...f })) }) };
    new ReliableService(stack, 'Svc', { serviceName: 'svc', dashboard: false, slos: [{ name: 'slo', objective: 99.9, sli: Sli.eventSourceMappingAvailability(mapping) }] });
    filters.push({ pattern: '{"body":{"kind":["order"]}}' });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"kind":["order"]}}' }] },
    });
  });

  test('a mapping of an Amazon MQ broker or a DocumentDB cluster is refused at synth: Lambda publishes no event counts for them, lambdaAvailability is the fix', () => {
    const mapping = (stack: Stack, eventSourceArn: string) => new lambda.EventSourceMapping(stack, 'Mapping', {
      target: consumer(stack), eventSourceArn, metricsConfig: EVENT_COUNT, startingPosition: lambda.StartingPosition.LATEST,
    });
    expect(sloWith((stack) => Sli.eventSourceMappingAvailability(mapping(stack, 'arn:aws:mq:eu-west-1:123456789012:broker:orders:b-1234')))).toThrow(
      /Shop\/Svc\/slo: sli: Sli\.eventSourceMappingAvailability: the event source mapping Shop\/Mapping\/Resource reads the Amazon MQ broker arn:aws:mq:eu-west-1:123456789012:broker:orders:b-1234, for which Lambda publishes no event source mapping metrics .*Use Sli\.lambdaAvailability\(fn\) on the mapping's function instead/s);
    expect(sloWith((stack) => Sli.eventSourceMappingAvailability(mapping(stack, 'arn:aws:rds:eu-west-1:123456789012:cluster:docs')))).toThrow(
      /reads the Amazon DocumentDB cluster arn:aws:rds:eu-west-1:123456789012:cluster:docs, for which Lambda publishes no event source mapping metrics/);
  });

  test('a mapping known only by its UUID is not checked: its configuration is not in the app', () => {
    expect(sloWith((stack) => Sli.eventSourceMappingAvailability(lambda.EventSourceMapping.fromEventSourceMappingId(stack, 'Mapping', 'a1b2c3d4')))).not.toThrow();
  });

  test('a UUID with surrounding whitespace is refused: Lambda never publishes such a dimension value', () => {
    expect(sloWith((stack) => Sli.eventSourceMappingAvailability(lambda.EventSourceMapping.fromEventSourceMappingId(stack, 'Mapping', ' a1b2c3d4'))))
      .toThrow(/Sli\.eventSourceMappingAvailability: mapping\.eventSourceMappingId \(dimension EventSourceMappingUUID\) must not start or end with whitespace/);
  });

  test('a bad mapping is refused, naming the SLO and how to get the mapping of an event source', () => {
    expect(sloWith(() => Sli.eventSourceMappingAvailability({} as never)))
      .toThrow(/Svc\/slo.*Sli\.eventSourceMappingAvailability: mapping must be an IEventSourceMapping .*EventSourceMapping\.fromEventSourceMappingId\(scope, id, source\.eventSourceMappingId\)/s);
    // an event source not yet added to a function has no mapping
    expect(sloWith((stack) => Sli.eventSourceMappingAvailability(new SqsEventSource(new sqs.Queue(stack, 'Q')) as never)))
      .toThrow(/Sli\.eventSourceMappingAvailability: mapping\.eventSourceMappingId cannot be read: .*not yet bound/s);
  });
});
