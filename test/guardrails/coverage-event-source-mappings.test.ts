/**
 * RELIABILITY-008 on Lambda event source mappings: a mapping no SLO reads is reported once, with
 * the preset and how to get the mapping of fn.addEventSource(source); the preset covers it; the
 * queue and the function keep their own findings (one per resource, none repeated).
 */
import { Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Sli } from '../../lib';
import { coverageFindings } from './helpers';

const EVENT_COUNT = { metrics: [lambda.MetricType.EVENT_COUNT] };

/** A queue and a consumer of it through fn.addEventSource, with event counts on. */
function consumer(stack: Stack) {
  const queue = new sqs.Queue(stack, 'OrderEvents');
  const fn = new lambda.Function(stack, 'Consumer', {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>({batchItemFailures:[]})'),
  });
  const source = new SqsEventSource(queue, { reportBatchItemFailures: true, metricsConfig: EVENT_COUNT });
  fn.addEventSource(source);
  return { queue, fn, source };
}

describe('RELIABILITY-008 on event source mappings', () => {
  test('a mapping no SLO reads is reported once, with the preset, its metrics config and how to get the mapping of an event source', () => {
    const findings = coverageFindings((stack) => {
      const { queue, fn } = consumer(stack);
      return [Sli.queueFreshness(queue), Sli.lambdaAvailability(fn)];
    });
    expect(findings).toEqual([expect.stringMatching(new RegExp(
      '^\\[slo-coverage\\] Lambda event source mapping Shop/Consumer/SqsEventSource:ShopOrderEvents\\w+ \\(ConsumerSqsEventSource\\w+\\) is not covered by any SLO: '
      + 'no SLI reads a metric with its EventSourceMappingUUID dimension\\. Add an SLO \\(e\\.g\\. Sli\\.eventSourceMappingAvailability\\(mapping\\), '
      + 'with metricsConfig: \\{ metrics: \\[lambda\\.MetricType\\.EVENT_COUNT\\] \\} on the mapping; for fn\\.addEventSource\\(source\\), '
      + 'mapping = EventSourceMapping\\.fromEventSourceMappingId\\(this, id, source\\.eventSourceMappingId\\)\\)',
    ))]);
  });

  test('the function and the queue keep their own findings: each resource is reported once', () => {
    const findings = coverageFindings((stack) => {
      consumer(stack);
      return [Sli.ratio({ bad: new Metric({ namespace: 'Shop', metricName: 'Errors' }), total: new Metric({ namespace: 'Shop', metricName: 'Requests' }) })];
    });
    expect(findings.map((f) => f.replace(/ is not covered.*/s, '').replace(/ \(\w+\)$/, ''))).toEqual(expect.arrayContaining([
      '[slo-coverage] SQS queue Shop/OrderEvents',
      '[slo-coverage] Lambda function Shop/Consumer',
      expect.stringMatching(/^\[slo-coverage\] Lambda event source mapping Shop\/Consumer\/SqsEventSource:ShopOrderEvents\w+$/),
    ]));
    expect(findings).toHaveLength(3);
  });

  test('Sli.eventSourceMappingAvailability covers the mapping it reads, imported by the id of the event source or given as a construct', () => {
    expect(coverageFindings((stack) => {
      const { queue, fn, source } = consumer(stack);
      const mapping = lambda.EventSourceMapping.fromEventSourceMappingId(stack, 'OrderEventsMapping', source.eventSourceMappingId);
      return [Sli.queueFreshness(queue), Sli.lambdaAvailability(fn), Sli.eventSourceMappingAvailability(mapping)];
    })).toEqual([]);
    expect(coverageFindings((stack) => {
      const stream = new kinesis.Stream(stack, 'Clicks');
      const fn = new lambda.Function(stack, 'Consumer', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
      const mapping = new lambda.EventSourceMapping(stack, 'ClicksMapping', {
        target: fn, eventSourceArn: stream.streamArn, startingPosition: lambda.StartingPosition.LATEST, metricsConfig: EVENT_COUNT,
      });
      stream.grantRead(fn);
      return [Sli.streamFreshness(stream), Sli.lambdaAvailability(fn), Sli.eventSourceMappingAvailability(mapping)];
    })).toEqual([]);
  });

  test('a KinesisEventSource\'s mapping is a workload like any other', () => {
    const findings = coverageFindings((stack) => {
      const stream = new kinesis.Stream(stack, 'Clicks');
      const fn = new lambda.Function(stack, 'Consumer', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
      fn.addEventSource(new KinesisEventSource(stream, { startingPosition: lambda.StartingPosition.LATEST }));
      return [Sli.streamFreshness(stream), Sli.lambdaAvailability(fn)];
    });
    expect(findings).toEqual([expect.stringMatching(/^\[slo-coverage\] Lambda event source mapping Shop\/Consumer\/KinesisEventSource:ShopClicks\w+ .*Sli\.eventSourceMappingAvailability\(mapping\)/)]);
  });

  test('a mapping of an Amazon MQ broker or a DocumentDB cluster is reported with lambdaAvailability: Lambda publishes no event source mapping metrics for them', () => {
    const findings = coverageFindings((stack) => {
      const fn = new lambda.Function(stack, 'Consumer', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
      new lambda.EventSourceMapping(stack, 'Broker', { target: fn, eventSourceArn: 'arn:aws:mq:eu-west-1:123456789012:broker:orders:b-1234' });
      new lambda.EventSourceMapping(stack, 'Changes', { target: fn, eventSourceArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:docs', startingPosition: lambda.StartingPosition.LATEST });
      return [Sli.lambdaAvailability(fn)];
    });
    expect(findings).toEqual([
      expect.stringMatching(/Lambda event source mapping Shop\/Broker .*Add an SLO \(e\.g\. Sli\.lambdaAvailability\(fn\) on the mapping's function: it reads the Amazon MQ broker arn:aws:mq:eu-west-1:123456789012:broker:orders:b-1234, for which Lambda publishes no event source mapping metrics\)/),
      expect.stringMatching(/Lambda event source mapping Shop\/Changes .*Sli\.lambdaAvailability\(fn\) on the mapping's function: it reads the Amazon DocumentDB cluster arn:aws:rds:eu-west-1:123456789012:cluster:docs/),
    ]);
  });
});
