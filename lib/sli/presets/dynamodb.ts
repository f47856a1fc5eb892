/**
 * SLI presets for Amazon DynamoDB tables.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { ITable, Operation } from 'aws-cdk-lib/aws-dynamodb';
import { LatencySli, LatencyUnit } from '../latency';
import { RatioSli } from '../ratio';

/** Options of `Sli.tableAvailability`. */
export interface TableAvailabilityOptions {
  /**
   * The operations whose requests are counted, one to five (DynamoDB publishes its request and
   * error metrics per operation only, each operation reads two metrics, and a CloudWatch
   * metric-math alarm reads at most ten): the operations the service's customers wait on, such
   * as `[Operation.GET_ITEM, Operation.PUT_ITEM, Operation.QUERY]`.
   */
  readonly operations: Operation[];
}

/** Options of `Sli.tableLatency`. */
export interface TableLatencyOptions {
  /** The operation whose requests are timed (DynamoDB times each operation separately). */
  readonly operation: Operation;
  /** A request is good when DynamoDB answered it successfully within this time. */
  readonly threshold: Duration;
}

function tableMetric(table: ITable, metricName: string, operation: Operation, statistic?: string): Metric {
  return new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap: { TableName: table.tableName, Operation: operation }, statistic });
}

/**
 * Table availability: `SystemErrors` (`Sum`) over the requests, counted as the `SampleCount` of
 * `SuccessfulRequestLatency` plus `SystemErrors`, for each of the given operations (namespace
 * AWS/DynamoDB, dimensions TableName and Operation). "DynamoDB Metrics and dimensions"
 * (docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html): `SystemErrors`
 * are "requests to DynamoDB … that generate an HTTP 500 status code", dimensions TableName,
 * Operation; `SuccessfulRequestLatency` gives "the number of successful requests (SampleCount)",
 * dimensions TableName, Operation. Neither metric has a table-wide series, hence the operations.
 *
 * The request count counts successful requests only, so the system errors are added to the total
 * (the shared metric is read once): total = successful requests + system errors. Client errors are
 * in neither: `UserErrors` has no TableName dimension (it is the account's and Region's), throttled
 * requests (`ThrottledRequests`, an HTTP 400) and failed conditional checks
 * (`ConditionalCheckFailedRequests`) are the client's and count neither as good nor as bad.
 * Throttling caused by too little capacity is therefore not seen: add `ThrottledRequests` with
 * `Sli.ratio` if capacity is yours. DynamoDB publishes these metrics only while they are not zero
 * ("DynamoDB only sends metrics to CloudWatch when they have a non-zero value"); they are filled
 * with 0. Requests that never reached DynamoDB (network, credentials) are counted by the caller only.
 */
export function tableAvailability(table: ITable, options: TableAvailabilityOptions): RatioSli {
  const operations = options.operations;
  const errors = operations.map((op) => tableMetric(table, 'SystemErrors', op, Stats.SUM));
  return new RatioSli({
    badMetrics: errors,
    totalMetrics: [...operations.map((op) => tableMetric(table, 'SuccessfulRequestLatency', op, Stats.SAMPLE_COUNT)), ...errors],
    description: `SystemErrors over SuccessfulRequestLatency samples + SystemErrors of table ${table.node.id} (${operations.join(', ')})`,
  });
}

/**
 * Table latency: share of one operation's successful requests whose `SuccessfulRequestLatency`
 * (milliseconds, "the elapsed time for successful requests", measured inside DynamoDB: no network
 * or client time) is within the threshold (namespace AWS/DynamoDB, dimensions TableName and
 * Operation), read as `TC(:threshold)` over `SampleCount`. Failed requests (system errors,
 * throttles) have no sample: pair it with `tableAvailability`.
 */
export function tableLatency(table: ITable, options: TableLatencyOptions): LatencySli {
  return new LatencySli({
    metric: tableMetric(table, 'SuccessfulRequestLatency', options.operation),
    threshold: options.threshold,
    unit: LatencyUnit.MILLISECONDS,
  });
}
