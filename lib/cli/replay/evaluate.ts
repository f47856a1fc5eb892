/**
 * Replaying an SLO's synthesized alarms on the history read: the faithful evaluator
 * (lib/simulation/evaluator.ts) over every minute of the range, folded into the alerts people
 * count: each time the page or ticket composite went to ALARM, when it cleared, which tiers had
 * both windows in ALARM, and whether its actions ran (a ticket is muted while the page fires).
 * Pure.
 */
import { ruleAlarms } from '../../simulation/alarm-rule';
import { DEFAULT_EXTRA_RANGE_DATAPOINTS, metricIdentityKey } from '../../simulation/evaluator';
import { AlertTimeline } from '../../simulation/outcome';
import { tiersOf } from '../../simulation/incident-report';
import type { ModelMetric, SloAlarmModel, WindowAlarmModel } from '../../simulation/template-alarms';
import { formatWindow } from '../../slo/windows';
import { formatDuration } from '../render';
import { FIVE_MINUTE_PERIOD_SECONDS, historyMetric, HistoryMetric, MetricHistory, ReplayRange } from './history';

/** An SLO to replay: its alarms read back from a template, deploy-time values resolved. */
export interface ReplaySlo {
  readonly service: string;
  readonly slo: string;
  /** The alarms, or undefined when they cannot be replayed (see `reason`). */
  readonly model?: SloAlarmModel;
  /** Why the SLO is not replayed. @default - it is */
  readonly reason?: string;
}

/** One time a composite went to ALARM. */
export interface ReplayAlert {
  /** `page` or `ticket`. */
  readonly severity: string;
  readonly composite: string;
  readonly firedAt: Date;
  /** @default - still in ALARM at the end of the range */
  readonly clearedAt?: Date;
  /** The tiers with both windows in ALARM when it fired (`page-1h-5m`), or the other alarms of its rule that were. */
  readonly causes: string[];
  /** When its ALARM actions ran (notified), late when a suppressor held them. @default - never: muted */
  readonly notifiedAt?: Date;
  /** It went to ALARM at the first evaluation of the range: most likely it was already firing before. */
  readonly atStart: boolean;
}

/** What the alarms of one SLO would have done over the range. */
export interface SloReplay {
  readonly service: string;
  readonly slo: string;
  readonly replayed: boolean;
  /** Why it was not replayed. @default - replayed */
  readonly reason?: string;
  /** Page ALARM notifications. */
  readonly pages: number;
  /** Ticket ALARM notifications (after the page's suppression). */
  readonly tickets: number;
  readonly alerts: ReplayAlert[];
  /** What to know when reading it: metrics absent from the history, alerts firing at the start. */
  readonly notes: string[];
}

/** Minutes of history an alarm reads before the evaluation at the start of the range. */
export function lookBackMinutes(alarm: WindowAlarmModel, delayMinutes: number): number {
  const isSlice = alarm.evaluationPeriods !== 1 || alarm.datapointsToAlarm !== 1;
  return (alarm.periodSeconds / 60) * alarm.evaluationPeriods + (isSlice ? DEFAULT_EXTRA_RANGE_DATAPOINTS : 0) + delayMinutes;
}

/** The longest look-back of the models' alarms, in minutes. */
export function warmUpMinutes(models: readonly SloAlarmModel[], delayMinutes: number): number {
  return Math.max(0, ...models.flatMap((m) => m.windowAlarms.map((a) => lookBackMinutes(a, delayMinutes))));
}

/** The alarm's datapoints are whole 5-minute periods, which 5-minute data gives as they are. */
function onFiveMinutePeriods(alarm: WindowAlarmModel): boolean {
  return alarm.periodSeconds % FIVE_MINUTE_PERIOD_SECONDS === 0;
}

/** The alarm reads history older than the 1-minute data (only 5-minute data is kept there). */
function readsFiveMinuteData(alarm: WindowAlarmModel, range: ReplayRange, delayMinutes: number): boolean {
  return range.start.getTime() - lookBackMinutes(alarm, delayMinutes) * 60_000 < range.oneMinuteFrom.getTime();
}

/**
 * Why the model cannot be replayed on the range, or undefined: an alarm on datapoints shorter than
 * 5 minutes (a time-slice SLO on 1-minute slices) whose look-back reaches back beyond the 1-minute
 * retention, where only 5-minute data is left. An alarm on whole 5-minute periods (a canary's
 * 5-minute slices) reads 5-minute data as it is, up to the 63 days CloudWatch keeps it.
 */
export function resolutionProblem(model: SloAlarmModel, range: ReplayRange, delayMinutes: number): string | undefined {
  const finer = model.windowAlarms.filter((a) => !onFiveMinutePeriods(a));
  if (finer.length === 0) {
    return undefined;
  }
  const longest = finer.reduce((a, b) => (lookBackMinutes(b, delayMinutes) > lookBackMinutes(a, delayMinutes) ? b : a));
  if (!readsFiveMinuteData(longest, range, delayMinutes)) {
    return undefined;
  }
  const lookBack = lookBackMinutes(longest, delayMinutes);
  const most = Math.max(0, (range.end.getTime() - range.oneMinuteFrom.getTime()) / 60_000 - lookBack);
  return `its alarm ${longest.name} evaluates ${longest.periodSeconds / 60}-minute datapoints over ${formatDuration(lookBack * 60)} before each evaluation, and the range `
    + `reaches back beyond the 15 days CloudWatch keeps 1-minute data (only 5-minute data is older): replay at most ${formatDuration(most * 60)}`;
}

/**
 * Every metric the models read, once each. Given the range, a metric that no alarm on periods
 * shorter than 5 minutes reads beyond the 1-minute data reads 5-minute datapoints as they are, each
 * once at its period's start as a live 5-minute publisher's (`HistoryMetric.fiveMinuteValues`); the SLO of such an alarm is not
 * replayed anyway (`resolutionProblem`).
 */
export function metricsOf(models: readonly SloAlarmModel[], coarse?: { range: ReplayRange; delayMinutes: number }): HistoryMetric[] {
  const byKey = new Map<string, { metric: ModelMetric; fiveMinute: boolean }>();
  for (const model of models) {
    for (const alarm of model.windowAlarms) {
      const fine = !onFiveMinutePeriods(alarm) && (coarse === undefined || readsFiveMinuteData(alarm, coarse.range, coarse.delayMinutes));
      for (const metric of Object.values(alarm.metrics)) {
        const key = metricIdentityKey(metric);
        const seen = byKey.get(key);
        byKey.set(key, { metric: seen?.metric ?? metric, fiveMinute: (seen?.fiveMinute ?? true) && !fine });
      }
    }
  }
  return [...byKey.values()].map((m) => historyMetric(m.metric, m.fiveMinute));
}

/**
 * What the alarms could not read of the 5-minute part of the history, per metric their look-back
 * takes there: datapoints they cannot read as they are (a 5-minute percentile), or none at all where later data has
 * some. Those minutes are missing to the alarms, and the replay says so.
 */
function coarseGaps(model: SloAlarmModel, history: MetricHistory, delayMinutes: number): string[] {
  const range = history.range;
  if (range.segments.length < 2) {
    return [];
  }
  const boundary = `${range.oneMinuteFrom.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const reading = model.windowAlarms.filter((a) => readsFiveMinuteData(a, range, delayMinutes));
  const notes: string[] = [];
  for (const metric of metricsOf(reading.map((a) => ({ ...model, windowAlarms: [a] })))) {
    const read = history.coarseRead(metric);
    if (read.unusable > 0) {
      notes.push(`${read.unusable} 5-minute datapoints of ${describeMetric(metric)} before ${boundary} cannot be read as the alarms' datapoints `
        + `(a 5-minute ${metric.statistic} says nothing of each minute): the alarms read that part of the range as missing`);
    } else if (read.used === 0 && history.datapoints(metric) > 0) {
      notes.push(`no 5-minute datapoint of ${describeMetric(metric)} before ${boundary}, where only 5-minute data is kept: the alarms read `
        + 'that part of the range as missing (not published then, or no such events)');
    }
  }
  return notes;
}

/** An SLO that is not replayed. */
export function notReplayed(slo: ReplaySlo, reason: string): SloReplay {
  return { service: slo.service, slo: slo.slo, replayed: false, reason, pages: 0, tickets: 0, alerts: [], notes: [] };
}

function severityOf(composite: string): string | undefined {
  return /-(page|ticket)$/.exec(composite)?.[1];
}

/** `AWS/Lambda Errors FunctionName=x (Sum)`. */
function describeMetric(metric: HistoryMetric): string {
  const dimensions = Object.entries(metric.dimensions).map(([k, v]) => `${k}=${v}`).join(',');
  return `${metric.namespace} ${metric.metricName}${dimensions ? ` ${dimensions}` : ''} (${metric.statistic})`;
}

/** Evaluates the SLO's alarms on every minute of the history's range. */
export function replaySlo(slo: ReplaySlo, history: MetricHistory, delayMinutes: number): SloReplay {
  const model = slo.model;
  if (!model) {
    return notReplayed(slo, slo.reason ?? 'its alarms cannot be read');
  }
  const range = history.range;
  const problem = resolutionProblem(model, range, delayMinutes);
  if (problem) {
    return notReplayed(slo, problem);
  }
  let timeline: AlertTimeline;
  try {
    timeline = AlertTimeline.of(model, history.scenario(), { minutes: range.minutes, delayMinutes });
  } catch (err) {
    return notReplayed(slo, `the evaluator cannot replay its alarms: ${(err as Error).message}`);
  }
  const at = (minute: number) => new Date(range.start.getTime() + minute * 60_000);
  const tiers = tiersOf(model);
  const byLogicalId = new Map(model.windowAlarms.map((a) => [a.logicalId, a.name]));
  const alerts: ReplayAlert[] = [];
  for (const composite of model.composites) {
    const severity = severityOf(composite.name);
    if (severity !== 'page' && severity !== 'ticket') {
      continue; // the library names its composites <service>-<slo>-page|ticket
    }
    const notifications = timeline.result.notifications.filter((n) => n.alarm === composite.name && n.state === 'ALARM');
    const ruleNames = [...ruleAlarms(composite.rule)].map((id) => byLogicalId.get(id)).filter((n): n is string => n !== undefined);
    for (const interval of timeline.intervals(severity)) {
      const firing = tiers.filter((t) => t.composite === composite.name
        && timeline.stateAt(t.longAlarm, interval.from) === 'ALARM' && timeline.stateAt(t.shortAlarm, interval.from) === 'ALARM');
      const tierAlarms = new Set(firing.flatMap((t) => [t.longAlarm, t.shortAlarm]));
      const others = ruleNames.filter((n) => !tiers.some((t) => t.longAlarm === n || t.shortAlarm === n) && !tierAlarms.has(n)
        && timeline.stateAt(n, interval.from) === 'ALARM');
      const notified = notifications.find((n) => n.minute >= interval.from && (interval.to === undefined || n.minute < interval.to));
      alerts.push({
        severity,
        composite: composite.name,
        firedAt: at(interval.from),
        ...(interval.to !== undefined ? { clearedAt: at(interval.to) } : {}),
        causes: [...firing.map((t) => `${t.severity}-${formatWindow(t.longWindowSeconds)}-${formatWindow(t.shortWindowSeconds)}`), ...others],
        ...(notified ? { notifiedAt: at(notified.minute) } : {}),
        atStart: interval.from === 1,
      });
    }
  }
  alerts.sort((a, b) => a.firedAt.getTime() - b.firedAt.getTime() || a.severity.localeCompare(b.severity));
  const count = (severity: string) => timeline.result.notifications
    .filter((n) => n.state === 'ALARM' && severityOf(n.alarm) === severity && model.composites.some((c) => c.name === n.alarm)).length;

  const notes: string[] = [];
  const absent = metricsOf([model]).filter((m) => history.datapoints(m) === 0);
  if (absent.length > 0) {
    notes.push(`no datapoint of ${absent.map(describeMetric).join(', ')} in the whole history read: the alarms read `
      + `${absent.length === 1 ? 'it' : 'them'} as missing throughout (not published, other dimensions, another region or account, or no such events)`);
  }
  notes.push(...coarseGaps(model, history, delayMinutes));
  if (alerts.some((a) => a.atStart)) {
    notes.push('an alert in ALARM at the first evaluation of the range was most likely already firing before it: it is counted once');
  }
  return { service: slo.service, slo: slo.slo, replayed: true, pages: count('page'), tickets: count('ticket'), alerts, notes };
}
