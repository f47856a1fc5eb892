import { IMetric } from 'aws-cdk-lib/aws-cloudwatch';

/**
 * What an SLI contributes to an SLO alarm: two CloudWatch metric-math expressions that count
 * bad events and all events over the alarm's period, and the metrics they read.
 *
 * The SLO divides one by the other and by the error budget to get the burn rate; the alarm sets
 * every metric's period to the alert window.
 */
export interface SliBinding {
  /** The metrics the expressions read, by expression id (ids start with a lowercase letter). */
  readonly usingMetrics: Record<string, IMetric>;
  /**
   * A metric-math expression that counts bad events, e.g. `FILL(bad0, 0)`. It should yield a
   * value at every timestamp (wrap each metric in `FILL(m, 0)`): CloudWatch judges an alarm whose
   * expression yields nothing on older datapoints.
   */
  readonly badEvents: string;
  /** A metric-math expression that counts all events, e.g. `FILL(total0, 0)`, likewise always defined. */
  readonly totalEvents: string;
  /**
   * A metric-math expression that counts the events that reached the SLI, whether or not the SLI
   * can judge them (a latency SLI's samples, also in a window without a trimmed count), always
   * defined. The blind alert watches it.
   * @default - `totalEvents`
   */
  readonly trafficEvents?: string;
  /** How many metrics an alarm on this SLI reads (CloudWatch allows 10 per metric-math alarm). */
  readonly metricCount: number;
  /** One sentence saying what is counted, for alarm descriptions: `5XXError / Count of API Gateway REST API shop`. */
  readonly description: string;
  /**
   * Periods, in seconds, that the SLI's metrics were given (other than CloudWatch's default 5
   * minutes). They are not used: every alarm evaluates its alert window as the period (and the
   * metrics in `usingMetrics` carry none). The SLO states this once.
   * @default - the metrics carried no period of their own
   */
  readonly replacedPeriodSeconds?: number[];
  /**
   * For a time-slice SLI (`Sli.timeSlice`): the SLO's window alarms count bad slices (M out of N
   * datapoints with the slice as the period) instead of evaluating a burn rate over the window;
   * `badEvents` and `totalEvents` then describe one slice.
   * @default - a counted-events SLI: the alarms evaluate the burn rate over each window
   */
  readonly timeSlice?: TimeSliceBinding;
}

/**
 * What a time-slice SLI contributes to its SLO's alarms: the alarms are M-out-of-N alarms with the
 * slice as the period on the `badSlice` expression.
 */
export interface TimeSliceBinding {
  /** The slice, in seconds: the period of every window alarm. */
  readonly sliceSeconds: number;
  /** A metric-math expression that is 1 for a bad slice and 0 for a good one, over `usingMetrics`. */
  readonly badSlice: string;
  /** Whether a slice without a datapoint is bad (the alarms treat missing data as breaching). */
  readonly missingSliceIsBad: boolean;
  /** The id of the judged metric in `usingMetrics` (`slice0`). */
  readonly metricId: string;
  /** How a good slice's value compares with `threshold`. */
  readonly comparison: SliceComparison;
  /** The threshold of the condition, in the metric's unit. */
  readonly threshold: number;
}

/**
 * A service level indicator: a way to count good and bad events. Build one with the `Sli`
 * factories (`Sli.ratio`, `Sli.latency`, presets such as `Sli.restApiAvailability`), or implement
 * this interface for a source they do not cover.
 */
export interface ISli {
  /**
   * What kind of SLI this is, for the manifest and reports: `ratio` (counted events), `latency`
   * (requests faster than a threshold), or a short word of yours (at most 64 characters, one line).
   */
  readonly kind: string;
  /**
   * What is wrong with this SLI's input, as messages without the prop name
   * (`needs exactly one of good or bad, got both`). Empty when it is valid.
   */
  validate(): string[];
  /** The expressions an SLO alarm evaluates. Only called when `validate()` returned nothing. */
  bind(): SliBinding;
}

/** The condition a good slice meets: the metric's value compared with the threshold. */
export enum SliceComparison {
  /** Good when the value is below the threshold (e.g. the age of the oldest message). */
  LESS_THAN = '<',
  /** Good when the value is at most the threshold (e.g. throttles `Sum` <= 0: none). */
  LESS_THAN_OR_EQUAL = '<=',
  /** Good when the value is above the threshold. */
  GREATER_THAN = '>',
  /** Good when the value is at least the threshold (e.g. a canary's `SuccessPercent` >= 100). */
  GREATER_THAN_OR_EQUAL = '>=',
}
