/**
 * What `budget` measures and reports: the SLOs to read (from the reliability manifest) and, per
 * SLO, the SLI, the error budget left over the SLO window and the burn rate over every alert
 * window. Pure types.
 */
import type { MetricEntry, SloEntry } from '../../manifest/schema';

/** One SLO to read, with its metrics as they will be queried. */
export interface BudgetTarget {
  readonly service: string;
  readonly slo: SloEntry;
  /**
   * The SLI's metrics, with deploy-time values (`${LogicalId}`) filled in from the deployed alarms.
   * @default - the manifest's metrics
   */
  readonly metrics: readonly MetricEntry[];
  /** Why the SLO cannot be read (no metric is queried for it). @default - it can be read */
  readonly unreadable?: string;
}

/** Sums over one window, as read from CloudWatch. */
export interface EventCounts {
  /** Sum of the bad-events series. */
  readonly bad: number;
  /** Sum of the total-events series. */
  readonly total: number;
}

/** How an SLO's window reads. */
export type SloStatus =
  /** Events were counted: SLI and budget are known. */
  | 'ok'
  /** The metrics have datapoints, but no event happened in the window: SLI unknown, budget unchanged. */
  | 'no-traffic'
  /** No datapoint of any SLI metric in the window (or the SLO could not be read): nothing known. */
  | 'no-data';

/** The burn rate over one alert window. */
export interface BurnReading {
  readonly windowSeconds: number;
  /** `1h`, `5m`. */
  readonly window: string;
  readonly badEvents: number;
  readonly totalEvents: number;
  /** (bad / max(total, bad)) / error budget, as the alarms read a window; 0 when no event happened in it. */
  readonly burnRate: number;
  /** No event in the window: the burn rate is 0 and says nothing. */
  readonly noTraffic: boolean;
  /** The lowest burn-rate threshold of the tiers that use this window. */
  readonly threshold: number;
  /** burnRate > threshold (the alarms compare with GreaterThanThreshold). */
  readonly overThreshold: boolean;
}

/** One alert tier: it fires when both its windows burn above its threshold. */
export interface TierReading {
  readonly id: string;
  readonly severity: string;
  readonly threshold: number;
  readonly longWindow: string;
  readonly shortWindow: string;
  /**
   * The long window's burn rate as its alarm reads it: a window holding fewer than `guardEvents`
   * events is judged as if it held that many, the rest good (so at low traffic it can be below the
   * window's burn rate in `burnRates`).
   */
  readonly longBurnRate: number;
  /** The tier's low-traffic guard on its long window (1: none). */
  readonly guardEvents: number;
  readonly shortBurnRate: number;
  /** Both windows above the threshold: the tier's alarms should be in ALARM. */
  readonly firing: boolean;
}

/** The result for one SLO. */
export interface SloBudget {
  readonly service: string;
  readonly slo: string;
  /** Percent of good events, e.g. 99.9. */
  readonly objective: number;
  /** `30d`. */
  readonly window: string;
  readonly windowSeconds: number;
  /** Fraction, e.g. 0.001. */
  readonly errorBudget: number;
  readonly status: SloStatus;
  /** Why there is no data, or what no traffic means. @default - nothing to explain */
  readonly reason?: string;
  /** Over the SLO window; null when there is no data. */
  readonly badEvents: number | null;
  readonly totalEvents: number | null;
  /** 100 × (1 − bad/max(total, bad)); null without events. */
  readonly sliPercent: number | null;
  /**
   * 100 × (1 − (bad/max(total, bad)) / error budget): negative when the budget is overspent; 100 when no
   * event happened (the budget is unchanged); null when there is no data.
   */
  readonly budgetRemainingPercent: number | null;
  /** budgetRemainingPercent ≤ the gate's minimum. */
  readonly exhausted: boolean;
  /** Per alert window (tiers' long and short windows, deduplicated, in tier order). */
  readonly burnRates: BurnReading[];
  readonly tiers: TierReading[];
  /**
   * A time-slice SLO: its events are slices (`badEvents` bad slices of `totalEvents` judged), and
   * how they were counted.
   * @default - a counted-events SLO
   */
  readonly slices?: SliceReadingFacts;
}

/** How a time-slice SLO's slices were counted. */
export interface SliceReadingFacts {
  readonly sliceSeconds: number;
  /** Seconds of the SLO window counted: less than the window when CloudWatch no longer keeps the oldest slices at the slice's period. */
  readonly countedSeconds: number;
  /** Slices without a datapoint in the counted span, judged by `missingSlice`. */
  readonly missing: number;
  /** `bad` or `good`: what a missing slice counts as. */
  readonly missingSlice: string;
  /** Newest slices not arrived yet, left unjudged. */
  readonly inFlight: number;
}

/** The gate's outcome. */
export type BudgetVerdict = 'pass' | 'exhausted' | 'missing-data';
