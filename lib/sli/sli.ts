import { IRestApi } from 'aws-cdk-lib/aws-apigateway';
import { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { IGraphqlApi } from 'aws-cdk-lib/aws-appsync';
import { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { IApplicationLoadBalancer, IApplicationTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IEventSourceMapping, IFunction } from 'aws-cdk-lib/aws-lambda';
import { IBaseService } from 'aws-cdk-lib/aws-ecs';
import { IStream } from 'aws-cdk-lib/aws-kinesis';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { ICanary } from 'aws-cdk-lib/aws-synthetics';
import { LatencySliProps, LatencySli } from './latency';
import * as apiGateway from './presets/api-gateway';
import * as applicationSignals from './presets/application-signals';
import * as appSync from './presets/appsync';
import * as cloudFront from './presets/cloudfront';
import * as dynamoDb from './presets/dynamodb';
import * as ecs from './presets/ecs';
import * as kinesis from './presets/kinesis';
import * as lambda from './presets/lambda';
import * as loadBalancer from './presets/load-balancer';
import * as sqs from './presets/sqs';
import * as stepFunctions from './presets/step-functions';
import * as synthetics from './presets/synthetics';
import { PresetSli } from './preset-sli';
import { RatioSli, RatioSliProps } from './ratio';
import { ISli } from './sli-definition';
import { TimeSliceSli, TimeSliceSliProps } from './time-slice';

/**
 * Factories for service level indicators.
 *
 * `ratio` and `latency` take any metrics; the presets take a resource and pick its metrics and
 * dimensions (docs/slis.md lists which metrics each reads).
 */
export class Sli {
  /**
   * Counted events: bad / total, or (total - good) / total. Each metric counts with `Sum` or
   * `SampleCount` as it says (`Average`, the CDK default, is read as `Sum`; other statistics are refused).
   */
  public static ratio(props: RatioSliProps): ISli {
    return new RatioSli(props);
  }

  /**
   * The share of requests at or under a latency threshold: `TC(:threshold)` / `SampleCount`, for a
   * metric with raw samples given without a statistic. Windows without a trimmed count are not judged.
   */
  public static latency(props: LatencySliProps): ISli {
    return new LatencySli(props);
  }

  /** API Gateway REST API: `5XXError` (`Sum`) / `Count` (`SampleCount`). */
  public static restApiAvailability(api: IRestApi, options?: apiGateway.ApiAvailabilityOptions): ISli {
    return new PresetSli('restApiAvailability', api, options, () => apiGateway.restApiAvailability(api, options));
  }

  /** API Gateway REST API: `Latency` (ms) at or under the threshold. */
  public static restApiLatency(api: IRestApi, options: apiGateway.ApiLatencyOptions): ISli {
    return new PresetSli('restApiLatency', api, options, () => apiGateway.restApiLatency(api, options));
  }

  /** API Gateway HTTP API: `5xx` (`Sum`) / `Count` (`SampleCount`). */
  public static httpApiAvailability(api: IHttpApi, options?: apiGateway.ApiAvailabilityOptions): ISli {
    return new PresetSli('httpApiAvailability', api, options, () => apiGateway.httpApiAvailability(api, options));
  }

  /** API Gateway HTTP API: `Latency` (ms) at or under the threshold. */
  public static httpApiLatency(api: IHttpApi, options: apiGateway.ApiLatencyOptions): ISli {
    return new PresetSli('httpApiLatency', api, options, () => apiGateway.httpApiLatency(api, options));
  }

  /**
   * Application Load Balancer: ELB and target 5XX / `RequestCount`; requests refused without a
   * target (ELB 503, not in `RequestCount`) count as errors.
   */
  public static loadBalancerAvailability(alb: IApplicationLoadBalancer): ISli {
    return new PresetSli('loadBalancerAvailability', alb, undefined, () => loadBalancer.loadBalancerAvailability(alb));
  }

  /** Application Load Balancer: `TargetResponseTime` (s) at or under the threshold. */
  public static loadBalancerLatency(alb: IApplicationLoadBalancer, options: loadBalancer.LoadBalancerLatencyOptions): ISli {
    return new PresetSli('loadBalancerLatency', alb, options, () => loadBalancer.loadBalancerLatency(alb, options));
  }

  /**
   * ALB target group: (target 5XX + `TargetConnectionErrorCount`) / `RequestCount`. Cannot see the
   * load balancer's 504s, other 502s and 503s (published per load balancer only).
   */
  public static targetGroupAvailability(targetGroup: IApplicationTargetGroup): ISli {
    return new PresetSli('targetGroupAvailability', targetGroup, undefined, () => loadBalancer.targetGroupAvailability(targetGroup));
  }

  /** ALB target group: `TargetResponseTime` (s) at or under the threshold. */
  public static targetGroupLatency(targetGroup: IApplicationTargetGroup, options: loadBalancer.LoadBalancerLatencyOptions): ISli {
    return new PresetSli('targetGroupLatency', targetGroup, options, () => loadBalancer.targetGroupLatency(targetGroup, options));
  }

  /** Lambda function: (`Errors` + `Throttles`) / (`Invocations` + `Throttles`). */
  public static lambdaAvailability(fn: IFunction): ISli {
    return new PresetSli('lambdaAvailability', fn, undefined, () => lambda.lambdaAvailability(fn));
  }

  /** Lambda function: `Duration` (ms) at or under the threshold. */
  public static lambdaLatency(fn: IFunction, options: lambda.LambdaLatencyOptions): ISli {
    return new PresetSli('lambdaLatency', fn, options, () => lambda.lambdaLatency(fn, options));
  }

  /** Step Functions state machine: failed + timed out + aborted / started executions. */
  public static stateMachineAvailability(stateMachine: IStateMachine): ISli {
    return new PresetSli('stateMachineAvailability', stateMachine, undefined, () => stepFunctions.stateMachineAvailability(stateMachine));
  }

  /**
   * DynamoDB table: `SystemErrors` (`Sum`) / (`SuccessfulRequestLatency` `SampleCount` +
   * `SystemErrors`), summed over 1 to 5 operations (dimensions TableName, Operation). Client
   * errors and throttles count neither way.
   */
  public static tableAvailability(table: ITable, options: dynamoDb.TableAvailabilityOptions): ISli {
    return new PresetSli('tableAvailability', table, options, () => dynamoDb.tableAvailability(table, options));
  }

  /** DynamoDB table: one operation's `SuccessfulRequestLatency` (ms) at or under the threshold. */
  public static tableLatency(table: ITable, options: dynamoDb.TableLatencyOptions): ISli {
    return new PresetSli('tableLatency', table, options, () => dynamoDb.tableLatency(table, options));
  }

  /** AppSync GraphQL API: `5XXError` (`Sum`) / `Requests` (`Sum`) (dimension GraphQLAPIId). */
  public static graphqlApiAvailability(api: IGraphqlApi): ISli {
    return new PresetSli('graphqlApiAvailability', api, undefined, () => appSync.graphqlApiAvailability(api));
  }

  /** AppSync GraphQL API: `Latency` (ms) at or under the threshold. */
  public static graphqlApiLatency(api: IGraphqlApi, options: appSync.GraphqlApiLatencyOptions): ISli {
    return new PresetSli('graphqlApiLatency', api, options, () => appSync.graphqlApiLatency(api, options));
  }

  /**
   * Application Signals service operation: `Fault` (`Sum`) / `Latency` `SampleCount` (namespace
   * `ApplicationSignals`, dimensions Environment, Service, Operation), as its Availability.
   */
  public static serviceOperationAvailability(options: applicationSignals.ServiceOperationOptions): ISli {
    return new PresetSli('serviceOperationAvailability', options, undefined, () => applicationSignals.serviceOperationAvailability(options));
  }

  /** Application Signals service operation: `Latency` (ms) at or under the threshold. */
  public static serviceOperationLatency(options: applicationSignals.ServiceOperationLatencyOptions): ISli {
    return new PresetSli('serviceOperationLatency', options, options, () => applicationSignals.serviceOperationLatency(options));
  }

  /**
   * CloudFront distribution: `5xxErrorRate` (`Average`, percent) × `Requests` (`Sum`) / 100 over
   * `Requests` (dimensions DistributionId, Region=Global). CloudFront publishes these metrics in
   * us-east-1 only: declare the SLO in a stack whose env is us-east-1. Exact while errors or
   * traffic are even within an alert window (the window's average rate times its requests); when
   * they move together it is off, assuming (not verified against AWS's documentation) one
   * `5xxErrorRate` sample a minute, and exact if CloudFront weights its samples by requests:
   * docs/slis.md gives the check.
   */
  public static distributionAvailability(distribution: IDistribution): ISli {
    return new PresetSli('distributionAvailability', distribution, undefined, () => cloudFront.distributionAvailability(distribution));
  }

  /**
   * Lambda asynchronous invocations: `AsyncEventsDropped` (`Sum`) / `AsyncEventsReceived` (`Sum`)
   * (dimension FunctionName). An event sent to an on-failure destination or dead-letter queue was
   * dropped and counts as bad; event source mappings (SQS, Kinesis) are not asynchronous invocations.
   */
  public static lambdaAsyncAvailability(fn: IFunction): ISli {
    return new PresetSli('lambdaAsyncAvailability', fn, undefined, () => lambda.lambdaAsyncAvailability(fn));
  }

  /**
   * Lambda event source mapping (SQS, Kinesis, DynamoDB streams, Kafka): `FailedInvokeEventCount`
   * (`Sum`) / `InvokedEventCount` (`Sum`) (dimension EventSourceMappingUUID). Failed invocations
   * and, with `reportBatchItemFailures`, events of a response with batch item failures count as
   * bad; each retry counts again on both sides; filtered-out events count in neither. Lambda
   * publishes these metrics only for a mapping with `metricsConfig: { metrics:
   * [lambda.MetricType.EVENT_COUNT] }`: a mapping of the app without it is refused at synth, as is
   * one of an Amazon MQ or DocumentDB source (no such metrics: use `lambdaAvailability(fn)`). For
   * `fn.addEventSource(source)`, pass `EventSourceMapping.fromEventSourceMappingId(this, 'Mapping',
   * source.eventSourceMappingId)`. Cannot see a disabled mapping (no metrics: `blindAlert`, or the
   * source's freshness). AWS's description of `FailedInvokeEventCount` does not name function
   * errors or throttles: a consumer that throws on every batch without `reportBatchItemFailures`
   * may read as good. Do not use it alone for such a consumer: pair it with
   * `lambdaAvailability(fn)` (and `streamFreshness` for a stream).
   */
  public static eventSourceMappingAvailability(mapping: IEventSourceMapping): ISli {
    return new PresetSli('eventSourceMappingAvailability', mapping, undefined, () => lambda.eventSourceMappingAvailability(mapping));
  }

  /**
   * SQS queue freshness (time slices): a minute is good when `ApproximateAgeOfOldestMessage`
   * (`Maximum`, dimension QueueName) is under `maxAge` (5 minutes unless given). A minute without
   * data is good: SQS publishes the age only while a message waits.
   */
  public static queueFreshness(queue: IQueue, options?: sqs.QueueFreshnessOptions): ISli {
    return new PresetSli('queueFreshness', queue, options, () => sqs.queueFreshness(queue, options));
  }

  /**
   * SQS dead-letter queue (time slices): a minute is good when `ApproximateNumberOfMessagesVisible`
   * (`Maximum`, dimension QueueName) is 0. Counts the minutes dead letters wait unhandled
   * (`NumberOfMessagesSent` does not count messages a redrive policy moves there). A minute without
   * data is good, and SQS publishes metrics only while a queue is active (AWS has described that as
   * up to six hours after the last action on it): dead letters left untouched for hours can stop
   * the metric, and the page then clears while they still wait. Acknowledge the page, do not wait
   * for it to clear.
   */
  public static deadLetterQueueEmpty(deadLetterQueue: IQueue): ISli {
    return new PresetSli('deadLetterQueueEmpty', deadLetterQueue, undefined, () => sqs.deadLetterQueueEmpty(deadLetterQueue));
  }

  /**
   * Kinesis data stream freshness (time slices): a minute is good when
   * `GetRecords.IteratorAgeMilliseconds` (`Maximum`, dimension StreamName) is under `maxAge`
   * (1 minute unless given). A minute without data is bad: no consumer called GetRecords.
   */
  public static streamFreshness(stream: IStream, options?: kinesis.StreamFreshnessOptions): ISli {
    return new PresetSli('streamFreshness', stream, options, () => kinesis.streamFreshness(stream, options));
  }

  /**
   * ECS service (time slices): a minute is good when `RunningTaskCount` (`Minimum`) ≥
   * `DesiredTaskCount` (`Maximum`) (namespace ECS/ContainerInsights, dimensions ClusterName,
   * ServiceName). Requires Container Insights on the cluster; a minute without data is bad.
   */
  public static ecsServiceRunningTasks(service: IBaseService): ISli {
    return new PresetSli('ecsServiceRunningTasks', service, undefined, () => ecs.ecsServiceRunningTasks(service));
  }

  /**
   * CloudWatch Synthetics canary (time slices of its run interval): a slice is good when
   * `SuccessPercent` (`Average`, dimension CanaryName) is 100. A slice without a run is bad.
   */
  public static canarySuccess(canary: ICanary, options?: synthetics.CanarySuccessOptions): ISli {
    return new PresetSli('canarySuccess', canary, options, () => synthetics.canarySuccess(canary, options));
  }

  /**
   * Good slices ("good minutes"): a slice is good when `metric`, aggregated over the slice with its
   * statistic, meets the condition (`ApproximateAgeOfOldestMessage` `Maximum` < 300); the objective
   * is the share of good slices. Each window alarm counts bad slices: M out of N datapoints with the
   * slice as the period. Windows over one day cannot be evaluated at slices under an hour (CloudWatch's
   * limit): such tiers are left out with a warning.
   */
  public static timeSlice(props: TimeSliceSliProps): ISli {
    return new TimeSliceSli(props);
  }

  private constructor() {}
}
