/**
 * The history a replay evaluates: which time range, at which resolution, read with which
 * GetMetricData requests, and the per-minute values the faithful evaluator reads from it.
 *
 * Retention ("Metrics concepts", Metrics retention,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Metric):
 * "Data points with a period of 60 seconds (1 minute) are available for 15 days. Data points with a
 * period of 300 seconds (5 minutes) are available for 63 days." GetMetricData returns no data for a
 * period finer than what it keeps at the range's age. So the history is read in two segments at
 * most: the last 15 days (less a margin) at 1 minute, and what is older, up to 63 days, at 5
 * minutes. A 5-minute datapoint of a count (Sum, SampleCount, TC) is spread evenly over its five
 * minutes, which keeps every sum over whole 5-minute blocks exact and misplaces at most 4 minutes of
 * events at a window's edges. A 5-minute `Average`, `Maximum` or `Minimum` stands for each of its
 * five minutes when only alarms on whole 5-minute periods read the metric (a canary's 5-minute
 * slices): their datapoint over those minutes is that value again. An alarm on shorter
 * datapoints (a 1-minute time-slice SLO's) cannot be replayed on 5-minute data at all. A 5-minute
 * datapoint that can be neither spread nor repeated is counted, never dropped silently: the replay
 * says which metrics lost which part of the range. Pure except `fetchHistory`.
 *
 * Gaps stay gaps: a minute without a datapoint is `undefined` to the evaluator, never 0, so the
 * alarms' own FILLs and missing-data rules decide, as they did live.
 */
import type { MetricDataQuery, StandardUnit } from '@aws-sdk/client-cloudwatch';
import { metricIdentityKey, Scenario } from '../../simulation/evaluator';
import type { ModelMetric } from '../../simulation/template-alarms';
import { DAY_SECONDS, MINUTE_SECONDS } from '../../slo/windows';
import type { FetchContext } from '../budget/fetch';
import { MAX_QUERIES_PER_REQUEST, PlannedRequest } from '../budget/plan';

const MINUTE_MS = MINUTE_SECONDS * 1000;
const FIVE_MINUTES_MS = 5 * MINUTE_MS;

/** CloudWatch keeps 1-minute datapoints this long. */
export const ONE_MINUTE_RETENTION_DAYS = 15;
/** CloudWatch keeps 5-minute datapoints this long. */
export const FIVE_MINUTE_RETENTION_DAYS = 63;
/**
 * Read at 1 minute only what is this much younger than the 1-minute retention: the oldest minutes
 * expire while the requests run.
 */
export const RETENTION_MARGIN_MINUTES = 30;

/** Statistics whose 5-minute value is the sum of its minutes' values. */
const COUNT_STATISTICS = /^(Sum|SampleCount|TC\(.*\))$/;
/** Statistics whose value over a period of equal values is that value: the mean, the largest, the smallest. */
const REPEATABLE_STATISTICS = /^(Average|Maximum|Minimum)$/;

/** CloudWatch's coarser resolution, the one kept from 15 to 63 days. */
export const FIVE_MINUTE_PERIOD_SECONDS = 300;

/** One resolution segment of the history. */
export interface HistorySegment {
  readonly start: Date;
  readonly end: Date;
  /** 60 or 300. */
  readonly periodSeconds: number;
}

/** The time ranges of one replay. */
export interface ReplayRange {
  /** The first minute evaluated (minute 0 of the evaluator). */
  readonly start: Date;
  /** The end of the last minute evaluated. */
  readonly end: Date;
  /** Where the history read starts: `start` less the longest look-back of the alarms. */
  readonly historyStart: Date;
  /** From here on the history is read at 1 minute; before it at 5 minutes. */
  readonly oneMinuteFrom: Date;
  /** One or two segments, oldest first. */
  readonly segments: HistorySegment[];
  /** Minutes evaluated. */
  readonly minutes: number;
  /** Minutes of history before `start`. */
  readonly warmUpMinutes: number;
}

function floorTo(ms: number, step: number): number {
  return Math.floor(ms / step) * step;
}

function ceilTo(ms: number, step: number): number {
  return Math.ceil(ms / step) * step;
}

/** The oldest time CloudWatch still serves at 1-minute resolution, on a 5-minute boundary, at `now`. */
export function oneMinuteBoundary(now: Date): Date {
  return new Date(ceilTo(now.getTime() - (ONE_MINUTE_RETENTION_DAYS * DAY_SECONDS - RETENTION_MARGIN_MINUTES * MINUTE_SECONDS) * 1000, FIVE_MINUTES_MS));
}

/** The oldest time CloudWatch still serves at 5-minute resolution, at `now`. */
export function fiveMinuteBoundary(now: Date): Date {
  return new Date(ceilTo(now.getTime() - (FIVE_MINUTE_RETENTION_DAYS * DAY_SECONDS - RETENTION_MARGIN_MINUTES * MINUTE_SECONDS) * 1000, FIVE_MINUTES_MS));
}

/**
 * The range of a replay of the last `minutes` minutes at `now`, with `warmUpMinutes` of history
 * before it (the alarms' longest look-back). It ends at the last whole minute. The caller checks
 * retention (`oneMinuteFrom`, `fiveMinuteBoundary`).
 */
export function replayRange(now: Date, minutes: number, warmUpMinutes: number): ReplayRange {
  const end = floorTo(now.getTime(), MINUTE_MS);
  const start = end - minutes * MINUTE_MS;
  const historyStart = start - warmUpMinutes * MINUTE_MS;
  const boundary = oneMinuteBoundary(now).getTime();
  const segments: HistorySegment[] = [];
  if (historyStart < boundary) {
    segments.push({ start: new Date(floorTo(historyStart, FIVE_MINUTES_MS)), end: new Date(boundary), periodSeconds: 300 });
  }
  segments.push({ start: new Date(Math.max(historyStart, boundary)), end: new Date(end), periodSeconds: 60 });
  return {
    start: new Date(start),
    end: new Date(end),
    historyStart: new Date(historyStart),
    oneMinuteFrom: new Date(Math.max(historyStart, boundary)),
    segments,
    minutes,
    warmUpMinutes,
  };
}

/** A metric to read, as the alarms read it (deploy-time values resolved). */
export interface HistoryMetric extends ModelMetric {
  /** `metricIdentityKey` of the metric. */
  readonly key: string;
  /**
   * Its 5-minute datapoints can be read as they are: the alarms that read it over 5-minute data
   * aggregate whole 5-minute periods, so a 5-minute Average, Maximum or Minimum is stored once, in
   * its first minute, as a live 5-minute publisher's datapoint is. @default false: a 5-minute
   * Average, Maximum or Minimum says nothing of each minute
   */
  readonly fiveMinuteValues?: boolean;
}

/** `metric` with its identity key. */
export function historyMetric(metric: ModelMetric, fiveMinuteValues = false): HistoryMetric {
  return { ...metric, key: metricIdentityKey(metric), ...(fiveMinuteValues ? { fiveMinuteValues } : {}) };
}

/** What the 5-minute part of the history gave for a metric. */
export interface CoarseRead {
  /** 5-minute datapoints stored (a count spread over its minutes, any other statistic in its first minute). */
  readonly used: number;
  /** 5-minute datapoints read that the alarms cannot read as they are: those minutes are missing. */
  readonly unusable: number;
}

/**
 * The GetMetricData requests that read `metrics` over every segment: one MetricStat per metric
 * and segment (ids `m0`, `m1`, ... in the order given), at most 500 per request. A request returns
 * more than 100,800 datapoints over several pages (NextToken); CloudWatch prices the metrics
 * requested, not the pages, so the range is not cut into shorter requests.
 */
export function planHistoryRequests(metrics: readonly HistoryMetric[], range: ReplayRange): PlannedRequest[] {
  const requests: PlannedRequest[] = [];
  for (const segment of range.segments) {
    const points = Math.ceil((segment.end.getTime() - segment.start.getTime()) / 1000 / segment.periodSeconds);
    for (let i = 0; i < metrics.length; i += MAX_QUERIES_PER_REQUEST) {
      const queries: MetricDataQuery[] = metrics.slice(i, i + MAX_QUERIES_PER_REQUEST).map((m, j) => ({
        Id: `m${i + j}`,
        MetricStat: {
          Metric: {
            Namespace: m.namespace,
            MetricName: m.metricName,
            Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: segment.periodSeconds,
          Stat: m.statistic,
          ...(m.unit !== undefined ? { Unit: m.unit as StandardUnit } : {}),
        },
        Label: `${m.namespace} ${m.metricName} ${m.statistic}`,
        ReturnData: true,
      }));
      requests.push({
        kind: 'alert-windows',
        window: { start: segment.start, end: segment.end, periodSeconds: segment.periodSeconds },
        queries,
        plannedDatapoints: queries.length * points,
        series: new Map(),
      });
    }
  }
  return requests;
}

/** What was read: per metric key, a value per minute of the history (NaN: no datapoint). */
export class MetricHistory {
  private readonly values = new Map<string, Float64Array>();
  /** Datapoints read per metric key. */
  private readonly counts = new Map<string, number>();
  /** 5-minute datapoints per metric key: stored, and read but not usable. */
  private readonly coarse = new Map<string, { used: number; unusable: number }>();

  constructor(public readonly range: ReplayRange) {}

  /** Minutes of history held (warm-up and evaluated range). */
  public get length(): number {
    return this.range.warmUpMinutes + this.range.minutes;
  }

  /** Records a datapoint of `metric` for the period starting at `timestamp` (ms). */
  public add(metric: HistoryMetric, timestamp: number, periodSeconds: number, value: number): void {
    if (!Number.isFinite(value)) {
      return;
    }
    let series = this.values.get(metric.key);
    if (!series) {
      series = new Float64Array(this.length).fill(Number.NaN);
      this.values.set(metric.key, series);
    }
    const first = this.range.historyStart.getTime();
    const minutes = periodSeconds / MINUTE_SECONDS;
    const counted = COUNT_STATISTICS.test(metric.statistic);
    const coarse = minutes > 1 ? this.coarseOf(metric) : undefined;
    if (coarse && !counted && !(metric.fiveMinuteValues && REPEATABLE_STATISTICS.test(metric.statistic))) {
      coarse.unusable++; // a 5-minute percentile, or an average some 1-minute alarm reads: it says nothing of each minute
      return;
    }
    const share = counted ? value / minutes : value;
    // A 5-minute Average, Maximum or Minimum is stored in its first minute only, as a live 5-minute
    // publisher's datapoint is: a 5-minute window ending at any minute then holds exactly one such
    // value. Repeated over its five minutes, 4 windows in 5 would span two blocks and one bad block
    // would count as two bad slices.
    const spread = coarse && !counted ? 1 : minutes;
    let stored = false;
    for (let j = 0; j < spread; j++) {
      const index = Math.round((timestamp + j * MINUTE_MS - first) / MINUTE_MS);
      const at = timestamp + j * MINUTE_MS;
      // a 5-minute block overlapping the 1-minute segment leaves those minutes to it
      if (index >= 0 && index < series.length && (minutes === 1 || at < this.range.oneMinuteFrom.getTime())) {
        series[index] = share;
        stored = true;
      }
    }
    if (stored) {
      this.counts.set(metric.key, (this.counts.get(metric.key) ?? 0) + 1);
      if (coarse) {
        coarse.used++;
      }
    }
  }

  private coarseOf(metric: HistoryMetric): { used: number; unusable: number } {
    let coarse = this.coarse.get(metric.key);
    if (!coarse) {
      coarse = { used: 0, unusable: 0 };
      this.coarse.set(metric.key, coarse);
    }
    return coarse;
  }

  /** What the 5-minute part of the history (older than `range.oneMinuteFrom`) gave for the metric. */
  public coarseRead(metric: HistoryMetric): CoarseRead {
    const coarse = this.coarse.get(metric.key);
    return { used: coarse?.used ?? 0, unusable: coarse?.unusable ?? 0 };
  }

  /** Datapoints read for the metric. */
  public datapoints(metric: HistoryMetric): number {
    return this.counts.get(metric.key) ?? 0;
  }

  /**
   * The history as the evaluator reads it: minute 0 is the range's start; minutes before the
   * history read, and minutes without a datapoint, are `undefined` (no datapoint).
   */
  public scenario(): Scenario {
    const offset = this.range.warmUpMinutes;
    const length = this.length;
    return (metric, minute) => {
      const series = this.values.get(metric.key);
      const index = minute + offset;
      if (!series || index < 0 || index >= length) {
        return undefined;
      }
      const value = series[index];
      return value === value ? value : undefined;
    };
  }
}

/** Reads `metrics` over the range: every request, every page, throttling retried (budget/fetch.ts). */
export async function fetchHistory(context: FetchContext, metrics: readonly HistoryMetric[], range: ReplayRange): Promise<{ history: MetricHistory; requests: number }> {
  const { getMetricData } = await import('../budget/fetch');
  const history = new MetricHistory(range);
  const requests = planHistoryRequests(metrics, range);
  for (const request of requests) {
    const series = await getMetricData(context, request);
    for (const query of request.queries) {
      const metric = metrics[Number(query.Id!.slice(1))];
      const read = series.get(query.Id!);
      if (!read) {
        continue;
      }
      for (let i = 0; i < read.timestamps.length; i++) {
        history.add(metric, read.timestamps[i], request.window.periodSeconds, read.values[i]);
      }
    }
  }
  return { history, requests: requests.length };
}
