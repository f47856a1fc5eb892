/**
 * Attainment, budget, burn-down and worst days of one SLO from its hourly series. Pure.
 *
 * A range's figures are the sums of the hours that start in it. Budget remaining follows `budget`:
 * 100 × (1 − (bad / max(total, bad)) / error budget), 100 when no event happened (the budget is
 * untouched), negative when overspent.
 */
import type { MetricEntry, SloEntry } from '../../manifest/schema';
import { HOUR_SECONDS } from '../../slo/windows';
import type { SloSeries } from './metrics';
import type { Attainment, BurnCause, BurnDownPoint, ReportDataStatus, WorstDay } from './model';
import { utcDays } from './period';

const HOUR = HOUR_SECONDS * 1000;

/** Sums of a range. */
export interface RangeSums {
  readonly bad: number;
  readonly total: number;
  /** Hours of the range with no datapoint of any SLI metric. */
  readonly missingHours: number;
  readonly hours: number;
  /** Some SLI metric has a datapoint in the range. */
  readonly hasData: boolean;
}

function sumOf(series: ReadonlyMap<number, number>, start: number, end: number): number {
  let sum = 0;
  for (let t = start; t < end; t += HOUR) {
    sum += series.get(t) ?? 0;
  }
  return sum;
}

/** The sums of `series` over [start, end) (whole hours). */
export function rangeSums(series: SloSeries, start: number, end: number): RangeSums {
  const metrics = [...series.metrics.values()];
  const covered = (t: number) => (metrics.length > 0 ? metrics.some((m) => m.has(t)) : series.total.has(t));
  let missingHours = 0;
  let hours = 0;
  for (let t = start; t < end; t += HOUR) {
    hours++;
    if (!covered(t)) {
      missingHours++;
    }
  }
  return { bad: sumOf(series.bad, start, end), total: sumOf(series.total, start, end), missingHours, hours, hasData: missingHours < hours };
}

/** 100 × (1 − bad / max(total, bad)); null without events. */
export function attainmentPercent(bad: number, total: number): number | null {
  const events = Math.max(total, bad);
  return events > 0 ? 100 * (1 - bad / events) : null;
}

/** 100 × (1 − error ratio / error budget); 100 without events. */
export function budgetRemainingPercent(bad: number, total: number, errorBudget: number): number {
  const events = Math.max(total, bad);
  return events > 0 ? 100 * (1 - (bad / events) / errorBudget) : 100;
}

/** An `Attainment` of [start, end); `noData` explains an empty range, `limit` what limits a partial one. */
export function attainmentOf(slo: SloEntry, series: SloSeries | undefined, start: number, end: number, noData: string, limit?: string): Attainment {
  const range = { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
  if (!series) {
    return { ...range, status: 'no-data', reason: noData, bad: null, total: null, attainmentPercent: null, budgetRemainingPercent: null, missingFraction: 1 };
  }
  const readFrom = Math.max(start, series.range.start.getTime());
  const sums = rangeSums(series, readFrom, end);
  const hours = Math.max(1, Math.round((end - start) / HOUR));
  const missingFraction = (sums.missingHours + Math.round((readFrom - start) / HOUR)) / hours;
  if (!sums.hasData) {
    return { ...range, status: 'no-data', reason: noData, bad: null, total: null, attainmentPercent: null, budgetRemainingPercent: null, missingFraction: 1 };
  }
  const status: ReportDataStatus = Math.max(sums.bad, sums.total) > 0 ? 'ok' : 'no-traffic';
  const reasons = [
    ...(status === 'no-traffic' ? ['the SLI\'s metrics have datapoints but count no event: the budget is untouched'] : []),
    ...(limit && readFrom > start ? [limit] : []),
  ];
  return {
    ...range,
    status,
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
    bad: sums.bad,
    total: sums.total,
    attainmentPercent: attainmentPercent(sums.bad, sums.total),
    budgetRemainingPercent: budgetRemainingPercent(sums.bad, sums.total, slo.errorBudget),
    ...(readFrom > start ? { budgetBasisSeconds: Math.round((end - readFrom) / HOUR) * HOUR / 1000 } : {}),
    missingFraction,
  };
}

/** One point per UTC day of [start, end): the SLO window's budget at the day's end, and the day's own events. */
export function burnDown(slo: SloEntry, series: SloSeries | undefined, start: number, end: number): BurnDownPoint[] {
  return utcDays(start, end).map((day) => {
    const at = new Date(day.end).toISOString();
    if (!series) {
      return { day: day.day, at, budgetRemainingPercent: null, bad: null, total: null };
    }
    const own = rangeSums(series, day.start, day.end);
    const windowStart = Math.max(day.end - slo.windowSeconds * 1000, series.range.start.getTime());
    const window = rangeSums(series, windowStart, day.end);
    // a window clipped to the data CloudWatch keeps (a 1-minute-slice SLO's 30d over 15 days) says its basis
    const clipped = windowStart > day.end - slo.windowSeconds * 1000;
    return {
      day: day.day,
      at,
      budgetRemainingPercent: window.hasData ? budgetRemainingPercent(window.bad, window.total, slo.errorBudget) : null,
      ...(clipped && window.hasData ? { budgetBasisSeconds: Math.round((day.end - windowStart) / HOUR) * HOUR / 1000 } : {}),
      bad: own.hasData ? own.bad : null,
      total: own.hasData ? own.total : null,
    };
  });
}

/** The ids of the bad-events expression's terms when it is a plain sum of metrics (`FILL(bad0, 0) + FILL(total1, 0)`). */
export function badTerms(slo: SloEntry): string[] | undefined {
  let expression = slo.sli.badEvents.trim();
  while (/^\(.*\)$/.test(expression) && balanced(expression.slice(1, -1))) {
    expression = expression.slice(1, -1).trim();
  }
  const terms = splitTopLevel(expression, '+');
  const ids = terms.map((term) => /^(?:FILL\(\s*)?([A-Za-z_]\w*)(?:\s*,\s*[\d.]+\s*\))?$/.exec(term.trim())?.[1]);
  const metrics = new Map(slo.sli.metrics.map((m) => [m.id, m]));
  return ids.every((id): id is string => id !== undefined && metrics.has(id) && !metrics.get(id)!.expression) ? ids : undefined;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (c === separator && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/** A metric's label in causes: its metric name, with the dimension values when two terms share a name. */
function metricLabel(metric: MetricEntry, all: readonly MetricEntry[]): string {
  const twins = all.filter((m) => m.metricName === metric.metricName).length > 1;
  return twins ? `${metric.metricName} (${Object.values(metric.dimensions).join(', ')})` : metric.metricName;
}

/** The comparison a bad slice's value meets, by the good slice's comparison. */
const FAILS: Readonly<Record<string, string>> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

/** The shares of the day's bad events per bad metric, most first; one cause when the SLI's bad events are not a sum of metrics. */
export function metricCauses(slo: SloEntry, series: SloSeries, start: number, end: number): BurnCause[] {
  const slice = slo.sli.timeSlice;
  if (slice) {
    const condition = slo.sli.metrics.find((m) => m.id === slice.metricId);
    const what = condition?.expression || condition?.metricName || slice.metricId;
    const missing = slice.missingSlice === 'bad' ? ' or no datapoint' : '';
    return [{ kind: 'metric', label: `${slice.slice} slices with ${what} ${FAILS[slice.comparison] ?? `not ${slice.comparison}`} ${slice.threshold}${missing}`, sharePercent: 100 }];
  }
  const terms = badTerms(slo);
  const metrics = slo.sli.metrics;
  if (!terms) {
    const label = slo.sli.kind === 'latency' ? `${metrics[0]?.metricName ?? 'latency'} over the threshold` : 'bad events';
    return [{ kind: 'metric', label, sharePercent: 100 }];
  }
  const sums = terms.map((id) => ({ id, sum: sumOf(series.metrics.get(id) ?? new Map(), start, end) }));
  const all = sums.reduce((s, t) => s + t.sum, 0);
  const used = terms.map((id) => metrics.find((m) => m.id === id)!);
  return sums
    .filter((t) => t.sum > 0)
    .sort((a, b) => b.sum - a.sum)
    .map((t) => ({ kind: 'metric' as const, label: metricLabel(metrics.find((m) => m.id === t.id)!, used), sharePercent: all > 0 ? 100 * t.sum / all : 0 }));
}

/** Something that happened over a time range (an incident, an experiment run), for a worst day's causes. */
export interface Happening {
  readonly kind: 'incident' | 'experiment';
  readonly label: string;
  readonly start: number;
  /** @default - still going at the period's end */
  readonly end?: number;
}

/**
 * The days that spent the most budget (at most `count`, worst first), with their causes: the bad
 * metrics' shares, and the incidents and experiment runs under way in an hour of the day that
 * counted bad events.
 */
export function worstDays(slo: SloEntry, series: SloSeries | undefined, start: number, end: number, happenings: readonly Happening[], count = 3): WorstDay[] {
  if (!series) {
    return [];
  }
  // one SLO window's budget, in events, at the traffic of the part of the period read
  const readFrom = Math.min(Math.max(start, series.range.start.getTime()), end - HOUR);
  const period = rangeSums(series, readFrom, end);
  const windowEvents = Math.max(period.total, period.bad) * (slo.windowSeconds * 1000) / (end - readFrom);
  const budgetEvents = windowEvents * slo.errorBudget;
  return utcDays(start, end)
    .map((day) => ({ day, sums: rangeSums(series, day.start, day.end) }))
    .filter(({ sums }) => sums.bad > 0)
    .sort((a, b) => b.sums.bad - a.sums.bad || a.day.start - b.day.start)
    .slice(0, count)
    .map(({ day, sums }) => {
      // what was under way in an hour of the day that had bad events
      const badHours: number[] = [];
      for (let t = day.start; t < day.end; t += HOUR) {
        if ((series.bad.get(t) ?? 0) > 0) badHours.push(t);
      }
      const overlapping = happenings
        .filter((h) => badHours.some((t) => h.start < t + HOUR && (h.end ?? end) > t))
        .map((h): BurnCause => ({ kind: h.kind, label: h.label }));
      const unique = overlapping.filter((c, i) => overlapping.findIndex((o) => o.kind === c.kind && o.label === c.label) === i);
      return {
        day: day.day,
        bad: sums.bad,
        total: sums.total,
        attainmentPercent: attainmentPercent(sums.bad, sums.total) ?? 0,
        budgetSpentPercent: budgetEvents > 0 ? 100 * sums.bad / budgetEvents : 100,
        causes: [...metricCauses(slo, series, day.start, day.end), ...unique],
      };
    });
}
