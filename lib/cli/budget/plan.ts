/**
 * The GetMetricData requests of `budget`, and the choice of their time ranges and periods. Pure.
 *
 * Two kinds of query window:
 *
 * - The SLO window (e.g. 30 days): Period = 1 hour, summed client-side. CloudWatch keeps 1-hour
 *   datapoints for 455 days (5-minute ones for 63 days, 1-minute ones for 15 days) and returns no
 *   data for a period it cannot serve at the range's age (under 15 days: multiples of 60 s; 15 to
 *   63 days: multiples of 300 s; beyond: multiples of 3600 s), so one hour works for every window;
 *   30 days is 720 datapoints per series, far below the 100,800 a request may return. Hourly
 *   points rather than one window-long period keep partial data visible and the sums exact.
 *   CloudWatch rounds a StartTime 15 to 63 days old down to 5 minutes and an older one down to the
 *   hour, so the window ends on a 5-minute boundary (its start then needs no rounding) and, for
 *   windows over 62 days, on the hour (the stored 1-hour aggregates are clock hours).
 * - The alert windows (the tiers' long and short windows, at most 7 days): one range, as long as
 *   the longest of them, ending at the last whole minute, with the largest period of 1 hour,
 *   5 minutes or 1 minute that divides every alert window (5 minutes for the Workbook's tiers:
 *   3 days are 864 datapoints); each window's sum is the sum of its last window/period points.
 *   A range under 15 days old can be read at 1-minute resolution, so any whole-minute window works.
 *
 * Time-slice SLOs (`Sli.timeSlice`) are read apart: their condition metric at Period = slice over
 * the part of the SLO window CloudWatch keeps at that period, one series per SLO from which the
 * SLO window's and the alert windows' bad slices are counted (`time-slices.ts`).
 *
 * Each SLO contributes its metrics (MetricStat, or Expression for math entries) and two
 * expressions, bad and total events. Ids are prefixed per SLO (`s0_total0`) so that SLOs share a
 * request; requests hold at most 500 queries and plan at most 100,800 datapoints.
 */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { MetricEntry } from '../../manifest/schema';
import { DAY_SECONDS, HOUR_SECONDS, MINUTE_SECONDS } from '../../slo/windows';
import { alertWindows } from './compute';
import type { BudgetTarget } from './model';
import { IN_FLIGHT_SECONDS, sliceSpan } from './time-slices';

/** GetMetricData: MetricDataQuery structures per request. */
export const MAX_QUERIES_PER_REQUEST = 500;
/** GetMetricData: datapoints one request may return (more are paged with NextToken). */
export const MAX_DATAPOINTS_PER_REQUEST = 100_800;
/** Period of the SLO-window queries. */
export const SLO_PERIOD_SECONDS = HOUR_SECONDS;
/** CloudWatch keeps 1-hour datapoints this long. */
export const HOURLY_RETENTION_SECONDS = 455 * DAY_SECONDS;
/** SLO windows up to this long end on a 5-minute boundary; longer ones on the hour. */
export const FIVE_MINUTE_ALIGNED_MAX_SECONDS = 62 * DAY_SECONDS;
const FIVE_MINUTES = 5 * MINUTE_SECONDS;

/** One GetMetricData time range. */
export interface QueryWindow {
  readonly start: Date;
  readonly end: Date;
  readonly periodSeconds: number;
}

/** The ids of one SLO's series in a request. */
export interface SeriesIds {
  readonly bad: string;
  readonly total: string;
  /** The SLI's metrics (MetricStat queries), returned only in SLO-window requests, to tell "no data". */
  readonly metrics: readonly string[];
  /**
   * A time-slice SLO's condition metric (its only returned series, `bad` and `total` name it too).
   * @default - a counted-events SLO
   */
  readonly condition?: string;
}

/** One GetMetricData request. */
export interface PlannedRequest {
  /** `time-slices`: time-slice SLOs' condition metrics at Period = slice, for their SLO and alert windows at once. */
  readonly kind: 'slo-window' | 'alert-windows' | 'time-slices';
  readonly window: QueryWindow;
  readonly queries: MetricDataQuery[];
  /** Datapoints the request returns at most (series × points per series). */
  readonly plannedDatapoints: number;
  /** Per target index (into the targets given to `planBudgetRequests`). */
  readonly series: ReadonlyMap<number, SeriesIds>;
}

/** The requests, and the windows each target is read over. */
export interface BudgetPlan {
  readonly requests: PlannedRequest[];
  /** Per target index: the SLO-window query's range. */
  readonly sloWindows: ReadonlyMap<number, QueryWindow>;
  /** The alert-window range (every target's alert windows end at its end). @default - no tier anywhere */
  readonly alertRange?: QueryWindow;
  /** Per time-slice target index: the range its condition metric is read over, at Period = slice. */
  readonly sliceWindows: ReadonlyMap<number, QueryWindow>;
}

function floorTo(ms: number, seconds: number): number {
  return Math.floor(ms / (seconds * 1000)) * seconds * 1000;
}

/** The SLO-window query's range: whole hours covering the window, ending on a 5-minute (or hour) boundary. */
export function sloQueryWindow(windowSeconds: number, now: Date): QueryWindow {
  const span = Math.ceil(windowSeconds / SLO_PERIOD_SECONDS) * SLO_PERIOD_SECONDS;
  const end = floorTo(now.getTime(), span <= FIVE_MINUTE_ALIGNED_MAX_SECONDS ? FIVE_MINUTES : HOUR_SECONDS);
  return { start: new Date(end - span * 1000), end: new Date(end), periodSeconds: SLO_PERIOD_SECONDS };
}

/** The largest of 1 hour, 5 minutes and 1 minute that divides every alert window. */
export function alertPeriodSeconds(windows: readonly number[]): number {
  for (const period of [HOUR_SECONDS, FIVE_MINUTES]) {
    if (windows.every((w) => w % period === 0)) {
      return period;
    }
  }
  return MINUTE_SECONDS;
}

/** The alert-window range: the longest window, ending at the last whole minute. */
export function alertQueryWindow(windows: readonly number[], now: Date): QueryWindow | undefined {
  if (windows.length === 0) {
    return undefined;
  }
  const end = floorTo(now.getTime(), MINUTE_SECONDS);
  const longest = Math.max(...windows);
  return { start: new Date(end - longest * 1000), end: new Date(end), periodSeconds: alertPeriodSeconds(windows) };
}

/**
 * `expression` with every identifier in `ids` prefixed; text in quotes (SEARCH strings) and
 * function names are left alone.
 */
export function prefixIds(expression: string, ids: ReadonlySet<string>, prefix: string): string {
  let out = '';
  let i = 0;
  while (i < expression.length) {
    const rest = expression.slice(i);
    const quote = rest[0] === '"' || rest[0] === '\'' ? rest[0] : undefined;
    if (quote) {
      const close = expression.indexOf(quote, i + 1);
      const stop = close < 0 ? expression.length : close + 1;
      out += expression.slice(i, stop);
      i = stop;
      continue;
    }
    const token = /^\d+(?:\.\d*)?(?:[eE][+-]?\d+)?/.exec(rest)?.[0] ?? /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)?.[0];
    if (token) {
      out += ids.has(token) ? `${prefix}${token}` : token;
      i += token.length;
      continue;
    }
    out += rest[0];
    i += 1;
  }
  return out;
}

function dimensionsOf(metric: MetricEntry): Array<{ Name: string; Value: string }> {
  return Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value }));
}

/**
 * A target's SLI metrics as queries at `periodSeconds`, ids prefixed per SLO (`s0_total0`); each
 * returned or not as `returned(metric, isExpression)` says.
 */
function metricQueries(target: BudgetTarget, index: number, periodSeconds: number,
  returned: (metric: MetricEntry, expression: boolean) => boolean): MetricDataQuery[] {
  const prefix = `s${index}_`;
  const known = new Set(target.metrics.map((m) => m.id));
  const label = `${target.service}/${target.slo.name}`;
  return target.metrics.map((metric) => {
    const id = `${prefix}${metric.id}`;
    if (metric.expression !== undefined && metric.expression !== '') {
      return { Id: id, Expression: prefixIds(metric.expression, known, prefix), Label: `${label} ${metric.id}`, ReturnData: returned(metric, true) };
    }
    return {
      Id: id,
      MetricStat: {
        Metric: { Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: dimensionsOf(metric) },
        Period: periodSeconds,
        Stat: metric.statistic,
      },
      Label: `${label} ${metric.id}`,
      ReturnData: returned(metric, false),
    };
  });
}

/**
 * A time-slice SLO's queries: its metrics at Period = slice, only the condition's series returned
 * (the condition is judged client-side, `lib/cli/budget/time-slices.ts`).
 */
export function sliceQueries(target: BudgetTarget, index: number, periodSeconds: number): { queries: MetricDataQuery[]; ids: SeriesIds } {
  const conditionId = target.slo.sli.timeSlice!.metricId;
  const queries = metricQueries(target, index, periodSeconds, (metric) => metric.id === conditionId);
  const condition = `s${index}_${conditionId}`;
  return { queries, ids: { bad: condition, total: condition, metrics: [], condition } };
}

/**
 * The range a time-slice SLO is read over: the part of its SLO window CloudWatch keeps at the
 * slice's period (`sliceSpan`), and the slices still in flight before it, ending at the last whole
 * slice; its alert windows lie within.
 */
export function sliceQueryWindow(target: BudgetTarget, now: Date): QueryWindow {
  const slice = target.slo.sli.timeSlice!;
  const spanSeconds = Math.max(sliceSpan(target.slo, slice).countedSeconds, ...alertWindows(target.slo.tiers))
    + Math.ceil(IN_FLIGHT_SECONDS / slice.sliceSeconds) * slice.sliceSeconds;
  const end = floorTo(now.getTime(), slice.sliceSeconds);
  return { start: new Date(end - spanSeconds * 1000), end: new Date(end), periodSeconds: slice.sliceSeconds };
}

/** One SLO's queries for one window (also read by `review`, over its own ranges). */
export function targetQueries(target: BudgetTarget, index: number, periodSeconds: number, returnMetrics: boolean): {
  queries: MetricDataQuery[];
  ids: SeriesIds;
} {
  const prefix = `s${index}_`;
  const known = new Set(target.metrics.map((m) => m.id));
  const label = `${target.service}/${target.slo.name}`;
  // the metrics (MetricStat) are returned in SLO-window requests, to tell "no data"
  const queries = metricQueries(target, index, periodSeconds, (_, expression) => !expression && returnMetrics);
  const metricIds = target.metrics.filter((m) => !(m.expression !== undefined && m.expression !== '')).map((m) => `${prefix}${m.id}`);
  const bad = `${prefix}bad_events`;
  const total = `${prefix}total_events`;
  queries.push(
    { Id: bad, Expression: prefixIds(target.slo.sli.badEvents, known, prefix), Label: `${label} bad events`, ReturnData: true },
    { Id: total, Expression: prefixIds(target.slo.sli.totalEvents, known, prefix), Label: `${label} total events`, ReturnData: true },
  );
  return { queries, ids: { bad, total, metrics: returnMetrics ? metricIds : [] } };
}

/** One SLO's share of a request. */
export interface Part {
  readonly index: number;
  readonly queries: MetricDataQuery[];
  readonly ids: SeriesIds;
  readonly datapoints: number;
}

/** Packs parts into requests of at most 500 queries and 100,800 planned datapoints. */
export function pack(kind: PlannedRequest['kind'], window: QueryWindow, parts: readonly Part[]): PlannedRequest[] {
  const requests: PlannedRequest[] = [];
  let current: Part[] = [];
  const flush = () => {
    if (current.length > 0) {
      requests.push({
        kind,
        window,
        queries: current.flatMap((p) => p.queries),
        plannedDatapoints: current.reduce((sum, p) => sum + p.datapoints, 0),
        series: new Map(current.map((p) => [p.index, p.ids])),
      });
      current = [];
    }
  };
  for (const part of parts) {
    if (part.queries.length > MAX_QUERIES_PER_REQUEST || part.datapoints > MAX_DATAPOINTS_PER_REQUEST) {
      throw new Error(`one SLO needs ${part.queries.length} queries and ${part.datapoints} datapoints, `
        + `over GetMetricData's ${MAX_QUERIES_PER_REQUEST} queries or ${MAX_DATAPOINTS_PER_REQUEST} datapoints per request`);
    }
    const queries = current.reduce((sum, p) => sum + p.queries.length, 0) + part.queries.length;
    const datapoints = current.reduce((sum, p) => sum + p.datapoints, 0) + part.datapoints;
    if (queries > MAX_QUERIES_PER_REQUEST || datapoints > MAX_DATAPOINTS_PER_REQUEST) {
      flush();
    }
    current.push(part);
  }
  flush();
  return requests;
}

/** Datapoints per series over the window. */
export function pointsIn(window: QueryWindow): number {
  return Math.ceil((window.end.getTime() - window.start.getTime()) / 1000 / window.periodSeconds);
}

/**
 * The requests that read `targets` (those with `unreadable` set are skipped) at `now`: one group
 * per SLO-window length, one for the alert windows, each split at GetMetricData's limits.
 */
export function planBudgetRequests(targets: readonly BudgetTarget[], now: Date): BudgetPlan {
  const all = targets.map((target, index) => ({ target, index })).filter(({ target }) => target.unreadable === undefined);
  const readable = all.filter(({ target }) => !target.slo.sli.timeSlice);
  const requests: PlannedRequest[] = [];
  const sloWindows = new Map<number, QueryWindow>();

  const byWindow = new Map<number, typeof readable>();
  for (const item of readable) {
    byWindow.set(item.target.slo.windowSeconds, [...(byWindow.get(item.target.slo.windowSeconds) ?? []), item]);
  }
  for (const [windowSeconds, items] of byWindow) {
    const window = sloQueryWindow(windowSeconds, now);
    const points = pointsIn(window);
    const parts = items.map(({ target, index }) => {
      sloWindows.set(index, window);
      const { queries, ids } = targetQueries(target, index, window.periodSeconds, true);
      return { index, queries, ids, datapoints: (2 + ids.metrics.length) * points };
    });
    requests.push(...pack('slo-window', window, parts));
  }

  const windows = [...new Set(readable.flatMap(({ target }) => alertWindows(target.slo.tiers)))];
  const alertRange = alertQueryWindow(windows, now);
  if (alertRange) {
    const points = pointsIn(alertRange);
    const parts = readable
      .filter(({ target }) => target.slo.tiers.length > 0)
      .map(({ target, index }) => {
        const { queries, ids } = targetQueries(target, index, alertRange.periodSeconds, false);
        return { index, queries, ids, datapoints: 2 * points };
      });
    requests.push(...pack('alert-windows', alertRange, parts));
  }

  const sliceWindows = new Map<number, QueryWindow>();
  const byRange = new Map<string, Array<{ index: number; queries: MetricDataQuery[]; ids: SeriesIds; window: QueryWindow }>>();
  for (const { target, index } of all.filter(({ target }) => target.slo.sli.timeSlice)) {
    const window = sliceQueryWindow(target, now);
    sliceWindows.set(index, window);
    sloWindows.set(index, window);
    const key = `${window.start.getTime()}/${window.end.getTime()}/${window.periodSeconds}`;
    byRange.set(key, [...(byRange.get(key) ?? []), { index, ...sliceQueries(target, index, window.periodSeconds), window }]);
  }
  for (const parts of byRange.values()) {
    const window = parts[0].window;
    requests.push(...pack('time-slices', window, parts.map((p) => ({ index: p.index, queries: p.queries, ids: p.ids, datapoints: pointsIn(window) }))));
  }
  return { requests, sloWindows, ...(alertRange ? { alertRange } : {}), sliceWindows };
}
