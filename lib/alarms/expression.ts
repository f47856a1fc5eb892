import { formatDecimal } from '../private/format';
/**
 * The metric-math expression an SLO window alarm evaluates: the burn rate. Pure.
 *
 *   burn rate = bad / IF(total > bad, IF(total > N, total, N), IF(bad > N, bad, N)) / error budget
 *             = bad / max(total, bad, N) / error budget
 *
 * `bad` and `total` are the SLI's event counts; every metric in them is wrapped in `FILL(m, 0)`
 * (see `RatioSli`, `LatencySli`), so both are defined at every timestamp. Three CloudWatch rules
 * shape the formula:
 *
 * - An alarm whose expression yields no datapoint is judged on the most recent datapoints that do
 *   exist in its evaluation range, and TreatMissingData is ignored ("Configuring how CloudWatch
 *   alarms treat missing data", docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html:
 *   "If some data points in the evaluation range are missing, but the number of existing data
 *   points retrieved is equal to or more than the alarm's Evaluation Periods, CloudWatch evaluates
 *   the alarm state based on the most recent existing data points"). An expression that goes blank
 *   when traffic stops would leave a stale ALARM behind, or, when only the total stops, let the
 *   page clear while customers still get errors. So the expression yields a value in every case:
 *   no events at all is an explicit 0 (not breaching).
 * - `FILL(m, value)` "fills the missing values of a time series", also the newest one (the FILL
 *   note in "Metric math syntax and functions", docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html),
 *   so a metric that published nothing in the window reads as 0 rather than as no datapoint. The
 *   same page says arithmetic treats missing values as 0 and a comparison with only one side
 *   present reads the other as 0; with every metric filled, no operation depends on that rule.
 * - A division by zero drops the datapoint (same page, "Basic arithmetic functions"); the divisor
 *   `max(total, bad, N)` is at least N >= 1, so no division by zero is ever evaluated.
 *
 * Bad events without (enough) total events count as errors: the divisor is at least `bad`, so a
 * window where the total metric stopped while errors go on (an ALB with no healthy target answers
 * every request with an ELB 503, which `RequestCount` does not count) reads as 100 % errors, and
 * the page holds for as long as the errors do.
 *
 * `N` is the low-traffic guard (`longWindowGuardEvents` in `lib/slo/burn-rate.ts`): a long window
 * with fewer than N events is judged as if it held N, the missing ones good, so a single failure
 * among a handful of events cannot fire a tier. Short windows use N = 1.
 *
 * Only `IF`, comparisons and arithmetic are used: functions such as `MAX` over a single series are
 * not recommended in alarms (they act differently when the alarm retrieves extra data; same page).
 */


/** The two counts an SLI provides, as metric-math expressions. */
export interface EventCounts {
  readonly badEvents: string;
  readonly totalEvents: string;
}

/**
 * The burn-rate expression of one window.
 * @param guardEvents the window is judged as if it held at least this many events (1: no guard)
 */
export function burnRateExpression(counts: EventCounts, errorBudget: number, guardEvents = 1): string {
  return `${errorRatioExpression(counts, guardEvents)} / ${formatDecimal(errorBudget)}`;
}

/**
 * The error ratio the burn rate is made of, `bad / max(total, bad, N)`, for graphs and tools that
 * should read a window as the alarms do (a total that stopped while errors go on is 100 % errors,
 * no events at all is 0).
 * @param guardEvents the window is judged as if it held at least this many events (1: no guard)
 */
export function errorRatioExpression(counts: EventCounts, guardEvents = 1): string {
  const bad = group(counts.badEvents);
  const total = group(counts.totalEvents);
  const n = formatDecimal(Math.max(1, guardEvents));
  return `${bad} / IF(${total} > ${bad}, IF(${total} > ${n}, ${total}, ${n}), IF(${bad} > ${n}, ${bad}, ${n}))`;
}

/**
 * `expression` as one operand: as it is when it is an id, a number, one function call or already
 * wrapped in parentheses, else in parentheses (an `ISli` may return `m1 + m2`).
 */
export function group(expression: string): string {
  const text = expression.trim();
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text) || /^\d+(\.\d+)?$/.test(text)) {
    return text;
  }
  const call = /^[A-Za-z_][A-Za-z0-9_]*\(/.exec(text);
  const open = call ? call[0].length - 1 : text.startsWith('(') ? 0 : -1;
  if (open >= 0 && closingParenthesis(text, open) === text.length - 1) {
    return text;
  }
  return `(${text})`;
}

/** Index of the parenthesis closing the one at `open`, or -1. */
function closingParenthesis(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') {
      depth++;
    } else if (text[i] === ')') {
      depth--;
      if (depth === 0) {
        return i;
      }
    }
  }
  return -1;
}
