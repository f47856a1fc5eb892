/**
 * The error-budget math of `budget` (DOMAIN.md §1), over event counts read from CloudWatch. Pure.
 *
 *   events             = max(total, bad)
 *   SLI %              = 100 × (1 − bad / events)
 *   budget remaining % = 100 × (1 − (bad / events) / error budget)   over the SLO window
 *   burn rate          = (bad / events) / error budget                over an alert window
 *   tier's long window = (bad / max(events, N)) / error budget       N: the tier's low-traffic guard
 *
 * Windows are read as the alarms read them (`errorRatioExpression` in `lib/alarms/expression.ts`;
 * the guard N only where a tier's firing is judged): bad events beyond the total count as events, so a
 * window where the total metric stopped while errors went on (an ALB with no healthy target answers
 * every request with an ELB 503, which `RequestCount` does not count) reads as 100 % errors, never
 * as more than 100 % nor as "no traffic". A window without events has no SLI; its burn rate is 0
 * and the budget is unchanged.
 */
import type { SloEntry, TierEntry } from '../../manifest/schema';
import { recordedGuardEvents } from '../../review/policy';
import { formatWindow } from '../../slo/windows';
import type { BudgetVerdict, BurnReading, EventCounts, SloBudget, SloStatus, TierReading } from './model';

/** The alert windows of an SLO: each tier's long then short window, deduplicated, in tier order. */
export function alertWindows(tiers: readonly TierEntry[]): number[] {
  const windows: number[] = [];
  for (const tier of tiers) {
    for (const seconds of [tier.longWindowSeconds, tier.shortWindowSeconds]) {
      if (!windows.includes(seconds)) {
        windows.push(seconds);
      }
    }
  }
  return windows;
}

/** Bad events are never negative (`total − good` can dip below 0 when the metrics are skewed). */
function badOf(counts: EventCounts): number {
  return Math.max(0, counts.bad);
}

/** The events of a window as the alarms count them: max(total, bad). */
export function eventsOf(counts: EventCounts): number {
  return Math.max(counts.total, badOf(counts));
}

/**
 * (bad / events) / error budget, or 0 without events. With `guardEvents` N (a tier's long window),
 * a window holding fewer than N events is judged as if it held N, the rest good, as its alarm does.
 */
export function burnRate(counts: EventCounts, errorBudget: number, guardEvents = 1): number {
  const events = eventsOf(counts);
  return events > 0 ? badOf(counts) / Math.max(events, guardEvents) / errorBudget : 0;
}

/** 100 × (1 − bad/events), or null without events. */
export function sliPercent(counts: EventCounts): number | null {
  const events = eventsOf(counts);
  return events > 0 ? 100 * (1 - badOf(counts) / events) : null;
}

/** 100 × (1 − (bad/events) / error budget); 100 without events (nothing was spent). */
export function budgetRemainingPercent(counts: EventCounts, errorBudget: number): number {
  return 100 * (1 - burnRate(counts, errorBudget));
}

/** What was read for one SLO. */
export interface SloReading {
  /** Sums over the SLO window. */
  readonly window: EventCounts;
  /** Some SLI metric has a datapoint in the SLO window. */
  readonly hasData: boolean;
  /** Sums per alert window (seconds). */
  readonly alertWindows: ReadonlyMap<number, EventCounts>;
}

const NO_EVENTS: EventCounts = { bad: 0, total: 0 };

/**
 * The budget of one SLO. `reading` is undefined when the SLO could not be read. `noDataReason`
 * says why there is no data, when there is none. `minRemainingPercent` is the gate: at or below
 * it, the budget is exhausted.
 */
export function sloBudget(
  service: string,
  slo: SloEntry,
  reading: SloReading | undefined,
  minRemainingPercent: number,
  noDataReason?: string,
): SloBudget {
  const status: SloStatus = !reading || !reading.hasData ? 'no-data' : eventsOf(reading.window) > 0 ? 'ok' : 'no-traffic';
  const burnRates: BurnReading[] = alertWindows(slo.tiers).map((seconds) => {
    const counts = reading?.alertWindows.get(seconds) ?? NO_EVENTS;
    const rate = burnRate(counts, slo.errorBudget);
    const threshold = Math.min(...slo.tiers
      .filter((t) => t.longWindowSeconds === seconds || t.shortWindowSeconds === seconds)
      .map((t) => t.burnRate));
    return {
      windowSeconds: seconds,
      window: formatWindow(seconds),
      badEvents: counts.bad,
      totalEvents: counts.total,
      burnRate: rate,
      noTraffic: !(eventsOf(counts) > 0),
      threshold,
      overThreshold: rate > threshold,
    };
  });
  const rateOf = (seconds: number) => burnRates.find((b) => b.windowSeconds === seconds)?.burnRate ?? 0;
  const tiers: TierReading[] = slo.tiers.map((tier) => {
    // the long window as its alarm reads it: judged on at least the tier's low-traffic guard
    const guardEvents = recordedGuardEvents(slo, tier);
    const longBurnRate = burnRate(reading?.alertWindows.get(tier.longWindowSeconds) ?? NO_EVENTS, slo.errorBudget, guardEvents);
    const shortBurnRate = rateOf(tier.shortWindowSeconds);
    return {
      id: tier.id,
      severity: tier.severity,
      threshold: tier.burnRate,
      longWindow: formatWindow(tier.longWindowSeconds),
      shortWindow: formatWindow(tier.shortWindowSeconds),
      longBurnRate,
      guardEvents,
      shortBurnRate,
      firing: longBurnRate > tier.burnRate && shortBurnRate > tier.burnRate,
    };
  });
  const counted = status === 'no-data' ? undefined : reading!.window;
  const remaining = counted ? budgetRemainingPercent(counted, slo.errorBudget) : null;
  let reason: string | undefined;
  if (status === 'no-data') {
    reason = noDataReason ?? `no datapoint of the SLI metrics in the last ${slo.window}`;
  } else if (status === 'no-traffic') {
    reason = `no events in the last ${slo.window}: the SLI has no data and the budget is unchanged`;
  }
  return {
    service,
    slo: slo.name,
    objective: slo.objective,
    window: slo.window,
    windowSeconds: slo.windowSeconds,
    errorBudget: slo.errorBudget,
    status,
    ...(reason ? { reason } : {}),
    badEvents: counted ? counted.bad : null,
    totalEvents: counted ? counted.total : null,
    sliPercent: counted ? sliPercent(counted) : null,
    budgetRemainingPercent: remaining,
    exhausted: remaining !== null && remaining <= minRemainingPercent,
    burnRates,
    tiers,
  };
}

/** The gate: exhausted when any budget is at or below the minimum; else missing data when asked to fail on it. */
export function budgetVerdict(budgets: readonly SloBudget[], failOnMissingData: boolean): BudgetVerdict {
  if (budgets.some((b) => b.exhausted)) {
    return 'exhausted';
  }
  if (failOnMissingData && budgets.some((b) => b.status === 'no-data')) {
    return 'missing-data';
  }
  return 'pass';
}
