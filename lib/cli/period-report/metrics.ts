/**
 * The SLI series `review` reads: per SLO, 1-hour sums of its bad and total events (and of each of
 * its metrics, to tell gaps and the share of each bad metric) from the start of the SLO window
 * that ends at the period's start, to the period's end, so that the budget of the SLO window can
 * be computed at the end of every day.
 *
 * One hour is the only period CloudWatch serves over the whole range (1-minute data is kept 15
 * days, 5-minute 63, 1-hour 455: a range older than 63 days must use multiples of an hour), and a
 * 30-day period with a 30-day window is 1,440 points per series. Requests are built by budget's
 * planner (`targetQueries`, `pack`): SLOs of the same range share requests of up to 500 queries
 * and 100,800 datapoints, so a service costs a fraction of a call; `batch: false` sends one
 * request per SLO, the baseline the benchmark compares with.
 *
 * Time-slice SLOs (`Sli.timeSlice`) are read apart (`readSliceSeries`): their condition metric at
 * Period = slice (budget's `sliceQueries`, packed the same way), over the same range as far as
 * CloudWatch keeps that period (1-minute data 15 days, 5-minute 63, 1-hour 455), judged slice by
 * slice with budget's `countSlices` and summed per hour, so that the hourly maps hold bad and
 * total slices and attainment, burn-down and worst days read them as events.
 */
import { HOUR_SECONDS } from '../../slo/windows';
import { FetchContext, getMetricData, Series } from '../budget/fetch';
import type { BudgetTarget } from '../budget/model';
import { HOURLY_RETENTION_SECONDS, pack, Part, PlannedRequest, pointsIn, QueryWindow, SeriesIds, sliceQueries, targetQueries } from '../budget/plan';
import { countSlices, IN_FLIGHT_SECONDS, sliceRetentionSeconds } from '../budget/time-slices';
import { CONCURRENCY, mapLimit } from './aws';
import { floorHour } from './period';

/** One SLO's hourly series, by hour start (ms). */
export interface SloSeries {
  readonly bad: ReadonlyMap<number, number>;
  readonly total: ReadonlyMap<number, number>;
  /** Per metric id of the SLI (MetricStat entries only). */
  readonly metrics: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** The range read (the start may be later than asked when it is beyond retention). */
  readonly range: QueryWindow;
  /** The range asked for started before CloudWatch kept data at the period read (455 days of 1-hour data; for slices, the slice's period). */
  readonly clippedByRetention: boolean;
}

/** A time-slice SLO's condition: the slice and what a good slice meets. */
function sliceOf(target: BudgetTarget) {
  return target.slo.sli.timeSlice;
}

/** The range an SLO is read over: its window before the period, and the period. */
export function seriesRange(windowSeconds: number, periodStart: number, periodEnd: number, now: number): { range: QueryWindow; clipped: boolean } {
  const wanted = floorHour(periodStart - windowSeconds * 1000);
  const oldest = floorHour(now - HOURLY_RETENTION_SECONDS * 1000) + HOUR_SECONDS * 1000;
  const start = Math.max(wanted, oldest);
  return { range: { start: new Date(start), end: new Date(periodEnd), periodSeconds: HOUR_SECONDS }, clipped: start > wanted };
}

/**
 * The requests that read `targets` (unreadable ones skipped): one range for all, from the start of
 * the longest SLO window before the period (a shorter window reads a few more hours, and every SLO
 * can share a request); `batch: false` sends one request per SLO.
 */
export function planSeriesRequests(targets: readonly BudgetTarget[], periodStart: number, periodEnd: number, now: number, batch = true): {
  requests: PlannedRequest[];
  clipped: boolean;
} {
  const readable = targets.map((target, index) => ({ target, index })).filter(({ target }) => target.unreadable === undefined && !sliceOf(target));
  if (readable.length === 0) {
    return { requests: [], clipped: false };
  }
  const longest = Math.max(...readable.map(({ target }) => target.slo.windowSeconds));
  const { range, clipped } = seriesRange(longest, periodStart, periodEnd, now);
  const parts: Part[] = readable.map(({ target, index }) => {
    const { queries, ids } = targetQueries(target, index, HOUR_SECONDS, true);
    return { index, queries, ids, datapoints: (2 + ids.metrics.length) * pointsIn(range) };
  });
  return { requests: packParts('slo-window', range, parts, batch), clipped };
}

function byHour(series: Series | undefined): Map<number, number> {
  const map = new Map<number, number>();
  for (let i = 0; i < (series?.timestamps.length ?? 0); i++) {
    const value = series!.values[i];
    if (Number.isFinite(value)) {
      map.set(series!.timestamps[i], (map.get(series!.timestamps[i]) ?? 0) + value);
    }
  }
  return map;
}

/**
 * The range a time-slice SLO is read over: from the start of its window before the period (as
 * `seriesRange`) to the period's end, but not before the oldest whole hour CloudWatch still keeps
 * at the slice's period (an hour of margin, as budget's `sliceSpan`, so the start is never past it).
 */
export function sliceSeriesRange(windowSeconds: number, sliceSeconds: number, periodStart: number, periodEnd: number, now: number): { range: QueryWindow; clipped: boolean } {
  const wanted = floorHour(periodStart - windowSeconds * 1000);
  const oldest = floorHour(now - sliceRetentionSeconds(sliceSeconds) * 1000) + 2 * HOUR_SECONDS * 1000;
  const start = Math.max(wanted, oldest);
  return { range: { start: new Date(start), end: new Date(periodEnd), periodSeconds: sliceSeconds }, clipped: start > wanted };
}

/** The requests that read the time-slice `targets` (unreadable ones skipped): one group per range, packed within GetMetricData's limits. */
export function planSliceRequests(targets: readonly BudgetTarget[], periodStart: number, periodEnd: number, now: number, batch = true): PlannedRequest[] {
  const groups = new Map<string, { range: QueryWindow; parts: Part[] }>();
  targets.forEach((target, index) => {
    const slice = sliceOf(target);
    if (target.unreadable !== undefined || !slice) {
      return;
    }
    const { range } = sliceSeriesRange(target.slo.windowSeconds, slice.sliceSeconds, periodStart, periodEnd, now);
    const key = `${range.start.getTime()}/${range.periodSeconds}`;
    const group = groups.get(key) ?? { range, parts: [] };
    group.parts.push({ index, ...sliceQueries(target, index, slice.sliceSeconds), datapoints: pointsIn(range) });
    groups.set(key, group);
  });
  return [...groups.values()].flatMap(({ range, parts }) => packParts('time-slices', range, parts, batch));
}

/** `pack`ed requests, or one request per SLO (`batch: false`, the benchmark's baseline). */
function packParts(kind: PlannedRequest['kind'], range: QueryWindow, parts: readonly Part[], batch: boolean): PlannedRequest[] {
  return batch ? pack(kind, range, parts) : parts.flatMap((part) => pack(kind, range, [part]));
}

/**
 * A time-slice SLO's judged slices as hourly maps: per hour of `range`, bad and total slices
 * (`countSlices`: missing slices bad or good as the SLI says), and under the condition metric's id
 * the slices that had a datapoint (an hour without one is a missing hour). Slices of the newest
 * hour that have not arrived by `now` are not judged.
 */
export function sliceHours(series: Series | undefined, target: BudgetTarget, range: QueryWindow, now: number, clipped: boolean): SloSeries {
  const condition = sliceOf(target)!;
  const bad = new Map<number, number>();
  const total = new Map<number, number>();
  const seen = new Map<number, number>();
  const hour = HOUR_SECONDS * 1000;
  for (let t = range.start.getTime(); t < range.end.getTime(); t += hour) {
    const inFlight = t + hour > now - IN_FLIGHT_SECONDS * 1000 ? IN_FLIGHT_SECONDS : 0;
    const counts = countSlices(series, condition, t, Math.min(t + hour, range.end.getTime()), inFlight);
    bad.set(t, counts.bad);
    total.set(t, counts.total);
    if (counts.total - counts.missing > 0) {
      seen.set(t, counts.total - counts.missing);
    }
  }
  return { bad, total, metrics: new Map([[condition.metricId, seen]]), range, clippedByRetention: clipped };
}

/** Sends `requests` (4 in flight) and makes each answered SLO's series with `toSeries`; `undefined` for SLOs not read. */
async function readRequests(context: FetchContext, requests: readonly PlannedRequest[], count: number,
  toSeries: (answer: ReadonlyMap<string, Series>, request: PlannedRequest, index: number, ids: SeriesIds) => SloSeries): Promise<Array<SloSeries | undefined>> {
  const out: Array<SloSeries | undefined> = Array.from({ length: count }, () => undefined);
  const answers = await mapLimit(requests, CONCURRENCY, (request) => getMetricData(context, request));
  for (const [n, request] of requests.entries()) {
    for (const [index, ids] of request.series) {
      out[index] = toSeries(answers[n], request, index, ids);
    }
  }
  return out;
}

/** Reads every readable time-slice target's condition metric and counts its slices per hour; `undefined` for the others. */
export async function readSliceSeries(
  context: FetchContext,
  targets: readonly BudgetTarget[],
  periodStart: number,
  periodEnd: number,
  now: number,
  batch = true,
): Promise<Array<SloSeries | undefined>> {
  return readRequests(context, planSliceRequests(targets, periodStart, periodEnd, now, batch), targets.length, (answer, request, index, ids) => {
    const target = targets[index];
    const { clipped } = sliceSeriesRange(target.slo.windowSeconds, sliceOf(target)!.sliceSeconds, periodStart, periodEnd, now);
    return sliceHours(answer.get(ids.condition!), target, request.window, now, clipped);
  });
}

/** Reads every readable target's series; `undefined` for the others. */
export async function readSloSeries(
  context: FetchContext,
  targets: readonly BudgetTarget[],
  periodStart: number,
  periodEnd: number,
  now: number,
  batch = true,
): Promise<Array<SloSeries | undefined>> {
  const { requests, clipped } = planSeriesRequests(targets, periodStart, periodEnd, now, batch);
  return readRequests(context, requests, targets.length, (answer, request, index, ids) => {
    const prefix = `s${index}_`;
    return {
      bad: byHour(answer.get(ids.bad)),
      total: byHour(answer.get(ids.total)),
      metrics: new Map(ids.metrics.map((id) => [id.slice(prefix.length), byHour(answer.get(id))])),
      range: request.window,
      clippedByRetention: clipped,
    };
  });
}
