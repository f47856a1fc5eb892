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
 */
import { HOUR_SECONDS } from '../../slo/windows';
import { FetchContext, getMetricData, Series } from '../budget/fetch';
import type { BudgetTarget } from '../budget/model';
import { HOURLY_RETENTION_SECONDS, pack, Part, PlannedRequest, pointsIn, QueryWindow, targetQueries } from '../budget/plan';
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
  /** The range asked for started before CloudWatch's 455 days of 1-hour data. */
  readonly clippedByRetention: boolean;
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
  const readable = targets.map((target, index) => ({ target, index })).filter(({ target }) => target.unreadable === undefined);
  if (readable.length === 0) {
    return { requests: [], clipped: false };
  }
  const longest = Math.max(...readable.map(({ target }) => target.slo.windowSeconds));
  const { range, clipped } = seriesRange(longest, periodStart, periodEnd, now);
  const parts: Part[] = readable.map(({ target, index }) => {
    const { queries, ids } = targetQueries(target, index, HOUR_SECONDS, true);
    return { index, queries, ids, datapoints: (2 + ids.metrics.length) * pointsIn(range) };
  });
  const requests = batch ? pack('slo-window', range, parts) : parts.flatMap((part) => pack('slo-window', range, [part]));
  return { requests, clipped };
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
  const out: Array<SloSeries | undefined> = targets.map(() => undefined);
  const answers = await mapLimit(requests, CONCURRENCY, (request) => getMetricData(context, request));
  for (const [n, request] of requests.entries()) {
    const series = answers[n];
    for (const [index, ids] of request.series) {
      const prefix = `s${index}_`;
      out[index] = {
        bad: byHour(series.get(ids.bad)),
        total: byHour(series.get(ids.total)),
        metrics: new Map(ids.metrics.map((id) => [id.slice(prefix.length), byHour(series.get(id))])),
        range: request.window,
        clippedByRetention: clipped,
      };
    }
  }
  return out;
}
