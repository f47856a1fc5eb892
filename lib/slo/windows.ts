/**
 * Alert windows as CloudWatch can evaluate them. Pure functions over seconds.
 *
 * Each alert window becomes one alarm with Period = window and EvaluationPeriods = 1, so a
 * window must be a period CloudWatch accepts and must fit its evaluation-range limits.
 */

/** One minute, the smallest standard-resolution alarm period. */
export const MINUTE_SECONDS = 60;
/** One hour. */
export const HOUR_SECONDS = 3_600;
/** One day. */
export const DAY_SECONDS = 86_400;
/** CloudWatch: Period x EvaluationPeriods may not exceed 7 days when Period >= 1 hour. */
export const MAX_EVALUATION_RANGE_SECONDS = 7 * DAY_SECONDS;

/**
 * A compact, stable label for a window: `5m`, `1h`, `36h`, `3d`. Used in alarm names, so it must
 * never change for a given number of seconds.
 */
export function formatWindow(seconds: number): string {
  if (seconds > 0 && seconds % DAY_SECONDS === 0) {
    return `${seconds / DAY_SECONDS}d`;
  }
  if (seconds > 0 && seconds % HOUR_SECONDS === 0) {
    return `${seconds / HOUR_SECONDS}h`;
  }
  if (seconds > 0 && seconds % MINUTE_SECONDS === 0) {
    return `${seconds / MINUTE_SECONDS}m`;
  }
  return `${seconds}s`;
}

/**
 * Why CloudWatch cannot evaluate a window as one alarm period, or `undefined` when it can.
 * (CloudWatch's other range limit, 1 day for periods under an hour, cannot bite with
 * EvaluationPeriods = 1.)
 * Periods must be a whole number of minutes (sub-minute high-resolution periods are not offered
 * for SLO windows: they triple the price and no SLO window is that short), and
 * Period x EvaluationPeriods (here, the window itself) must stay within CloudWatch's limits.
 */
export function windowProblem(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return Number.isNaN(seconds)
      ? 'must be a concrete Duration such as Duration.hours(1) (alarm periods are fixed at synth time)'
      : `must be a positive duration, got ${seconds} seconds`;
  }
  if (seconds % MINUTE_SECONDS !== 0) {
    return `must be a whole number of minutes (CloudWatch alarm periods are multiples of 60 seconds), got ${seconds} seconds`;
  }
  if (seconds > MAX_EVALUATION_RANGE_SECONDS) {
    return `must be at most 7 days (CloudWatch limits Period x EvaluationPeriods to 7 days), got ${formatWindow(seconds)}`;
  }
  return undefined;
}

/**
 * The Workbook's default short window: one twelfth of the long window, rounded down to whole
 * minutes, at least one minute (1h -> 5m, 6h -> 30m, 1d -> 2h, 3d -> 6h).
 */
export function defaultShortWindowSeconds(longWindowSeconds: number): number {
  const twelfth = Math.floor(longWindowSeconds / 12 / MINUTE_SECONDS) * MINUTE_SECONDS;
  return Math.max(MINUTE_SECONDS, twelfth);
}
