import { Duration } from 'aws-cdk-lib';
import { IMetric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { describeMetric, MetricIds, metricPeriods, metricShape, withStatistic } from './metrics';
import { ISli, SliBinding } from './sli-definition';
import { formatDecimal } from '../private/format';
import { describeValue, quote } from '../private/describe';
import { readDuration } from '../private/duration-input';

/** The unit a latency metric is published in. */
export enum LatencyUnit {
  /** API Gateway `Latency`, Lambda `Duration`, Step Functions `ExecutionTime`. */
  MILLISECONDS = 'milliseconds',
  /** Application Load Balancer `TargetResponseTime`. */
  SECONDS = 'seconds',
}

/** Props of `Sli.latency`. */
export interface LatencySliProps {
  /**
   * A latency metric published as raw samples (not statistic sets), so that CloudWatch can count
   * the samples under a threshold (API Gateway `Latency`, ALB `TargetResponseTime`, Lambda
   * `Duration` and Step Functions `ExecutionTime` are). Give it without a statistic: the SLI reads
   * its `SampleCount` and `TC(:threshold)`, and any other statistic is refused. A period given
   * with it is not used: each alert window is the period.
   */
  readonly metric: IMetric;
  /** A request is good when it completes within this time (inclusive); at most 366 days. */
  readonly threshold: Duration;
  /**
   * The unit the metric is published in.
   * @default LatencyUnit.MILLISECONDS
   */
  readonly unit?: LatencyUnit;
  /**
   * What the SLI counts, for alarm descriptions.
   * @default - `Latency <= 300 ms`
   */
  readonly description?: string;
  /**
   * Whether the metric always has raw samples (AWS latency metrics, EMF, PutMetricData with
   * values): then a window with samples but no trimmed count had no fast request, and reads as
   * all slow, so an all-slow outage pages whichever way CloudWatch reports an empty trimmed count
   * (AWS does not document whether that is 0 or no datapoint). Set `false` for a metric published
   * (partly) as statistic sets, which have no trimmed count: windows without one are then left
   * unjudged instead of read as all slow — at the risk that, if CloudWatch omits an empty trimmed
   * count, an all-slow outage is unjudged too (its page clears while every request is slow).
   * @default true
   */
  readonly rawSamples?: boolean;
}

/** The longest threshold accepted: no AWS latency metric measures more (a Step Functions standard workflow runs at most a year). */
const MAX_THRESHOLD_DAYS = 366;
/** CloudWatch writes the bounds of trimmed statistics with at most 10 decimals ("CloudWatch statistics definitions"). */
const THRESHOLD_DECIMALS = 10;

/**
 * AWS metrics that count events (their samples are 1s, or counts per request), by namespace:
 * they cannot be latencies. Any metric of these namespaces whose name ends in `Count`, `Error(s)`
 * or `Throttles`, or starts with `HTTPCode_`, is treated the same way.
 */
const COUNT_METRICS: Record<string, readonly string[]> = {
  'AWS/ApiGateway': ['Count', '4XXError', '5XXError', '4xx', '5xx', 'CacheHitCount', 'CacheMissCount', 'DataProcessed'],
  'AWS/ApplicationELB': ['RequestCount', 'RequestCountPerTarget', 'HealthyHostCount', 'UnHealthyHostCount', 'ProcessedBytes', 'ConsumedLCUs'],
  'AWS/Lambda': ['Invocations', 'Errors', 'Throttles', 'DeadLetterErrors', 'DestinationDeliveryFailures', 'ConcurrentExecutions',
    'UnreservedConcurrentExecutions', 'ProvisionedConcurrencyInvocations', 'ProvisionedConcurrencySpilloverInvocations'],
  'AWS/States': ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsAborted', 'ExecutionsTimedOut', 'ExecutionThrottled',
    'ExecutionsRedriven'],
  'AWS/DynamoDB': ['ThrottledRequests', 'UserErrors', 'SystemErrors', 'ConditionalCheckFailedRequests', 'ConsumedReadCapacityUnits',
    'ConsumedWriteCapacityUnits', 'ReturnedItemCount'],
  'AWS/SQS': ['NumberOfMessagesSent', 'NumberOfMessagesReceived', 'NumberOfMessagesDeleted', 'NumberOfEmptyReceives',
    'ApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
};

/** Whether a metric is an AWS metric known to count events rather than measure time. */
function isCountMetric(namespace: string, name: string): boolean {
  if (!namespace.startsWith('AWS/')) {
    return false;
  }
  return (COUNT_METRICS[namespace] ?? []).includes(name) || /^HTTPCode_|(Count|Errors?|Throttles)$/.test(name);
}

/**
 * An SLI of requests faster than a threshold, from one latency metric with raw samples:
 * total = `SampleCount`, good = `TC(:threshold)` (CloudWatch's trimmed count, the samples at or
 * below the threshold), bad = total - good.
 *
 * CloudWatch computes trimmed counts only from raw samples ("Requirements to use percentiles,
 * trimmed mean, and some other statistics", docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html:
 * "CloudWatch needs raw data points to calculate ... Trimmed count").
 *
 * By default (`rawSamples: true`: AWS latency metrics, EMF, values published with PutMetricData)
 * a missing trimmed count in a window with samples can only mean that no sample was fast, and
 * reads so (fail loud): total = `FILL(total0, 0)`, bad = `FILL(total0, 0) - FILL(good0, 0)`. AWS
 * does not say whether a trimmed count with no sample in its range is 0 or no datapoint; either
 * way an all-slow outage pages.
 *
 * With `rawSamples: false` (a metric published, at least partly, as statistic sets, which give no
 * trimmed count) a window without a trimmed count is left unjudged, neither bad nor counted,
 * instead of read as all slow:
 *
 *   total = IF(FILL(good0, -1) >= 0, FILL(total0, 0), 0)
 *   bad   = IF(FILL(good0, -1) >= 0, FILL(total0, 0) - FILL(good0, 0), 0)
 *
 * The price: if CloudWatch omits an empty trimmed count, an all-slow window is unjudged too, and
 * the page clears while every request is still slow.
 *
 * Requests that never produced a sample (refused or dropped before the timer started) are not
 * seen: pair a latency SLO with an availability SLO.
 */
export class LatencySli implements ISli {
  public readonly kind = 'latency';

  constructor(private readonly props: LatencySliProps) {}

  public validate(): string[] {
    const problems: string[] = [];
    const p = this.props ?? ({} as LatencySliProps);
    if (!p.metric || typeof p.metric.toMetricConfig !== 'function') {
      problems.push('Sli.latency needs `metric`, a CloudWatch latency metric');
    } else if (metricShape(p.metric) !== 'metric') {
      problems.push('Sli.latency `metric` must be a single metric with raw samples, not a math or search expression (trimmed count needs the samples)');
    } else {
      const stat = p.metric.toMetricConfig().metricStat!;
      if (isCountMetric(stat.namespace, stat.metricName)) {
        problems.push(`Sli.latency \`metric\` ${stat.namespace} ${stat.metricName} counts events, it does not measure time: `
          + 'use Sli.ratio for counted events, or give a latency metric (API Gateway Latency, ALB TargetResponseTime, Lambda Duration, ...)');
      } else if (stat.statistic !== Stats.AVERAGE) {
        problems.push(`Sli.latency \`metric\` ${stat.namespace} ${stat.metricName} carries the statistic ${stat.statistic}, which the SLI would not use: `
          + 'it reads the metric\'s samples (SampleCount, and TC(:threshold) for the fast ones). Pass the metric without a statistic');
      }
    }
    const unit = p.unit ?? LatencyUnit.MILLISECONDS;
    if (unit !== LatencyUnit.MILLISECONDS && unit !== LatencyUnit.SECONDS) {
      problems.push(`Sli.latency \`unit\` must be LatencyUnit.MILLISECONDS or LatencyUnit.SECONDS, got ${typeof unit === 'string' ? quote(unit) : describeValue(unit)}`);
    }
    if (p.rawSamples !== undefined && typeof p.rawSamples !== 'boolean') {
      problems.push(`Sli.latency \`rawSamples\` must be true or false, got ${describeValue(p.rawSamples)}`);
    }
    if (p.description !== undefined && typeof p.description !== 'string') {
      problems.push(`Sli.latency \`description\` must be a string (it is shown in alarm descriptions and dashboards), got ${typeof p.description}`);
    }
    const threshold = p.threshold === undefined || p.threshold === null ? undefined
      : readDuration(p.threshold, { example: 'Duration.millis(300)', concreteBecause: 'the trimmed-count statistic is fixed at synth time' });
    if (threshold === undefined) {
      problems.push('Sli.latency needs `threshold`, a Duration such as Duration.millis(300)');
    } else if (!threshold.ok) {
      problems.push(`Sli.latency \`threshold\` ${threshold.problem}`);
    } else if (!(p.threshold.toMilliseconds({ integral: false }) > 0)) {
      problems.push(`Sli.latency \`threshold\` must be longer than 0, got ${p.threshold.toHumanString() || `${p.threshold.toMilliseconds({ integral: false })} ms`}`);
    } else if (p.threshold.toMilliseconds({ integral: false }) > MAX_THRESHOLD_DAYS * 86_400_000) {
      problems.push(`Sli.latency \`threshold\` must be at most ${MAX_THRESHOLD_DAYS} days (no AWS latency metric measures longer), got ${p.threshold.toHumanString()}`);
    } else if (unit === LatencyUnit.MILLISECONDS || unit === LatencyUnit.SECONDS) {
      const value = thresholdIn(p.threshold, unit);
      if (Number(value.toFixed(THRESHOLD_DECIMALS)) === 0) {
        problems.push(`Sli.latency \`threshold\` is ${formatDecimal(value)} ${unitSymbol(unit)}, below what CloudWatch statistics can write `
          + `(${THRESHOLD_DECIMALS} decimals of the metric's unit): give a longer threshold`);
      }
    }
    return problems;
  }

  /** The threshold in the metric's unit, as written in `TC(:x)` (at most 10 decimals, plain digits). */
  public get thresholdValue(): number {
    return Number(thresholdIn(this.props.threshold, this.props.unit ?? LatencyUnit.MILLISECONDS).toFixed(THRESHOLD_DECIMALS));
  }

  public bind(): SliBinding {
    const ids = new MetricIds();
    const total = ids.idFor('total', withStatistic(this.props.metric, Stats.SAMPLE_COUNT));
    const good = ids.idFor('good', withStatistic(this.props.metric, `TC(:${formatDecimal(this.thresholdValue)})`));
    const unit = this.props.unit ?? LatencyUnit.MILLISECONDS;
    // with raw samples, no trimmed count means no fast sample; without (rawSamples: false), a window
    // is judged only when its samples give a trimmed count (FILL(good, -1) >= 0)
    const judged = `FILL(${good}, -1) >= 0`;
    const slow = `FILL(${total}, 0) - FILL(${good}, 0)`;
    const periods = metricPeriods(this.props.metric);
    return {
      usingMetrics: ids.usingMetrics,
      badEvents: this.props.rawSamples !== false ? slow : `IF(${judged}, ${slow}, 0)`,
      totalEvents: this.props.rawSamples !== false ? `FILL(${total}, 0)` : `IF(${judged}, FILL(${total}, 0), 0)`,
      trafficEvents: `FILL(${total}, 0)`,
      metricCount: ids.metricCount,
      description: this.props.description ?? `${describeMetric(this.props.metric)} <= ${formatDecimal(this.thresholdValue)} ${unitSymbol(unit)}`,
      ...(periods.length > 0 ? { replacedPeriodSeconds: periods } : {}),
    };
  }
}

function thresholdIn(threshold: Duration, unit: LatencyUnit): number {
  const ms = threshold.toMilliseconds({ integral: false });
  return unit === LatencyUnit.SECONDS ? ms / 1000 : ms;
}

function unitSymbol(unit: LatencyUnit): string {
  return unit === LatencyUnit.SECONDS ? 's' : 'ms';
}
