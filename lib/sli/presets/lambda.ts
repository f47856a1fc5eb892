/**
 * SLI presets for AWS Lambda functions.
 */
import { Duration } from 'aws-cdk-lib';
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
