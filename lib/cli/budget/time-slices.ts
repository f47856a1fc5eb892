/**
 * The budget of a time-slice SLO (`Sli.timeSlice`), pure: bad and total slices over the SLO window
 * and over each alert window, from the series of the condition's metric read at Period = slice.
 *
 * The condition is evaluated here, client-side, on the metric's value in each slice (the statistic
 * over the slice, as GetMetricData returns it at that period): the same comparison as the alarms'
 * `IF(slice0 < 300, 0, 1)`, so the counts are what the window alarms count, and a caller that
 * already holds the metric's series (the period report) needs no second query.
 *
 * Missing slices. GetMetricData returns no datapoint for a period in which the metric published
 * nothing; the alarms decide such slices by their TreatMissingData, which the SLI's `missingData`
 * sets: `breaching` (a silent slice is bad) or `notBreaching` (good) ("Configuring how CloudWatch
 * alarms treat missing data",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html).
 * The newest slices have usually not arrived yet (metrics land 1-3 minutes late); the alarms do not
 * judge them while older datapoints fill their evaluation range, so missing slices after the last
 * datapoint, up to `inFlightSlices`, are not counted either way.
 *
 * Retention. CloudWatch keeps 1-minute datapoints for 15 days, 5-minute ones for 63 days and
 * 1-hour ones for 455 days, and GetMetricData returns nothing for a range older than the period's
 * retention ("Metrics retention", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#metrics-retention;
 * GetMetricData, StartTime). A slice that is a whole number of 5 minutes or hours is kept longer;
 * a 1-minute slice can be read for the last 15 days only: the budget of a 30-day SLO is then
 * counted over the slices CloudWatch still keeps, and says so (`SliceSpan.countedSeconds`).
 */
import type { SloEntry, TimeSliceEntry } from '../../manifest/schema';
import { meetsSliceCondition } from '../../slo/time-slices';
import { DAY_SECONDS, HOUR_SECONDS } from '../../slo/windows';
import type { EventCounts } from './model';

/** The series of one metric as read: timestamps (ms, the start of each period) and values. */
export interface SliceSeries {
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

/** The condition a good slice meets, as the manifest records it. */
export type SliceCondition = Pick<TimeSliceEntry, 'sliceSeconds' | 'comparison' | 'threshold' | 'missingSlice'>;

/** Slices of one span, judged. */
export interface SliceCounts {
  /** Slices with a datapoint that fails the condition, plus missing slices when they count as bad. */
  readonly bad: number;
  /** Slices judged: with a datapoint, or missing and judged by the missing-slice rule. */
  readonly total: number;
  /** Slices without a datapoint among `total`. */
  readonly missing: number;
  /** Newest slices without a datapoint, not judged yet (in flight). */
  readonly inFlight: number;
}

/** Slices the alarms leave unjudged at the newest end when their metric has not arrived: metrics land 1-3 minutes late. */
export const IN_FLIGHT_SECONDS = 3 * 60;

/**
 * The slices of [startMs, endMs) (whole slices, `endMs` exclusive), judged from `series`: a slice
 * is the period starting at its timestamp; a datapoint is bad when it fails the condition; a slice
 * without one is bad or good as `missingSlice` says, except the newest ones after the last
 * datapoint, up to `inFlightSeconds`, which are not judged. Datapoints outside the span, or not
 * finite, are ignored.
 */
export function countSlices(series: SliceSeries | undefined, condition: SliceCondition, startMs: number, endMs: number,
  inFlightSeconds = IN_FLIGHT_SECONDS): SliceCounts {
  const sliceMs = condition.sliceSeconds * 1000;
  const slices = Math.max(0, Math.floor((endMs - startMs) / sliceMs));
  const seen = new Map<number, number>();
  for (let i = 0; i < (series?.timestamps.length ?? 0); i++) {
    const value = series!.values[i];
    const index = Math.floor((series!.timestamps[i] - startMs) / sliceMs);
    if (index >= 0 && index < slices && Number.isFinite(value)) {
      seen.set(index, value);
    }
  }
  const newest = seen.size > 0 ? Math.max(...seen.keys()) : -1;
  const inFlight = Math.min(slices - 1 - newest, Math.floor(inFlightSeconds / condition.sliceSeconds));
  let bad = 0;
  let missing = 0;
  for (let k = 0; k < slices - inFlight; k++) {
    const value = seen.get(k);
    if (value === undefined) {
      missing++;
      if (condition.missingSlice === 'bad') bad++;
    } else if (!meetsSliceCondition(value, condition)) {
      bad++;
    }
  }
  return { bad, total: slices - inFlight, missing, inFlight };
}

/** Slices as the event counts of the budget math: bad slices over judged slices. */
export function sliceEventCounts(counts: SliceCounts): EventCounts {
  return { bad: counts.bad, total: counts.total };
}

/** How long CloudWatch keeps datapoints of a period of `sliceSeconds`. */
export function sliceRetentionSeconds(sliceSeconds: number): number {
  if (sliceSeconds % HOUR_SECONDS === 0) return 455 * DAY_SECONDS;
  if (sliceSeconds % 300 === 0) return 63 * DAY_SECONDS;
  return 15 * DAY_SECONDS;
}

/** The part of a time-slice SLO's window that is read. */
export interface SliceSpan {
  /** Seconds counted: the SLO window, or less when CloudWatch no longer keeps the oldest slices. */
  readonly countedSeconds: number;
  /** Whether that is less than the SLO window. */
  readonly partial: boolean;
}

/**
 * The span of an SLO window CloudWatch still serves at the slice's period: the whole window, or
 * the retention less an hour (so the query's start is never past it as the clock moves), in
 * whole slices.
 */
export function sliceSpan(slo: Pick<SloEntry, 'windowSeconds'>, slice: Pick<TimeSliceEntry, 'sliceSeconds'>): SliceSpan {
  const kept = sliceRetentionSeconds(slice.sliceSeconds) - HOUR_SECONDS;
  const seconds = Math.min(slo.windowSeconds, kept);
  const countedSeconds = Math.floor(seconds / slice.sliceSeconds) * slice.sliceSeconds;
  return { countedSeconds, partial: countedSeconds < slo.windowSeconds };
}

/** What one read of a time-slice SLO's metric gives the budget: the SLO window and each alert window. */
export interface TimeSliceReading {
  /** Over the counted span of the SLO window. */
  readonly window: SliceCounts;
  /** Per alert window (seconds), over its last slices. */
  readonly alertWindows: ReadonlyMap<number, SliceCounts>;
  /** Some slice had a datapoint. */
  readonly hasData: boolean;
}

/**
 * Bad and total slices of a time-slice SLO over its SLO window (the span CloudWatch keeps) and
 * over each of `alertWindowSeconds`, from the condition metric's `series` read up to `endMs`: the
 * function another reader of the same series (the period report) calls. The newest slices that
 * have not arrived (`inFlightSeconds`) are skipped and every window ends before them, as the alarms
 * judge the N most recent datapoints that exist.
 */
export function timeSliceReading(series: SliceSeries | undefined, slo: Pick<SloEntry, 'windowSeconds'>, condition: SliceCondition,
  endMs: number, alertWindowSeconds: readonly number[], inFlightSeconds = IN_FLIGHT_SECONDS): TimeSliceReading {
  const span = sliceSpan(slo, condition);
  const sliceMs = condition.sliceSeconds * 1000;
  const inFlight = countSlices(series, condition, endMs - span.countedSeconds * 1000, endMs, inFlightSeconds).inFlight;
  const end = endMs - inFlight * sliceMs;
  const judged = (seconds: number): SliceCounts => ({ ...countSlices(series, condition, end - seconds * 1000, end, 0), inFlight });
  return {
    window: judged(span.countedSeconds),
    alertWindows: new Map(alertWindowSeconds.map((seconds) => [seconds, judged(seconds)] as const)),
    hasData: (series?.timestamps.length ?? 0) > 0,
  };
}
