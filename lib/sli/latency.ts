import { Duration } from 'aws-cdk-lib';
import { IMetric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { formatDecimal } from '../slo/burn-rate';
import { describeInput, quote } from '../slo/validation';
import { describeMetric, MetricIds, metricShape, withStatistic } from './metrics';
import { ISli, SliBinding } from './sli-definition';

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
   * the samples under a threshold. Its statistic is ignored.
   */
  readonly metric: IMetric;
  /** A request is good when it completes within this time (inclusive). */
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
}

/**
 * An SLI of requests faster than a threshold: good = `TC(:threshold)` (CloudWatch's trimmed
 * count, the samples at or below the threshold), total = `SampleCount`, both of the same metric.
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
    }
    const unit = p.unit ?? LatencyUnit.MILLISECONDS;
    if (unit !== LatencyUnit.MILLISECONDS && unit !== LatencyUnit.SECONDS) {
      problems.push(`Sli.latency \`unit\` must be LatencyUnit.MILLISECONDS or LatencyUnit.SECONDS, got ${typeof unit === 'string' ? quote(unit) : describeInput(unit)}`);
    }
    if (p.description !== undefined && typeof p.description !== 'string') {
      problems.push(`Sli.latency \`description\` must be a string (it is shown in alarm descriptions and dashboards), got ${typeof p.description}`);
    }
    if (!p.threshold || typeof p.threshold.toMilliseconds !== 'function') {
      problems.push('Sli.latency needs `threshold`, a Duration such as Duration.millis(300)');
    } else if (p.threshold.isUnresolved()) {
      problems.push('Sli.latency `threshold` must be a concrete Duration, not a token: the trimmed-count statistic is fixed at synth time');
    } else if (!(p.threshold.toMilliseconds({ integral: false }) > 0)) {
      problems.push(`Sli.latency \`threshold\` must be longer than 0, got ${p.threshold.toHumanString() || `${p.threshold.toMilliseconds({ integral: false })} ms`}`);
    }
    return problems;
  }

  /** The threshold in the metric's unit. */
  public get thresholdValue(): number {
    const ms = this.props.threshold.toMilliseconds({ integral: false });
    return (this.props.unit ?? LatencyUnit.MILLISECONDS) === LatencyUnit.SECONDS ? ms / 1000 : ms;
  }

  public bind(): SliBinding {
    const ids = new MetricIds();
    const total = ids.idFor('total', withStatistic(this.props.metric, Stats.SAMPLE_COUNT));
    const good = ids.idFor('good', withStatistic(this.props.metric, `TC(:${formatDecimal(this.thresholdValue)})`));
    const unit = (this.props.unit ?? LatencyUnit.MILLISECONDS) === LatencyUnit.SECONDS ? 's' : 'ms';
    return {
      usingMetrics: ids.usingMetrics,
      badEvents: `(${total} - FILL(${good}, 0))`,
      totalEvents: total,
      metricCount: ids.metricCount,
      description: this.props.description ?? `${describeMetric(this.props.metric)} <= ${formatDecimal(this.thresholdValue)} ${unit}`,
    };
  }
}
