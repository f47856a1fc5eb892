/**
 * What the entries of a reliability manifest mean, derived for review: when a tier detects an
 * outage, how much full outage a budget allows, which experiment actions are faults and which are
 * the steady-state and recovery checks around them. Pure.
 */
import type {
  BlindAlertEntry,
  EscalationEntry,
  ExperimentActionEntry,
  ExperimentEntry,
  ExperimentTargetEntry,
  GameDayEntry,
  MetricEntry,
  SliceAlarmEntry,
  SloEntry,
  TierEntry,
  TimeSliceEntry,
} from '../manifest/schema';
import { formatDecimal, formatDuration, joinAnd } from '../private/format';
import { AS_DECLARED, parseIsoDuration } from './format';

/** FIS actions the experiment layout puts around the faults (see `lib/chaos/chaos-experiment.ts`). */
export const CHECK_ACTION_IDS = {
  assertAlarmState: 'aws:cloudwatch:assert-alarm-state',
  wait: 'aws:fis:wait',
} as const;

/** The name of the wait between the last fault and the recovery check. */
export const SETTLE_ACTION = 'settle';

/** Seconds of full outage (every event bad) the SLO's error budget allows over its window. */
export function outageBudgetSeconds(slo: Pick<SloEntry, 'errorBudget' | 'windowSeconds'>): number {
  return slo.errorBudget * slo.windowSeconds;
}

/**
 * Seconds after which a tier fires for a constant error ratio `e` on healthy traffic:
 * `t = error-ratio threshold / e × long window` (the SRE Workbook's detection time; the short
 * window crosses earlier). Infinity when the tier never fires for `e` (`e` not above the threshold).
 */
export function detectionSeconds(tier: Pick<TierEntry, 'errorRatio' | 'longWindowSeconds'>, errorRatio = 1): number {
  if (!(errorRatio > tier.errorRatio)) {
    return Infinity;
  }
  return (tier.errorRatio / errorRatio) * tier.longWindowSeconds;
}

/** `1h / 5m` windows of a tier, readable: `1 h / 5 min`. */
export function tierWindows(tier: Pick<TierEntry, 'longWindowSeconds' | 'shortWindowSeconds'>): string {
  return `${formatDuration(tier.longWindowSeconds, AS_DECLARED)} / ${formatDuration(tier.shortWindowSeconds, AS_DECLARED)}`;
}

/** True for the steady-state and recovery checks and the settle wait the layout adds. */
export function isCheckAction(action: Pick<ExperimentActionEntry, 'name' | 'actionId'>): boolean {
  return action.actionId === CHECK_ACTION_IDS.assertAlarmState
    || (action.actionId === CHECK_ACTION_IDS.wait && action.name === SETTLE_ACTION);
}

/** The experiment's faults (and waits between them), in declaration order. */
export function faultActions(experiment: ExperimentEntry): ExperimentActionEntry[] {
  return experiment.actions.filter((a) => !isCheckAction(a));
}

/** Seconds the experiment waits after the faults before checking recovery, when it does. */
export function settleSeconds(experiment: ExperimentEntry): number | undefined {
  const settle = experiment.actions.find((a) => a.name === SETTLE_ACTION && a.actionId === CHECK_ACTION_IDS.wait);
  const duration = settle?.parameters.duration;
  return duration === undefined ? undefined : parseIsoDuration(duration);
}

/** An action's parameters: `startupDelayMilliseconds 800, invocationPercentage 5, duration PT10M`. */
export function describeParameters(parameters: Readonly<Record<string, string>>): string {
  return Object.entries(parameters).map(([key, value]) => `${key} ${value}`).join(', ');
}

/** A metric as one line: `AWS/ApiGateway 5XXError (ApiName=checkout, Stage=prod), Sum`. */
export function describeMetric(metric: MetricEntry): string {
  const dimensions = Object.entries(metric.dimensions).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${metric.namespace} ${metric.metricName}${dimensions ? ` (${dimensions})` : ''}, ${metric.statistic}`;
}

/** What a target selects: ARNs, tags, filters and parameters, as one line. */
export function describeTargetResources(target: ExperimentTargetEntry): string {
  const parts: string[] = [];
  if (target.resourceArns?.length) parts.push(target.resourceArns.join(', '));
  const tags = Object.entries(target.resourceTags ?? {});
  if (tags.length) parts.push(`tagged ${tags.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  for (const filter of target.filters ?? []) parts.push(`${filter.path} in [${filter.values.join(', ')}]`);
  const parameters = Object.entries(target.parameters ?? {});
  if (parameters.length) parts.push(parameters.map(([k, v]) => `${k}: ${v}`).join(', '));
  return parts.join('; ');
}

/** `cron(0 10 ? * TUE *) in Europe/Berlin, enabled`. */
export function describeGameDay(gameDay: GameDayEntry): string {
  return `${gameDay.expression} in ${gameDay.timeZone}, ${gameDay.enabled ? 'enabled' : 'disabled'}`;
}

/** Seconds from the page to each level's notification: [0, 900, 2700] for delays 0, 15, 30 min. */
export function levelOffsets(escalation: EscalationEntry): number[] {
  let total = 0;
  return escalation.levels.map((level) => (total += level.afterSeconds));
}

/** A list of target kinds: `email, sms`, or `nobody`. */
export function describeKinds(kinds: readonly string[]): string {
  return kinds.length ? kinds.join(', ') : 'nobody';
}

/** `at once` for level 1, `after 15 min` for the others. */
export function describeDelay(afterSeconds: number): string {
  return afterSeconds === 0 ? 'at once' : `after ${formatDuration(afterSeconds)}`;
}

/** What an SLO's tiers (and its blind alert) do: `pages and tickets`, `pages only`, `tickets only`. */
export function describeSeverities(slo: SloEntry): string {
  const severities = [...new Set([...slo.tiers.map((t) => t.severity), ...(slo.blindAlert ? [slo.blindAlert.severity] : [])])];
  const verbs = severities.map((s) => (s === 'page' ? 'pages' : s === 'ticket' ? 'tickets' : s));
  if (verbs.length === 0) return 'alerts nobody';
  return verbs.length === 1 ? `${verbs[0]} only` : joinAnd(verbs);
}

/** A blind alert in a few words: `page when fewer than 1 event in 15 min`. */
export function describeBlindAlert(blind: BlindAlertEntry): string {
  return `${blind.severity} when fewer than ${blind.expectedEvents} event${blind.expectedEvents === 1 ? '' : 's'} in ${formatDuration(blind.afterSeconds, AS_DECLARED)}`;
}

/**
 * The low-traffic guard of a tier's long window as a manifest records it (`TierEntry.guardEvents`),
 * read tolerantly: a long window holding fewer than N events is judged as if it held N, the rest
 * good, N = max(minimumEvents, floor(1/r) + 1) (`longWindowGuardEvents` in `lib/slo/burn-rate.ts`).
 * Manifests written before the per-tier floor have no `guardEvents`: their alarms were guarded by
 * the SLO's `minimumEvents` alone, or not at all (1), and are read so.
 */
export function recordedGuardEvents(slo: Pick<SloEntry, 'minimumEvents'>, tier: Pick<TierEntry, 'guardEvents'>): number {
  const recorded = tier.guardEvents;
  if (typeof recorded === 'number' && Number.isFinite(recorded) && recorded >= 1) {
    return recorded;
  }
  const minimum = slo.minimumEvents;
  return typeof minimum === 'number' && Number.isFinite(minimum) && minimum >= 1 ? minimum : 1;
}

/** Every tier's guard, in tier order: `70/167/334/1001 events`; `none` when no tier is guarded; `no tiers`. */
export function describeGuards(slo: Pick<SloEntry, 'minimumEvents' | 'tiers'>): string {
  if (slo.tiers.length === 0) {
    return 'no tiers';
  }
  const guards = slo.tiers.map((t) => recordedGuardEvents(slo, t));
  return guards.every((n) => n <= 1) ? 'none' : `${guards.join('/')} events`;
}

/** A slice as people read it: `1-minute`, `5-minute`, `1-hour`. */
export function describeSlice(sliceSeconds: number): string {
  return sliceSeconds % 3600 === 0 ? `${sliceSeconds / 3600}-hour` : `${formatDecimal(sliceSeconds / 60)}-minute`;
}

/**
 * A time-slice SLI's condition: `a 1-minute slice is good when slice0 < 300; a slice without data
 * is bad`.
 */
export function describeSliceCondition(slice: TimeSliceEntry): string {
  return `a ${describeSlice(slice.sliceSeconds)} slice is good when ${slice.metricId} ${slice.comparison} ${formatDecimal(slice.threshold)}; `
    + `a slice without data is ${slice.missingSlice}`;
}

/** One window alarm of a time-slice tier: `≥ 8 of 60`. */
export function describeSliceAlarm(alarm: SliceAlarmEntry): string {
  return `≥ ${alarm.slicesToAlarm} of ${alarm.slices}`;
}

/** When a time-slice tier fires: `≥ 8 of 60 and ≥ 1 of 5 1-minute slices are bad`. */
export function describeSliceTier(tier: Pick<TierEntry, 'slices'>, slice: Pick<TimeSliceEntry, 'sliceSeconds'>): string {
  const s = tier.slices!;
  return `${describeSliceAlarm(s.long)} and ${describeSliceAlarm(s.short)} ${describeSlice(slice.sliceSeconds)} slices are bad`;
}

/**
 * Seconds of all-bad slices after which a time-slice tier fires: both window alarms must hold
 * their M bad slices, each slice judged at its end.
 */
export function sliceDetectionSeconds(tier: Pick<TierEntry, 'slices'>, slice: Pick<TimeSliceEntry, 'sliceSeconds'>): number {
  const s = tier.slices!;
  return Math.max(s.long.slicesToAlarm, s.short.slicesToAlarm) * slice.sliceSeconds;
}

/** Bad slices the error budget allows over the SLO window: floor(budget × window / slice). */
export function allowedBadSlices(slo: Pick<SloEntry, 'errorBudget' | 'windowSeconds'>, slice: Pick<TimeSliceEntry, 'sliceSeconds'>): number {
  return Math.floor(Math.round(slo.errorBudget * (slo.windowSeconds / slice.sliceSeconds) * 1e9) / 1e9);
}
