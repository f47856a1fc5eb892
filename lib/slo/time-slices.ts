/**
 * The alert math of a time-slice SLI (`Sli.timeSlice`), pure: how many slices a window holds,
 * how many of them must be bad for a tier's window alarm to fire, and which windows CloudWatch can
 * evaluate at a given slice. The derivation is in `lib/sli/time-slice.ts`.
 */
import { ResolvedTier } from './tiers';

/** CloudWatch: Period × EvaluationPeriods at most one day for periods under an hour (PutMetricAlarm). */
export const MAX_EVALUATION_SECONDS_UNDER_AN_HOUR = 86_400;
/** CloudWatch: Period × EvaluationPeriods at most seven days for periods of an hour or more (PutMetricAlarm). */
export const MAX_EVALUATION_SECONDS = 604_800;

/** Slices in a window (N, the alarm's Evaluation Periods); the window must hold a whole number of them. */
export function sliceCount(windowSeconds: number, sliceSeconds: number): number {
  return windowSeconds / sliceSeconds;
}

/**
 * Bad slices that fire a window alarm (M, its Datapoints to Alarm): a tier fires when the share of
 * bad slices exceeds its error-ratio threshold, bad / N > ratio, i.e. bad >= floor(ratio × N) + 1.
 * The product is rounded to 9 decimals first, so that 0.3 × 10 reads as 3, not 2.9999999999999996.
 */
export function slicesToAlarm(errorRatioThreshold: number, slices: number): number {
  return Math.floor(Math.round(errorRatioThreshold * slices * 1e9) / 1e9) + 1;
}

/** The longest window CloudWatch evaluates in datapoints of `sliceSeconds`. */
export function longestSliceWindowSeconds(sliceSeconds: number): number {
  return sliceSeconds >= 3600 ? MAX_EVALUATION_SECONDS : MAX_EVALUATION_SECONDS_UNDER_AN_HOUR;
}

/** How a policy's tiers fit a slice. */
export interface SliceFit {
  /** The tiers CloudWatch can evaluate at the slice. */
  readonly tiers: ResolvedTier[];
  /** Tiers with a window longer than CloudWatch evaluates at the slice: left out (and warned about). */
  readonly tooLong: ResolvedTier[];
  /** Windows that are not a whole number of slices, in seconds: refused. */
  readonly unevenWindowSeconds: number[];
}

/** Sorts `tiers` into those CloudWatch can evaluate at `sliceSeconds`, those too long, and uneven windows. */
export function fitTiersToSlice(tiers: ResolvedTier[], sliceSeconds: number): SliceFit {
  const longest = longestSliceWindowSeconds(sliceSeconds);
  const uneven = new Set<number>();
  const fit: ResolvedTier[] = [];
  const tooLong: ResolvedTier[] = [];
  for (const tier of tiers) {
    const windows = [tier.longWindowSeconds, tier.shortWindowSeconds];
    windows.filter((w) => w % sliceSeconds !== 0).forEach((w) => uneven.add(w));
    (windows.some((w) => w > longest) ? tooLong : fit).push(tier);
  }
  return { tiers: fit, tooLong, unevenWindowSeconds: [...uneven].sort((a, b) => a - b) };
}

/**
 * Whether a slice whose value is `value` is good: the comparison a time-slice SLI's alarms make in
 * `IF(slice0 < 300, 0, 1)` (`<`, `<=`, `>`, `>=`, as `SliceComparison` writes them).
 */
export function meetsSliceCondition(value: number, condition: { readonly comparison: string; readonly threshold: number }): boolean {
  switch (condition.comparison) {
    case '<': return value < condition.threshold;
    case '<=': return value <= condition.threshold;
    case '>': return value > condition.threshold;
    case '>=': return value >= condition.threshold;
    default: throw new Error(`unknown slice comparison '${condition.comparison}': expected <, <=, > or >=`);
  }
}
