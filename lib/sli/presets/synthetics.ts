/**
 * SLI presets for CloudWatch Synthetics canaries.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { ICanary } from 'aws-cdk-lib/aws-synthetics';
import { formatWindow } from '../../slo/windows';
import { ISli } from '../sli-definition';
import { SliceComparison } from '../sli-definition';
import { SliceMissingData, TimeSliceSli } from '../time-slice';

/** Options of `Sli.canarySuccess`. */
export interface CanarySuccessOptions {
  /**
   * How long one slice is: the canary's run interval, so that each slice holds one run. Needed for a
   * canary scheduled with a cron expression, and for an imported canary (`Canary.fromCanaryName`).
   * @default - the canary's `Schedule.rate(...)` interval
   */
  readonly slice?: Duration;
}

/** `rate(5 minutes)`, `rate(1 minute)`: the interval in minutes. */
const RATE = /^rate\((\d+) minutes?\)$/;

/** The canary's run interval in minutes, read from its schedule, or what stops it from being read. */
function runInterval(canary: ICanary): number | string {
  const cfn = canary.node.defaultChild as { readonly schedule?: { readonly expression?: unknown } } | undefined;
  if (cfn === undefined) {
    return `canary ${canary.node.path} is imported, so its schedule is not known: give options.slice, the interval between its runs`;
  }
  const expression = cfn.schedule?.expression;
  const match = typeof expression === 'string' ? RATE.exec(expression) : null;
  if (!match) {
    return `canary ${canary.node.path} runs on the schedule ${String(expression)}, from which no slice can be read: give options.slice, the interval between its runs`;
  }
  const minutes = Number(match[1]);
  return minutes > 0 ? minutes
    : `canary ${canary.node.path} runs once (Schedule.once()), not repeatedly: a success SLI needs a canary on a rate schedule`;
}

/**
 * Canary success: a slice (the canary's run interval) is good when `SuccessPercent` (`Average`) is
 * 100, every run in it passed (namespace CloudWatchSynthetics, dimension CanaryName). "CloudWatch
 * metrics published by canaries" (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_metrics.html):
 * `SuccessPercent`, the percentage of the canary's runs that succeeded and found no failures,
 * dimension CanaryName, statistic Average, unit Percent. A single run is 100 or 0.
 *
 * The slice is the run interval (`rate(5 minutes)` gives 5-minute slices) and a slice without a run
 * is BAD: a canary that stopped (deleted, failing to start, its role broken) proves nothing, and
 * silence must not read as health. The alert policy's windows must be whole numbers of slices (the
 * default policy's 5-minute short window takes canaries running every 1 or 5 minutes). A run started
 * late so that a slice holds none reads as one bad slice; its timestamp is the run's start.
 *
 * What it cannot see: failures between runs, and anything the canary's script does not check; with
 * the `Browser` dimension (multi-browser canaries) the preset reads the canary-wide series.
 */
export function canarySuccess(canary: ICanary, options: CanarySuccessOptions = {}): ISli {
  const interval = options.slice === undefined ? runInterval(canary) : undefined;
  if (typeof interval === 'string') {
    return new RefusedSli('time-slice', [interval]);
  }
  const slice = options.slice ?? Duration.minutes(interval!);
  return new TimeSliceSli({
    metric: new Metric({ namespace: 'CloudWatchSynthetics', metricName: 'SuccessPercent', dimensionsMap: { CanaryName: canary.canaryName }, statistic: Stats.AVERAGE }),
    comparison: SliceComparison.GREATER_THAN_OR_EQUAL,
    threshold: 100,
    slice,
    missingData: SliceMissingData.BAD,
    description: `${slice.isUnresolved() ? '' : `${formatWindow(slice.toSeconds())} `}slices in which every run of canary ${canary.node.id} passed (SuccessPercent Average = 100), a slice without a run bad`,
  });
}

/** An SLI that cannot be built from its inputs: its problems are reported when the SLO validates it. */
class RefusedSli implements ISli {
  constructor(public readonly kind: string, private readonly problems: string[]) {}

  public validate(): string[] {
    return this.problems;
  }

  public bind(): never {
    throw new Error(this.problems.join('; '));
  }
}
