/**
 * The period `review --since` reports on, and what CloudWatch still holds of it. Pure.
 *
 * Retention, from the CloudWatch documentation: metric datapoints of 1-minute resolution are kept
 * 15 days, 5-minute ones 63 days, 1-hour ones 455 days (the report reads 1-hour points, see
 * `metrics.ts`); alarm history 30 days; a log group's events as long as its retention. FIS keeps
 * experiments 120 days.
 */
import { DAY_SECONDS, HOUR_SECONDS } from '../../slo/windows';
import { UsageError } from '../errors';
import { spanSeconds } from '../span';
import { HOURLY_RETENTION_SECONDS } from '../budget/plan';
import type { ReportPeriod } from './model';

/** CloudWatch keeps alarm history this long. */
export const ALARM_HISTORY_RETENTION_SECONDS = 30 * DAY_SECONDS;
/** FIS lists experiments this long after they end. */
export const FIS_EXPERIMENT_RETENTION_SECONDS = 120 * DAY_SECONDS;
/** The longest period `--since` accepts: what 1-hour metric data covers. */
export const MAX_PERIOD_SECONDS = HOURLY_RETENTION_SECONDS;

/** `ms` aligned down to the hour. */
export function floorHour(ms: number): number {
  return Math.floor(ms / (HOUR_SECONDS * 1000)) * HOUR_SECONDS * 1000;
}

/**
 * The period ending at `now` for `--since`: a span (`30d`, `12h`, `2w`, `1w3d`) or a UTC date or time
 * (`2026-11-01`, `2026-11-01T08:00Z`). Both ends are whole hours (the end aligned down): the
 * metrics are read as 1-hour sums, so that days and the period add up exactly. Throws a
 * `UsageError` naming what is allowed.
 */
export function parsePeriod(since: string, now: Date): ReportPeriod {
  const end = floorHour(now.getTime());
  const span = spanSeconds(since, 'hdw');
  let start: number;
  if (span !== undefined) {
    start = end - span * 1000;
  } else if (/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z)?$/.test(since.trim())) {
    start = Date.parse(since.trim().length === 10 ? `${since.trim()}T00:00:00Z` : since.trim());
    if (Number.isNaN(start)) {
      throw new UsageError(`--since ${since}: not a date; use a span such as 30d, 12h or 2w, or a UTC date such as 2026-11-01`);
    }
    start = floorHour(start);
  } else {
    throw new UsageError(`--since ${since}: use a span such as 30d, 12h or 2w (hours, days, weeks), or a UTC date or time such as `
      + '2026-11-01 or 2026-11-01T08:00Z');
  }
  const seconds = (end - start) / 1000;
  if (seconds < HOUR_SECONDS) {
    throw new UsageError(`--since ${since}: the period must be at least 1h (it starts ${new Date(start).toISOString()}, `
      + `the report ends ${new Date(end).toISOString()})`);
  }
  if (seconds > MAX_PERIOD_SECONDS) {
    throw new UsageError(`--since ${since}: at most ${MAX_PERIOD_SECONDS / DAY_SECONDS}d, as CloudWatch keeps 1-hour metric data `
      + `${MAX_PERIOD_SECONDS / DAY_SECONDS} days`);
  }
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), seconds, label: since.trim() };
}

/** The period's [start, end) in milliseconds. */
export function periodRange(period: ReportPeriod): { start: number; end: number } {
  return { start: Date.parse(period.start), end: Date.parse(period.end) };
}

/** UTC days of the range: `[dayStart, dayEnd)`, the first and last clipped to the range. */
export function utcDays(start: number, end: number): Array<{ day: string; start: number; end: number }> {
  const days: Array<{ day: string; start: number; end: number }> = [];
  for (let from = start; from < end;) {
    const midnight = (Math.floor(from / (DAY_SECONDS * 1000)) + 1) * DAY_SECONDS * 1000;
    const to = Math.min(midnight, end);
    days.push({ day: new Date(from).toISOString().slice(0, 10), start: from, end: to });
    from = to;
  }
  return days;
}
