/**
 * Resolving an SLO's alert tiers into thresholds: pure, testable without synthesizing.
 */
import type { Problem } from '../private/problems';
import { burnRateThreshold, errorRatioThreshold } from './burn-rate';
import { defaultShortWindowSeconds, formatWindow, windowProblem } from './windows';
import { describeValue } from '../private/describe';
import { tierKey } from '../../lambdas/shared/contract';

/** How urgently a tier wants a human. */
export enum Severity {
  /** Wake someone up: the budget burns fast enough to be exhausted within days. */
  PAGE = 'page',
  /** Handle in working hours: a slow burn that would exhaust the budget before the window ends. */
  TICKET = 'ticket',
}

/** A tier as declared, with windows in seconds. */
export interface TierInput {
  readonly severity: Severity;
  /** Percent of the error budget the tier tolerates spending within its long window (2 for 2 %). */
  readonly budgetSpentPercent: number;
  readonly longWindowSeconds: number;
  /** @default - one twelfth of the long window */
  readonly shortWindowSeconds?: number;
  /**
   * Why the tier could not be read (a getter or Proxy trap of the user's tier threw), e.g.
   * `could not be read: reading severity threw Error: …`; the tier is then refused with it.
   * @default - the tier was read
   */
  readonly unreadable?: string;
  /**
   * Why the long window given is not a concrete Duration (`must be a Duration …, got 3600 (a number)`).
   * @default - it is one
   */
  readonly longWindowProblem?: string;
  /**
   * Why the short window given is not a concrete Duration.
   * @default - it is one, or none was given
   */
  readonly shortWindowProblem?: string;
}

/** An alert tier of an SLO with its derived thresholds (`slo.tiers`). */
export interface ResolvedTier {
  /** Stable identity within an SLO, used in alarm names and construct ids: `page-1h-5m`. */
  readonly id: string;
  /** Whether the tier pages or opens a ticket. */
  readonly severity: Severity;
  /** Percent of the error budget the tier tolerates spending within its long window (2 for 2 %). */
  readonly budgetSpentPercent: number;
  /** The long window, in seconds. */
  readonly longWindowSeconds: number;
  /** The short window, in seconds (the default, one twelfth of the long window, filled in). */
  readonly shortWindowSeconds: number;
  /** Burn-rate threshold: budgetSpent x SLO window / long window. */
  readonly burnRate: number;
  /** The same threshold as an error ratio: burnRate x error budget. */
  readonly errorRatioThreshold: number;
}

/** The outcome of resolving tiers. */
export interface TierResolution {
  /** Tiers that can fire, in declaration order. */
  readonly tiers: ResolvedTier[];
  /** Tiers left out because even 100 % errors cannot reach their threshold. */
  readonly unreachable: ResolvedTier[];
  /** Invalid input: nothing may be synthesized while this is not empty. */
  readonly problems: Problem[];
}

/** The stable id of a tier: severity and its two windows; it ends its window alarms' names (handler contract). */
export function tierId(severity: Severity, longWindowSeconds: number, shortWindowSeconds: number): string {
  return tierKey({ severity, longWindow: formatWindow(longWindowSeconds), shortWindow: formatWindow(shortWindowSeconds) });
}

/**
 * Validates the tiers of one SLO and derives their thresholds.
 *
 * @param objectivePercent the SLO objective, already validated to lie in (0, 100)
 * @param sloWindowSeconds the SLO window, already validated
 * @param propPrefix how the tiers are named in messages, e.g. `alerting.tiers`
 */
export function resolveTiers(objectivePercent: number, sloWindowSeconds: number, tiers: TierInput[], propPrefix: string): TierResolution {
  const problems: Problem[] = [];
  const resolved: ResolvedTier[] = [];
  const unreachable: ResolvedTier[] = [];
  const seen = new Map<string, number>();

  if (tiers.length === 0) {
    problems.push({ prop: propPrefix, message: 'must hold at least one tier, got none' });
  }

  tiers.forEach((tier, i) => {
    const prop = `${propPrefix}[${i}]`;
    const before = problems.length;
    if (tier.unreadable !== undefined) {
      problems.push({ prop, message: tier.unreadable });
      return;
    }
    if (tier.severity !== Severity.PAGE && tier.severity !== Severity.TICKET) {
      problems.push({ prop: `${prop}.severity`, message: `must be Severity.PAGE or Severity.TICKET, got ${describeValue(tier.severity)}` });
    }
    if (typeof tier.budgetSpentPercent !== 'number' || !(tier.budgetSpentPercent > 0 && tier.budgetSpentPercent <= 100)) {
      problems.push({ prop: `${prop}.budgetSpentPercent`, message: `must be a number > 0 and <= 100 (percent of the error budget), got ${describeValue(tier.budgetSpentPercent)}` });
    }
    const longProblem = tier.longWindowProblem ?? windowProblem(tier.longWindowSeconds);
    if (longProblem) {
      problems.push({ prop: `${prop}.longWindow`, message: longProblem });
    } else if (tier.longWindowSeconds > sloWindowSeconds) {
      problems.push({ prop: `${prop}.longWindow`, message: `must not be longer than the SLO window (${formatWindow(sloWindowSeconds)}), got ${formatWindow(tier.longWindowSeconds)}` });
    }
    const shortWindowSeconds = tier.shortWindowSeconds ?? defaultShortWindowSeconds(tier.longWindowSeconds);
    // a default short window derived from a bad long window is not reported: only the root cause is
    const shortProblem = tier.shortWindowProblem
      ?? (tier.shortWindowSeconds === undefined && longProblem ? undefined : windowProblem(shortWindowSeconds));
    if (shortProblem) {
      problems.push({ prop: `${prop}.shortWindow`, message: shortProblem });
    } else if (!longProblem && shortWindowSeconds >= tier.longWindowSeconds) {
      problems.push(tier.shortWindowSeconds === undefined
        ? {
          prop: `${prop}.longWindow`,
          message: `must be at least 2 minutes so that the default short window (1/12 of it, at least 1 minute) is shorter, got ${formatWindow(tier.longWindowSeconds)}`,
        }
        : {
          prop: `${prop}.shortWindow`,
          message: `must be shorter than the long window (${formatWindow(tier.longWindowSeconds)}), got ${formatWindow(shortWindowSeconds)}; the Workbook uses 1/12 of it`,
        });
    }
    if (problems.length > before) {
      return;
    }

    const id = tierId(tier.severity, tier.longWindowSeconds, shortWindowSeconds);
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      problems.push({ prop, message: `repeats ${propPrefix}[${earlier}] (${id}): each severity may use a pair of windows once` });
      return;
    }
    seen.set(id, i);

    const burnRate = burnRateThreshold(tier.budgetSpentPercent / 100, sloWindowSeconds, tier.longWindowSeconds);
    const result: ResolvedTier = {
      id,
      severity: tier.severity,
      budgetSpentPercent: tier.budgetSpentPercent,
      longWindowSeconds: tier.longWindowSeconds,
      shortWindowSeconds,
      burnRate,
      errorRatioThreshold: errorRatioThreshold(burnRate, objectivePercent),
    };
    if (!(result.errorRatioThreshold > 0)) {
      // a budget share so small (5e-324) that the threshold underflows to 0: the alarm would fire on any error
      problems.push({ prop: `${prop}.budgetSpentPercent`, message: `is so small that the burn-rate threshold works out to 0 (any error would alarm), got ${describeValue(tier.budgetSpentPercent)}` });
    } else if (result.errorRatioThreshold * Number.MAX_SAFE_INTEGER < 1) {
      // the low-traffic floor (one failure never fires a tier) would need more than 2^53 events: no real window holds them
      problems.push({
        prop: `${prop}.budgetSpentPercent`,
        message: `is so small that the tier's error-ratio threshold (${result.errorRatioThreshold}) is below one failure in ${Number.MAX_SAFE_INTEGER} events `
          + `(any single error would alarm), got ${describeValue(tier.budgetSpentPercent)}`,
      });
    } else if (result.errorRatioThreshold >= 1) {
      unreachable.push(result);
    } else {
      resolved.push(result);
    }
  });

  return { tiers: resolved, unreachable, problems };
}
