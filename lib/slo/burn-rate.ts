/**
 * The multiwindow, multi-burn-rate alerting math of the Google SRE Workbook, chapter 5
 * ("Alerting on SLOs"). Pure functions over plain numbers: no constructs, no tokens.
 *
 * Vocabulary:
 * - objective: percent of good events, e.g. 99.9
 * - error budget: the fraction of events allowed to be bad, 1 - objective/100 (0.001 for 99.9)
 * - burn rate: observed error ratio / error budget (1 spends the budget exactly over the SLO window)
 * - a tier that fires after `budgetSpent` (a fraction) of the budget is spent within its long
 *   window L, in an SLO window P, has the burn-rate threshold `budgetSpent * P / L`
 */

/** Significant digits kept for derived figures, so that 0.05 * 720 / 6 reads 6, not 6.000000000000001. */
const SIGNIFICANT_DIGITS = 12;

/** Rounds away binary floating-point noise; keeps 12 significant digits. */
export function roundFigure(value: number): number {
  if (value === 0 || !Number.isFinite(value)) {
    return value;
  }
  return Number(value.toPrecision(SIGNIFICANT_DIGITS));
}

/** Digits after the decimal point of a number as written (`99.999` -> 3). */
function decimalsOf(value: number): number {
  const [mantissa, exponent] = String(value).toLowerCase().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/**
 * The error budget as a fraction of events, from an objective in percent, exact to the
 * objective's own decimals (99.99999 gives 0.0000001, not 1.00000000032e-7).
 * @example errorBudget(99.9) === 0.001
 */
export function errorBudget(objectivePercent: number): number {
  const decimals = Math.min(20, decimalsOf(objectivePercent) + 2);
  return roundFigure(Number(((100 - objectivePercent) / 100).toFixed(decimals)));
}

/**
 * The burn-rate threshold of a tier: `budgetSpent * sloWindow / longWindow`.
 * @param budgetSpentFraction fraction of the error budget the tier tolerates spending in its long window (0.02 for 2 %)
 * @example burnRateThreshold(0.02, 30 days, 1 hour) === 14.4
 */
export function burnRateThreshold(budgetSpentFraction: number, sloWindowSeconds: number, longWindowSeconds: number): number {
  return roundFigure((budgetSpentFraction * sloWindowSeconds) / longWindowSeconds);
}

/**
 * The error-ratio threshold that a burn-rate threshold stands for: `burnRate * (1 - objective)`.
 * A value >= 1 means the tier can never fire: even 100 % errors do not burn that fast.
 */
export function errorRatioThreshold(burnRate: number, objectivePercent: number): number {
  return roundFigure(burnRate * errorBudget(objectivePercent));
}

/** The highest burn rate an SLO can observe (every event bad): 1 / error budget. */
export function maximumBurnRate(objectivePercent: number): number {
  return roundFigure(1 / errorBudget(objectivePercent));
}

/** What the detection-time and reset-time functions need to know about one tier. */
export interface TierWindows {
  /** Burn-rate threshold of the tier. */
  readonly burnRate: number;
  /** Long window, in seconds. */
  readonly longWindowSeconds: number;
  /** Short window, in seconds. */
  readonly shortWindowSeconds: number;
}

/**
 * When a tier fires, in seconds after a constant error ratio `e` starts on healthy traffic of
 * constant volume: the long window's error ratio grows as `e * t / L` until it crosses the
 * threshold, so `t = threshold / e * L` (the Workbook's detection time); the short window crosses
 * at `threshold / e * S`, always earlier. Returns `undefined` when the tier never fires for that
 * error ratio (`e` does not exceed the threshold: the alarm compares with "greater than").
 *
 * @param errorRatio the constant fraction of bad events during the incident (0.02 for 2 %)
 */
export function detectionTimeSeconds(tier: TierWindows, objectivePercent: number, errorRatio: number): number | undefined {
  const threshold = errorRatioThreshold(tier.burnRate, objectivePercent);
  if (!(errorRatio > threshold)) {
    return undefined;
  }
  const longWindowTime = (threshold / errorRatio) * tier.longWindowSeconds;
  const shortWindowTime = (threshold / errorRatio) * tier.shortWindowSeconds;
  return roundFigure(Math.max(longWindowTime, shortWindowTime));
}

/**
 * How long a tier keeps firing after an incident with error ratio `e` stops, in seconds, when
 * the incident lasted at least the short window: the short window's ratio falls as
 * `e * (S - t) / S` and the tier clears once that is no longer above the threshold,
 * `t = S * (1 - threshold / e)`. This is why multiwindow alerts reset in about one short window
 * instead of a whole long window. `undefined` when the tier never fired.
 */
export function resetTimeSeconds(tier: TierWindows, objectivePercent: number, errorRatio: number): number | undefined {
  const threshold = errorRatioThreshold(tier.burnRate, objectivePercent);
  if (!(errorRatio > threshold)) {
    return undefined;
  }
  return roundFigure(tier.shortWindowSeconds * (1 - threshold / errorRatio));
}

/**
 * The share of the error budget that is spent by the time a tier fires, as a fraction, for a
 * constant error ratio: `e * detectionTime / (errorBudget * sloWindow)`. For a tier's own
 * threshold error ratio this approaches the tier's budget fraction.
 */
export function budgetSpentAtDetection(tier: TierWindows, objectivePercent: number, errorRatio: number, sloWindowSeconds: number): number | undefined {
  const t = detectionTimeSeconds(tier, objectivePercent, errorRatio);
  if (t === undefined) {
    return undefined;
  }
  return roundFigure((errorRatio * t) / (errorBudget(objectivePercent) * sloWindowSeconds));
}

/**
 * The low-traffic floor of a tier with error-ratio threshold `r`: the smallest whole number of
 * events `N` for which ONE bad event among `N` stays strictly below the threshold (`1 / N < r`).
 * A long window holding fewer events is judged as if it held `N` (the missing ones good), so a
 * single failed event can never fire the tier, however little traffic there is. Two or more bad
 * events still can: at the floor, `floor(r * N) + 1` of them are needed (2 for every Workbook tier).
 *
 * Kept a hair below the threshold (one part in 10^9) so that the alarm's own floating-point
 * division can never turn "equal" into "greater than".
 * @example singleFailureFloor(0.0144) === 70 // 99.9 %, 30 d, 1 h tier: 1/70 = 1.43 % < 1.44 %
 */
export function singleFailureFloor(errorRatioThreshold: number): number {
  if (!(errorRatioThreshold > 0) || errorRatioThreshold >= 1) {
    return 1;
  }
  let n = Math.max(1, Math.floor(1 / errorRatioThreshold));
  // bounded: past 2^53, n + 1 is n again (resolveTiers refuses thresholds that small)
  while (n < Number.MAX_SAFE_INTEGER && !(1 / n < errorRatioThreshold * (1 - 1e-9))) {
    n++;
  }
  return n;
}

/**
 * The number of events a tier's long window is judged against when it holds fewer:
 * `max(minimumEvents, singleFailureFloor(threshold))`. With `minimumEvents` unset only the floor
 * applies. See "Low traffic" in docs/alerting.md.
 */
export function longWindowGuardEvents(errorRatioThreshold: number, minimumEvents?: number): number {
  return Math.max(minimumEvents ?? 1, singleFailureFloor(errorRatioThreshold));
}

/**
 * How many bad events a long window holding fewer than `guardEvents` events needs before the tier
 * fires: the smallest whole `b` with `b / guardEvents > r`, i.e. `floor(r * guardEvents) + 1`.
 * At traffic below the guard, a sustained failure fires the tier once the long window holds that
 * many failed events (and the short window one).
 */
export function badEventsToFire(errorRatioThreshold: number, guardEvents: number): number {
  let b = Math.floor(errorRatioThreshold * guardEvents) + 1;
  // floating-point corrections of at most a step or two, bounded like singleFailureFloor
  for (let i = 0; i < 3 && b > 1 && (b - 1) / guardEvents > errorRatioThreshold; i++) {
    b--;
  }
  for (let i = 0; i < 3 && !(b / guardEvents > errorRatioThreshold); i++) {
    b++;
  }
  return b;
}
