/**
 * CloudWatch alarm pricing, to estimate what an SLO costs per month. Pure.
 *
 * List prices in us-east-1: a standard-resolution alarm costs $0.10 per metric per month (a
 * metric-math alarm pays for every metric it reads), a composite alarm $0.50 per month.
 *
 * The opt-in blind alert adds one standard-resolution metric-math alarm reading the SLI's total
 * only ($0.10 for a one-metric total, $0.20 for Lambda's Invocations + Throttles); it joins the
 * existing composite of its severity, so it adds a composite ($0.50) only when the SLO had none.
 */

/** USD per metric read by a standard-resolution alarm, per month. */
export const STANDARD_ALARM_METRIC_USD = 0.1;
/** USD per composite alarm, per month. */
export const COMPOSITE_ALARM_USD = 0.5;

/** The alarms whose cost is estimated. */
export interface AlarmInventory {
  /** Metrics read by each metric-math alarm (one entry per alarm). */
  readonly metricsPerWindowAlarm: number[];
  /** Number of composite alarms. */
  readonly compositeAlarms: number;
  /**
   * Metrics read by the blind alarm.
   * @default 0 - no blind alert
   */
  readonly blindAlarmMetrics?: number;
}

/** Estimated monthly cost in USD, rounded to cents. */
export function estimateMonthlyCostUsd(inventory: AlarmInventory): number {
  const metrics = inventory.metricsPerWindowAlarm.reduce((sum, n) => sum + n, 0) + (inventory.blindAlarmMetrics ?? 0);
  const usd = metrics * STANDARD_ALARM_METRIC_USD + inventory.compositeAlarms * COMPOSITE_ALARM_USD;
  return Math.round(usd * 100) / 100;
}
