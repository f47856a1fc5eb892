/**
 * The time-slice SLI ("good minutes"): the SRE Workbook's and OpenSLO's `Timeslices`, CloudWatch
 * Application Signals' period-based SLIs. A slice (a minute by default) is good when a condition
 * on one metric, aggregated over the slice with the metric's statistic, holds (the age of the
 * oldest message `Maximum` < 300 s); the objective is the share of good slices over the SLO window.
 *
 * ## How the alarms count bad slices
 *
 * Metric math cannot add up a per-minute expression over a longer period: every metric of a math
 * alarm is read with the alarm's period ("Alarms on math expressions", "Using Amazon CloudWatch
 * alarms", docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html: "Each
 * metric must be using the same period"), so a 1-hour alarm would see one `Maximum` over the hour,
 * not how many of its minutes were bad. An alarm counts datapoints instead: with Period = slice,
 * Evaluation Periods = N and Datapoints to Alarm = M it goes into ALARM when M of its last N
 * datapoints breach ("Evaluating an alarm", same page: "Datapoints to Alarm is the number of data
 * points within the Evaluation Periods that must be breaching to cause the alarm to go to the ALARM
 * state"). Each window alarm of a tier is such an M-out-of-N alarm on the per-slice expression
 *
 *   bad slice = IF(metric <condition> threshold, 0, 1),  breaching when > 0
 *
 * ("Metric math syntax and functions", docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html:
 * comparison operators yield 1 or 0, `IF(condition, trueValue, falseValue)`).
 *
 * A window of W seconds holds N = W / slice slices. A tier fires when the share of bad slices in
 * its window exceeds its error-ratio threshold burn × (1 − objective), i.e. when
 * bad > burn × budget × N, i.e. bad ≥ floor(burn × budget × N) + 1 = M (`slicesToAlarm`). Both
 * windows of a tier must fire (the composite's AND), as for the ratio kind.
 *
 * Limits ("PutMetricAlarm", EvaluationPeriods / Period, docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html):
 * Period × Evaluation Periods may be at most one day for periods under an hour, seven days for
 * periods of an hour or more (the Period field: "An alarm's total current evaluation period can be
 * no longer than seven days ... For alarms with a period of less than one hour (3,600 seconds), the
 * total evaluation period can't be longer than one day (86,400 seconds)"). With 1-minute slices the Workbook's 3-day ticket tier (4 320
 * datapoints) cannot be evaluated: such a tier is left out, with a warning that says so (as a tier
 * that can never fire is), and the SLO keeps its other tiers. A window must be a whole number of slices.
 *
 * ## Missing data
 *
 * A slice without a datapoint (the metric was not published) is decided by `missingData`, through
 * the alarm's TreatMissingData and not with `FILL`: `FILL` also fills the newest datapoints, which
 * have not arrived yet when the alarm evaluates (service metrics arrive 1-3 minutes late: "the most
 * recent minute never has data", the FILL note on the metric-math page), so `FILL(…, 1)` would count
 * the newest minutes bad at every evaluation and keep a short window in ALARM. CloudWatch instead
 * judges on the most recent existing datapoints when the evaluation range holds enough of them, and
 * treats the missing ones as TreatMissingData says when it does not ("Configuring how CloudWatch
 * alarms treat missing data", docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html).
 * So the in-flight minutes are skipped, and a metric that stops publishing is bad
 * (`SliceMissingData.BAD`, `breaching`) or good (`SliceMissingData.GOOD`, `notBreaching`).
 */
import { Duration, Token } from 'aws-cdk-lib';
import { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { describeMetric, leafMetrics, metricName, metricPeriods, metricShape, MetricIds, withStatistic } from './metrics';
import { ISli, SliBinding, SliceComparison } from './sli-definition';
import { describeValue } from '../private/describe';
import { readDuration } from '../private/duration-input';
import { formatDecimal } from '../private/format';
import { formatWindow } from '../slo/windows';

/** What a slice in which the metric published nothing counts as. */
export enum SliceMissingData {
  /**
   * Bad: the alarms treat missing datapoints as breaching. For metrics that are published every
   * minute while the resource works (queue age, running tasks, a canary's success), where silence
   * means it does not.
   */
  BAD = 'bad',
  /**
   * Good: the alarms treat missing datapoints as not breaching. For counts that AWS does not
   * publish while they are zero (throttles, errors, dead-letter arrivals).
   */
  GOOD = 'good',
}

/** Props of `Sli.timeSlice`: a slice is good when `metric` compared with `threshold` holds. */
export interface TimeSliceSliProps {
  /**
   * The metric judged in each slice, with the statistic that aggregates it over the slice
   * (`queue.metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM })`), or a math
   * expression over metrics (`running - desired` for tasks short of the desired count). Its own
   * period is not used: the slice is the period.
   */
  readonly metric: IMetric;
  /** How the metric's value is compared with `threshold` in a good slice. */
  readonly comparison: SliceComparison;
  /** The threshold, in the metric's unit (seconds for the age of the oldest message). */
  readonly threshold: number;
  /**
   * How long one slice is: a whole number of minutes, at most 1 hour, that divides every window of the alert policy.
   * @default Duration.minutes(1)
   */
  readonly slice?: Duration;
  /**
   * What a slice in which the metric published nothing counts as.
   * @default SliceMissingData.BAD - an SLI cannot show that a silent minute was good
   */
  readonly missingData?: SliceMissingData;
  /**
   * What the SLI judges, for alarm descriptions.
   * @default - built from the metric and condition: `minutes with ApproximateAgeOfOldestMessage (Maximum) < 300`
   */
  readonly description?: string;
}

/** The slice unless given. */
const DEFAULT_SLICE_SECONDS = 60;
/** The longest slice: a slice of an hour or more changes CloudWatch's Evaluation Periods limit and reads as hours, not minutes. */
const MAX_SLICE_SECONDS = 3600;

const COMPARISONS = Object.values(SliceComparison) as string[];
const MISSING = Object.values(SliceMissingData) as string[];

/** A time-slice SLI: see the module's comment. */
export class TimeSliceSli implements ISli {
  public readonly kind = 'time-slice';

  constructor(private readonly props: TimeSliceSliProps) {}

  public validate(): string[] {
    const p = this.props ?? ({} as TimeSliceSliProps);
    const problems: string[] = [];
    const metric = p.metric as unknown;
    const shape = metric && typeof (metric as IMetric).toMetricConfig === 'function' ? metricShape(metric as IMetric) : 'unknown';
    if (metric === undefined) {
      problems.push('Sli.timeSlice needs `metric`, the metric judged in each slice, got none');
    } else if (shape === 'search') {
      problems.push('Sli.timeSlice `metric` is a SEARCH expression, which CloudWatch alarms cannot evaluate: pass a metric');
    } else if (shape === 'unknown') {
      problems.push(`Sli.timeSlice \`metric\` must be a CloudWatch metric or math expression, got ${describeValue(metric)}`);
    } else if (shape === 'math') {
      const reserved = Object.keys((metric as IMetric).toMetricConfig().mathExpression!.usingMetrics).filter((id) => /^slice\d+$/.test(id));
      if (reserved.length > 0) {
        problems.push(`Sli.timeSlice \`metric\` uses the math id${reserved.length > 1 ? 's' : ''} ${reserved.map((id) => `'${id}'`).join(', ')}, reserved for the SLI's own metric (slice0): rename it`);
      }
    }
    if (!COMPARISONS.includes(p.comparison as string)) {
      problems.push(`Sli.timeSlice \`comparison\` must be one of SliceComparison.${Object.keys(SliceComparison).join(', SliceComparison.')}, got ${describeValue(p.comparison)}`);
    }
    if (typeof p.threshold !== 'number' || Token.isUnresolved(p.threshold) || !Number.isFinite(p.threshold)) {
      problems.push(`Sli.timeSlice \`threshold\` must be a finite number (it is written into the alarms' expression at synth time), got ${describeValue(p.threshold)}`);
    }
    const slice = sliceSecondsOf(p);
    if (typeof slice === 'string') {
      problems.push(slice);
    }
    if (p.missingData !== undefined && !MISSING.includes(p.missingData as string)) {
      problems.push(`Sli.timeSlice \`missingData\` must be SliceMissingData.BAD or SliceMissingData.GOOD, got ${describeValue(p.missingData)}`);
    }
    if (p.description !== undefined && typeof p.description !== 'string') {
      problems.push(`Sli.timeSlice \`description\` must be a string (it is shown in alarm descriptions and dashboards), got ${typeof p.description}`);
    }
    return problems;
  }

  public bind(): SliBinding {
    const p = this.props;
    const sliceSeconds = sliceSecondsOf(p) as number;
    const ids = new MetricIds();
    // the metric as given, without its period (the slice is the alarm's period)
    const metric = withStatistic(p.metric, (carried) => carried);
    const id = ids.idFor('slice', metric);
    const badSlice = `IF(${id} ${p.comparison} ${formatDecimal(p.threshold)}, 0, 1)`;
    const missingSliceIsBad = (p.missingData ?? SliceMissingData.BAD) === SliceMissingData.BAD;
    const description = p.description
      ?? `${formatWindow(sliceSeconds)} slices with ${describeCondition(p.metric)} ${p.comparison} ${formatDecimal(p.threshold)}, `
        + `a slice without data ${missingSliceIsBad ? 'bad' : 'good'}`;
    const replacedPeriodSeconds = metricPeriods(p.metric);
    return {
      usingMetrics: ids.usingMetrics,
      // a window's share of bad slices is not a metric-math expression (see the module's comment):
      // the counts below are one slice's, for tools that read a binding as counted events
      badEvents: badSlice,
      totalEvents: '1',
      metricCount: ids.metricCount,
      description,
      timeSlice: { sliceSeconds, badSlice, missingSliceIsBad, metricId: id, comparison: p.comparison, threshold: p.threshold },
      ...(replacedPeriodSeconds.length > 0 ? { replacedPeriodSeconds } : {}),
    };
  }
}

/** `ApproximateAgeOfOldestMessage (Maximum)`, or the expression's metrics. */
function describeCondition(metric: IMetric): string {
  if (metricShape(metric) === 'metric') {
    return `${metricName(metric)} (${metric.toMetricConfig().metricStat!.statistic})`;
  }
  return describeMetric(metric) || leafMetrics(metric).map(metricName).join(', ');
}

/** The slice in seconds, or what is wrong with it. */
function sliceSecondsOf(p: TimeSliceSliProps): number | string {
  if (p.slice === undefined) {
    return DEFAULT_SLICE_SECONDS;
  }
  const read = readDuration(p.slice, { example: 'Duration.minutes(1)', concreteBecause: 'the alarms\' period is fixed at synth time' });
  if (!read.ok) {
    return `Sli.timeSlice \`slice\` ${read.problem}`;
  }
  if (read.seconds < 60 || read.seconds % 60 !== 0 || read.seconds > MAX_SLICE_SECONDS) {
    return `Sli.timeSlice \`slice\` must be a whole number of minutes from 1 minute to 1 hour (CloudWatch alarm periods are multiples of 60 s), got ${formatWindow(read.seconds)}`;
  }
  return read.seconds;
}
