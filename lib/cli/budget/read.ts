/**
 * Reading the budgets: runs the planned GetMetricData requests and sums each SLO's series over its
 * SLO window and over each alert window.
 */
import type { MetricEntry } from '../../manifest/schema';
import { joinAnd } from '../../private/format';
import { truncate } from '../render';
import { alertWindows, sloBudget, SloReading } from './compute';
import { FetchContext, getMetricData, Series, sumSince } from './fetch';
import type { BudgetTarget, EventCounts, SloBudget } from './model';
import { planBudgetRequests, QueryWindow } from './plan';
import { sliceEventCounts, sliceSpan, timeSliceReading } from './time-slices';
import { formatWindow } from '../../slo/windows';

/** The budgets, and the time ranges they were read over. */
export interface BudgetReadout {
  readonly budgets: SloBudget[];
  /** Per SLO (same order as `budgets`): its SLO-window range. @default - not read */
  readonly sloWindows: ReadonlyArray<QueryWindow | undefined>;
  /** The alert windows' range. @default - no tier */
  readonly alertRange?: QueryWindow;
  /** GetMetricData requests planned (each may have had several pages). */
  readonly requests: number;
}

/** `AWS/ApiGateway Latency ApiId=a1b2c3d4e5` for each metric of the SLI. */
export function describeMetrics(metrics: readonly MetricEntry[]): string {
  const names = [...new Set(metrics.filter((m) => !m.expression).map((m) => {
    const dimensions = Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`).join(',');
    return `${m.namespace} ${m.metricName}${dimensions ? ` ${dimensions}` : ''}`;
  }))];
  return names.length > 0 ? truncate(joinAnd(names), 200) : 'the SLI\'s expressions';
}

/** A time-slice SLO's budget from its condition metric's series, read up to `range.end`. */
function timeSliceBudget(target: BudgetTarget, series: Series | undefined, range: QueryWindow, region: string, minRemainingPercent: number): SloBudget {
  const slice = target.slo.sli.timeSlice!;
  const read = timeSliceReading(series, target.slo, slice, range.end.getTime(), alertWindows(target.slo.tiers));
  const reading: SloReading = {
    window: sliceEventCounts(read.window),
    hasData: read.hasData,
    alertWindows: new Map([...read.alertWindows].map(([seconds, counts]) => [seconds, sliceEventCounts(counts)])),
  };
  const span = sliceSpan(target.slo, slice);
  const noData = `no datapoint of ${describeMetrics(target.metrics)} in ${region} in the last ${formatWindow(span.countedSeconds)}`
    + (slice.missingSlice === 'bad' ? ' (its alarms count every such slice as bad)' : '');
  return {
    ...sloBudget(target.service, target.slo, reading, minRemainingPercent, noData),
    slices: {
      sliceSeconds: slice.sliceSeconds,
      countedSeconds: read.window.total * slice.sliceSeconds,
      missing: read.window.missing,
      missingSlice: slice.missingSlice,
      inFlight: read.window.inFlight,
    },
  };
}

/** Reads every target at `now` and computes its budget against the gate `minRemainingPercent`. */
export async function readBudgets(
  context: FetchContext,
  targets: readonly BudgetTarget[],
  now: Date,
  minRemainingPercent: number,
): Promise<BudgetReadout> {
  const plan = planBudgetRequests(targets, now);
  const window = new Map<number, { bad?: Series; total?: Series; metrics: Series[]; metricCount: number }>();
  const alerts = new Map<number, { bad?: Series; total?: Series }>();
  const conditions = new Map<number, Series | undefined>();
  let requests = 0;
  for (const request of plan.requests) {
    const series = await getMetricData(context, request);
    requests++;
    for (const [index, ids] of request.series) {
      if (request.kind === 'time-slices') {
        conditions.set(index, series.get(ids.condition!));
        continue;
      }
      const found = { bad: series.get(ids.bad), total: series.get(ids.total) };
      if (request.kind === 'slo-window') {
        const metrics = ids.metrics.map((id) => series.get(id)).filter((s): s is Series => s !== undefined);
        window.set(index, { ...found, metrics, metricCount: ids.metrics.length });
      } else {
        alerts.set(index, found);
      }
    }
  }

  const budgets = targets.map((target, index) => {
    const slice = plan.sliceWindows.get(index);
    if (target.unreadable === undefined && slice) {
      return timeSliceBudget(target, conditions.get(index), slice, context.region, minRemainingPercent);
    }
    const w = window.get(index);
    if (target.unreadable !== undefined || !w) {
      return sloBudget(target.service, target.slo, undefined, minRemainingPercent, target.unreadable ?? 'not read');
    }
    const a = alerts.get(index);
    const end = plan.alertRange?.end.getTime() ?? now.getTime();
    const perWindow = new Map<number, EventCounts>(alertWindows(target.slo.tiers).map((seconds) => {
      const from = end - seconds * 1000;
      return [seconds, { bad: sumSince(a?.bad, from), total: sumSince(a?.total, from) }];
    }));
    const reading: SloReading = {
      window: { bad: sumSince(w.bad), total: sumSince(w.total) },
      // an SLI made only of math expressions has no metric to look at: its total-events series tells
      hasData: w.metricCount > 0 ? w.metrics.some((s) => s.timestamps.length > 0) : (w.total?.timestamps.length ?? 0) > 0,
      alertWindows: perWindow,
    };
    const noData = `no datapoint of ${describeMetrics(target.metrics)} in ${context.region} in the last ${target.slo.window}`;
    return sloBudget(target.service, target.slo, reading, minRemainingPercent, noData);
  });
  return {
    budgets,
    sloWindows: targets.map((_, index) => plan.sloWindows.get(index)),
    ...(plan.alertRange ? { alertRange: plan.alertRange } : {}),
    requests,
  };
}
