/**
 * SLI presets for AWS Lambda functions.
 */
import { Duration } from 'aws-cdk-lib';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LatencySli, LatencyUnit } from '../latency';
import { RatioSli } from '../ratio';

/** Options of the Lambda latency preset. */
export interface LambdaLatencyOptions {
  /** An invocation is good when it ran within this time. */
  readonly threshold: Duration;
}

/**
 * Lambda availability: (`Errors` + `Throttles`) over (`Invocations` + `Throttles`) (namespace
 * AWS/Lambda, dimension FunctionName). "Invocations aren't recorded if the invocation request is
 * throttled or otherwise results in an invocation error" ("Types of metrics for Lambda
 * functions", docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), so throttles
 * are added to the total as well as to the bad events (the shared metric is read once), and a
 * window of throttles only reads as 100 % errors. Invocation errors other than throttling (the
 * function could not be started at all) are in neither metric: this SLI cannot see them, count
 * them at the caller. Errors are timestamped when the invocation started.
 */
export function lambdaAvailability(fn: IFunction): RatioSli {
  const throttles = fn.metricThrottles();
  return new RatioSli({
    badMetrics: [fn.metricErrors(), throttles],
    totalMetrics: [fn.metricInvocations(), throttles],
    description: `Errors + Throttles over Invocations + Throttles of function ${fn.node.id}`,
  });
}

/** Lambda latency: share of invocations whose `Duration` (ms) is within the threshold (a timed-out invocation's Duration is its timeout). */
export function lambdaLatency(fn: IFunction, options: LambdaLatencyOptions): LatencySli {
  return new LatencySli({ metric: fn.metricDuration(), threshold: options?.threshold, unit: LatencyUnit.MILLISECONDS });
}

/**
 * Lambda asynchronous invocations: `AsyncEventsDropped` over `AsyncEventsReceived` (both `Sum`,
 * namespace AWS/Lambda, dimension FunctionName). "Types of metrics for Lambda functions",
 * asynchronous invocation metrics (docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html):
 * `AsyncEventsReceived` counts the events Lambda queued for the function, `AsyncEventsDropped` the
 * events dropped without the function running successfully (retries and maximum event age
 * exhausted, zero reserved concurrency, …); an event sent to an on-failure destination or
 * dead-letter queue is dropped as well and counts as bad: it was not processed.
 *
 * `DestinationDeliveryFailures` and `DeadLetterErrors` are not added: they count failed attempts to
 * deliver an event that was already dropped (a second failure of the same event), and
 * `DestinationDeliveryFailures` also counts on-success destinations and stream event sources. Alarm
 * on them separately if losing the failed event's record matters.
 *
 * An event is dropped up to 6 hours (the maximum event age) after it was received, so a window's
 * drops may belong to events received in earlier windows: a window of drops without receipts reads
 * as 100 % bad (the alarms divide by the larger of the two). Events that Lambda refused to queue
 * (the caller got an error) are in neither metric. Event source mappings (SQS, Kinesis, DynamoDB
 * streams) are not asynchronous invocations and are not counted. Their partial batch failures
 * (`batchItemFailures`) have no metric of their own in Lambda's metric list (the opt-in event source
 * mapping metrics, `MetricsConfig` `EventCount`, count events per mapping, not failed batch items):
 * use the source's SLIs (`queueFreshness`, `streamFreshness`, `deadLetterQueueEmpty`).
 */
export function lambdaAsyncAvailability(fn: IFunction): RatioSli {
  return new RatioSli({
    bad: fn.metric('AsyncEventsDropped', { statistic: Stats.SUM }),
    total: fn.metric('AsyncEventsReceived', { statistic: Stats.SUM }),
    description: `AsyncEventsDropped over AsyncEventsReceived of function ${fn.node.id}`,
  });
}
