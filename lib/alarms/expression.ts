/**
 * The metric-math expression an SLO window alarm evaluates: the burn rate. Pure.
 *
 *   burn rate = IF(total > 0, bad / total, 0) / error budget
 *
 * A window without traffic evaluates to 0 (or to no datapoint when the total metric is absent,
 * which the alarm treats as not breaching), so no traffic never pages and no division by zero is
 * ever evaluated. With a low-traffic guard the condition becomes `total >= minimumEvents`: a
 * window with fewer events counts as healthy, so one failure among a handful of requests does not
 * page.
 */

import { formatDecimal } from '../slo/burn-rate';

/** The two counts an SLI provides, as metric-math expressions. */
export interface EventCounts {
  readonly badEvents: string;
  readonly totalEvents: string;
}

/** The burn-rate expression of one window. */
export function burnRateExpression(counts: EventCounts, errorBudget: number, minimumEvents?: number): string {
  const condition = minimumEvents !== undefined ? `${counts.totalEvents} >= ${minimumEvents}` : `${counts.totalEvents} > 0`;
  return `IF(${condition}, ${counts.badEvents} / ${counts.totalEvents}, 0) / ${formatDecimal(errorBudget)}`;
}
