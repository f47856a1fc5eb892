/**
 * The metric-math expressions and time ranges of the dashboard widgets. Pure (no construct scope).
 */
import { Duration } from 'aws-cdk-lib';
import { IMetric, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { errorRatioExpression, EventCounts, group } from '../alarms/expression';
import { formatDecimal } from '../private/format';

/**
 * The SLI as a percentage of good events, read as the alarms read a window:
 * `100 * (1 - bad / max(total, bad, 1))` (`errorRatioExpression`). A period without traffic reads
 * 100 %, as the alarms count it healthy; bad events without (enough) total events read as errors, so
 * an ALB with no healthy target (every request an ELB 503, none counted by `RequestCount`) reads
 * 0 % good, not 100 %. The graph shows the events next to it (`eventsExpression`), so an idle
 * period is told from a perfect one.
 */
export function goodPercentExpression(counts: EventCounts): string {
  return `100 * (1 - ${errorRatioExpression(counts)})`;
}

/** The events of a window as the alarms count them: `max(total, bad)`, so refused requests count. */
export function eventsExpression(counts: EventCounts): string {
  const bad = group(counts.badEvents);
  const total = group(counts.totalEvents);
  return `IF(${total} > ${bad}, ${total}, ${bad})`;
}

/**
 * The error budget left, in percent of the budget: `100 * (1 - error ratio / budget)`, where the
 * error ratio is bad / max(total, bad) over the whole period read, as the alarms read a window
 * (without the long windows' low-traffic guard: every failed event spends budget). 100 when
 * nothing failed, 0 when the budget is spent, negative when it is overspent.
 */
export function budgetRemainingExpression(counts: EventCounts, errorBudget: number): string {
  return `100 * (1 - ${errorRatioExpression(counts)} / ${formatDecimal(errorBudget)})`;
}

/**
 * A widget's relative start for the last `seconds` (whole minutes), as CloudWatch dashboards write
 * it: `-P30D`, `-PT6H`, `-PT90M`.
 */
export function relativeStart(seconds: number): string {
  if (seconds % 86_400 === 0) {
    return `-P${seconds / 86_400}D`;
  }
  if (seconds % 3_600 === 0) {
    return `-PT${seconds / 3_600}H`;
  }
  return `-PT${Math.round(seconds / 60)}M`;
}

/**
 * `metric` read at `period`: math expressions are rebuilt with every metric inside them (at any
 * depth) set to the same period, so that CDK has no period of a user's metric to override, and
 * says nothing about it.
 */
export function atPeriod(metric: IMetric, period: Duration): IMetric {
  const math = metric.toMetricConfig().mathExpression;
  if (!math) {
    return (metric as IMetric & { with(o: { period: Duration }): IMetric }).with({ period });
  }
  return new MathExpression({
    expression: math.expression,
    usingMetrics: usingAtPeriod(math.usingMetrics, period),
    period,
    searchAccount: math.searchAccount,
    searchRegion: math.searchRegion,
  });
}

/** Every metric of `usingMetrics` read at `period` (see `atPeriod`). */
export function usingAtPeriod(usingMetrics: Record<string, IMetric>, period: Duration): Record<string, IMetric> {
  return Object.fromEntries(Object.entries(usingMetrics).map(([id, m]) => [id, atPeriod(m, period)]));
}
