/**
 * RELIABILITY-008 on SQS queues (dead-letter queues told apart), Kinesis streams, ECS services and
 * Synthetics canaries: each without an SLO is reported with the preset that covers it, and that
 * preset covers it; a function invoked asynchronously is told to add the asynchronous preset.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Sli } from '../../lib';
import { coverageFindings } from './helpers';

const unrelated = () => Sli.ratio({ bad: new Metric({ namespace: 'Shop', metricName: 'Errors' }), total: new Metric({ namespace: 'Shop', metricName: 'Requests' }) });

function queues(stack: Stack) {
  const dlq = new sqs.Queue(stack, 'OrdersDlq');
  const queue = new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
  return { queue, dlq };
}

function service(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest') });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  return new ecs.FargateService(stack, 'Api', { cluster, taskDefinition });
}

function canary(stack: Stack) {
  return new synthetics.Canary(stack, 'Probe', {
    schedule: synthetics.Schedule.rate(Duration.minutes(1)),
    runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_9_1,
    test: synthetics.Test.custom({ code: synthetics.Code.fromInline('exports.handler = async () => {};'), handler: 'index.handler' }),
  });
}

describe('RELIABILITY-008 on queues, streams, ECS services and canaries', () => {
  test('each one no SLO reads is reported with the preset that covers it; a dead-letter queue with its own', () => {
    const findings = coverageFindings((stack) => {
      queues(stack);
      new kinesis.Stream(stack, 'Clicks');
      service(stack);
      canary(stack);
      return [unrelated()];
    });
    const about = (what: string) => findings.filter((f) => f.includes(what));
    expect(about('Shop/OrdersDlq ')).toEqual([expect.stringMatching(/^\[slo-coverage\] SQS dead-letter queue Shop\/OrdersDlq \(OrdersDlq\w+\) is not covered by any SLO: no SLI reads a metric with its QueueName dimension\. Add an SLO \(e\.g\. Sli\.deadLetterQueueEmpty\(deadLetterQueue\)\)/)]);
    expect(about('Shop/Orders ')).toEqual([expect.stringMatching(/^\[slo-coverage\] SQS queue Shop\/Orders \(Orders\w+\) .*QueueName dimension\. Add an SLO \(e\.g\. Sli\.queueFreshness\(queue\)\)/)]);
    expect(about('Shop/Clicks ')).toEqual([expect.stringMatching(/^\[slo-coverage\] Kinesis stream Shop\/Clicks .*StreamName dimension\. Add an SLO \(e\.g\. Sli\.streamFreshness\(stream\)\)/)]);
    expect(about('Shop/Api/Service ')).toEqual([expect.stringMatching(/^\[slo-coverage\] ECS service Shop\/Api\/Service .*ServiceName dimension\. Add an SLO \(e\.g\. Sli\.ecsServiceRunningTasks\(service\), with Container Insights on its cluster\)/)]);
    expect(about('Shop/Probe ')).toEqual([expect.stringMatching(/^\[slo-coverage\] Synthetics canary Shop\/Probe .*CanaryName dimension\. Add an SLO \(e\.g\. Sli\.canarySuccess\(canary\)\)/)]);
  });

  test('the presets cover what they read', () => {
    const findings = coverageFindings((stack) => {
      const { queue, dlq } = queues(stack);
      return [
        Sli.queueFreshness(queue), Sli.deadLetterQueueEmpty(dlq), Sli.streamFreshness(new kinesis.Stream(stack, 'Clicks')),
        Sli.ecsServiceRunningTasks(service(stack)), Sli.canarySuccess(canary(stack)),
      ];
    });
    expect(findings).toEqual([]);
  });

  test('a function an SNS topic invokes asynchronously is told to add Sli.lambdaAsyncAvailability; lambdaAsyncAvailability covers it', () => {
    const build = (stack: Stack) => {
      const fn = new lambda.Function(stack, 'Resize', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
      new sns.Topic(stack, 'Uploads').addSubscription(new subscriptions.LambdaSubscription(fn));
      fn.configureAsyncInvoke({ retryAttempts: 1 });
      return fn;
    };
    expect(coverageFindings((stack) => { build(stack); return [unrelated()]; })).toEqual([
      expect.stringMatching(/^\[slo-coverage\] Lambda function Shop\/Resize .*Add an SLO \(e\.g\. Sli\.lambdaAvailability\(fn\), and Sli\.lambdaAsyncAvailability\(fn\) for its asynchronous invocations \(sns\.amazonaws\.com, EventInvokeConfig\)\)/),
    ]);
    expect(coverageFindings((stack) => [Sli.lambdaAsyncAvailability(build(stack))])).toEqual([]);
  });
});
