/**
 * The rules that judge one change of a reliability policy: does it weaken the policy (customers
 * can be hurt longer or more before someone is told, or nobody is told), strengthen it, or is it
 * neutral (it changes what is measured or who is told, not how much protection there is)?
 * One pure function per rule, each returning the effect and a one-line reason with the numbers.
 *
 * Trade-offs (a tier that fires on smaller error ratios but later on full outages, a page tier
 * turned into a ticket at a lower threshold) count as weakening: something that used to be caught
 * in time no longer is, and a reviewer should decide.
 */
import type {
  BlindAlertEntry,
  EscalationEntry,
  ExperimentActionEntry,
  ExperimentEntry,
  GameDayEntry,
  ServiceEntry,
  SliceAlarmEntry,
  SloEntry,
  TierEntry,
  TimeSliceEntry,
} from '../manifest/schema';
import { DERIVED, formatDecimal, formatDuration, formatPercent, joinAnd, plural } from '../private/format';
import { AS_DECLARED, formatBurnRate, formatFactor } from './format';
import { badEventsToFire } from '../slo/burn-rate';
import {
  describeDelay,
  describeGameDay,
  describeKinds,
  describeParameters,
  describeSeverities,
  describeSlice,
  describeSliceAlarm,
  detectionSeconds,
  faultActions,
  outageBudgetSeconds,
} from './policy';

/** How a change moves the policy. */
export type Effect = 'weakening' | 'strengthening' | 'neutral';

/** The effects in the order a review shows them. */
export const EFFECTS: readonly Effect[] = ['weakening', 'strengthening', 'neutral'];

/** What a rule finds about one change of the policy: whether it weakens, strengthens or is neutral, and why. */
export interface ChangeAssessment {
  readonly effect: Effect;
  /** One line saying what the change does, with the numbers. */
  readonly reason: string;
}

const weakening = (reason: string): ChangeAssessment => ({ effect: 'weakening', reason });
const strengthening = (reason: string): ChangeAssessment => ({ effect: 'strengthening', reason });
const neutral = (reason: string): ChangeAssessment => ({ effect: 'neutral', reason });

/** -1, 0 or 1, with a relative tolerance for floating-point noise; Infinity compares as largest. */
export function compare(a: number, b: number): -1 | 0 | 1 {
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a < b ? -1 : 1;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  if (Math.abs(a - b) <= scale * 1e-9) return 0;
  return a < b ? -1 : 1;
}

// ---------------------------------------------------------------- services

export function serviceAdded(service: ServiceEntry): ChangeAssessment {
  return strengthening(`new service with ${plural(service.slos.length, 'SLO')} and ${plural(service.experiments.length, 'experiment')}`);
}

export function serviceRemoved(service: ServiceEntry): ChangeAssessment {
  const slos = service.slos.map((s) => s.name);
  return weakening(`nothing alerts on it any more: its ${plural(slos.length, 'SLO')}${slos.length ? ` (${joinAnd(slos)})` : ''} `
    + `and ${plural(service.experiments.length, 'experiment')} are gone`);
}

/** Owner, runbook, dashboard, descriptions, construct paths: who reads what, not how much protection. */
export function textChanged(what: string, before: string | undefined, after: string | undefined, consequence = ''): ChangeAssessment {
  const tail = consequence ? `: ${consequence}` : '';
  if (before === undefined) return neutral(`${what} added${tail}`);
  if (after === undefined) return neutral(`${what} removed${tail}`);
  return neutral(`${what} changed${tail}`);
}

// ---------------------------------------------------------------- SLOs

export function sloAdded(slo: SloEntry): ChangeAssessment {
  return strengthening(`new SLO: ${formatPercent(slo.objective)} over ${formatDuration(slo.windowSeconds, AS_DECLARED)}, ${describeSeverities(slo)}`);
}

export function sloRemoved(slo: SloEntry): ChangeAssessment {
  return weakening(`nothing alerts on it any more (it ${describeSeverities(slo).replace(/ only$/, '')} at `
    + `${formatPercent(slo.objective)} over ${formatDuration(slo.windowSeconds, AS_DECLARED)})`);
}

/** Objective lowered: a larger budget, everything fires later. Raised: the reverse. */
export function objectiveChanged(before: SloEntry, after: SloEntry): ChangeAssessment {
  const direction = compare(after.objective, before.objective);
  const budgetBefore = formatDuration(outageBudgetSeconds(before));
  const budgetAfter = formatDuration(outageBudgetSeconds(after));
  const sameWindow = before.windowSeconds === after.windowSeconds;
  const outage = sameWindow
    ? `${budgetBefore} → ${budgetAfter} of full outage per ${formatDuration(after.windowSeconds, AS_DECLARED)}`
    : `${budgetBefore}/${formatDuration(before.windowSeconds, AS_DECLARED)} → ${budgetAfter}/${formatDuration(after.windowSeconds, AS_DECLARED)} of full outage`;
  const factor = formatFactor(before.errorBudget, after.errorBudget);
  // thresholds scale with the budget (error ratio = burn rate × budget), so detection times do too
  const tiers = (when: string) => (sameWindow ? `; every tier fires ${factor} ${when}` : '');
  if (direction < 0) {
    return weakening(`budget ${factor} larger: ${outage}${tiers('later')}`);
  }
  if (direction > 0) {
    return strengthening(`budget ${factor} smaller: ${outage}${tiers('sooner')}`);
  }
  return neutral('objective unchanged');
}

/**
 * The SLO window: neutral. The budget is counted over another period, and burn-rate thresholds
 * (budget share × SLO window / long window) follow. `tierNote` names one tier's new burn rate.
 */
export function windowChanged(before: SloEntry, after: SloEntry, tierNote?: string): ChangeAssessment {
  const budget = `${formatDuration(outageBudgetSeconds(after))} of full outage (was ${formatDuration(outageBudgetSeconds(before))})`;
  return neutral(`budget counted over ${formatDuration(after.windowSeconds, AS_DECLARED)} instead of ${formatDuration(before.windowSeconds, AS_DECLARED)}: `
    + `${budget}; burn-rate thresholds follow${tierNote ? ` (${tierNote})` : ''}`);
}

/** One tier's low-traffic guard on both sides of a change (the same tier id). */
export interface GuardChange {
  readonly tier: string;
  /** The guard N before and after: a long window holding fewer events is judged as if it held N, the rest good. */
  readonly before: number;
  readonly after: number;
  /** The tier's error-ratio threshold before and after. */
  readonly errorRatioBefore: number;
  readonly errorRatioAfter: number;
}

function describeGuardChange(g: GuardChange): string {
  const fire = (ratio: number, n: number) => badEventsToFire(ratio, n);
  const before = fire(g.errorRatioBefore, g.before);
  const after = fire(g.errorRatioAfter, g.after);
  return `${g.tier} ${g.before} → ${plural(g.after, 'event')}`
    + (before !== after ? ` (${plural(after, 'failed event')} fire it below that, was ${before})` : '');
}

/**
 * The tiers' low-traffic guards (`minimumEvents`, or each tier's single-failure floor): a higher
 * guard N makes a tier slower to fire at low traffic — a long window with fewer than N events is
 * judged as if it held N, the rest good, so more failed events are needed before it fires, or
 * none suffice in a quiet window — and weakens, as a larger `minimumEvents` always did; a lower one
 * strengthens; a mix is a trade-off and weakens. `changes` lists the tiers found on both sides.
 */
export function guardsChanged(changes: readonly GuardChange[]): ChangeAssessment {
  const raised = changes.filter((g) => g.after > g.before);
  const lowered = changes.filter((g) => g.after < g.before);
  if (raised.length > 0 && lowered.length > 0) {
    return weakening(`a trade-off at low traffic: ${joinAnd(raised.map(describeGuardChange))} fire later; `
      + `${joinAnd(lowered.map(describeGuardChange))} sooner`);
  }
  if (raised.length > 0) {
    return weakening(`long windows need more events before a tier fires at low traffic, so incidents there alert later or not at all: `
      + joinAnd(raised.map(describeGuardChange)));
  }
  if (lowered.length > 0) {
    return strengthening(`long windows need fewer events before a tier fires at low traffic: ${joinAnd(lowered.map(describeGuardChange))}`);
  }
  return neutral(changes.length > 0
    ? `no tier's low-traffic guard changes (${changes.map((g) => g.after).join('/')} events): each tier's single-failure floor is larger`
    : 'no tier on both sides to compare');
}

export function sliKindChanged(before: string, after: string): ChangeAssessment {
  return neutral(`the SLI counts something else: ${after} instead of ${before}; compare the metrics`);
}

export function sliMetricsChanged(added: readonly string[], removed: readonly string[]): ChangeAssessment {
  const parts = [
    added.length ? `now reads ${joinAnd(added)}` : undefined,
    removed.length ? `no longer reads ${joinAnd(removed)}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return neutral(`${parts.join('; ')}: events are counted differently`);
}

// ---------------------------------------------------------------- time slices

/**
 * Where a condition's good values end, as one number to compare: for `<`/`<=` the upper bound
 * (an inclusive bound a hair higher), for `>`/`>=` the lower bound (an inclusive one a hair lower).
 */
function goodBound(slice: Pick<TimeSliceEntry, 'comparison' | 'threshold'>): { below: boolean; bound: number; inclusive: boolean } {
  const below = slice.comparison.startsWith('<');
  return { below, bound: slice.threshold, inclusive: slice.comparison.endsWith('=') };
}

/** `slice0 < 300`. */
function conditionText(slice: Pick<TimeSliceEntry, 'metricId' | 'comparison' | 'threshold'>): string {
  return `${slice.metricId} ${slice.comparison} ${formatDecimal(slice.threshold)}`;
}

/**
 * A time-slice SLI's condition (comparison or threshold) changed. Looser — more values count as
 * good (a higher threshold below which a slice is good, `<` to `<=`) — weakens: slices that used to
 * spend budget and page no longer do. Stricter strengthens. A condition turned the other way
 * (`<` to `>`) judges something else: neutral, compare it with the metric.
 */
export function sliceConditionChanged(before: TimeSliceEntry, after: TimeSliceEntry): ChangeAssessment {
  const b = goodBound(before);
  const a = goodBound(after);
  const text = `a slice is good when ${conditionText(after)} (was ${conditionText(before)})`;
  if (b.below !== a.below) {
    return neutral(`${text}: the condition judges the other side of the threshold; check it against the metric`);
  }
  const bound = compare(a.bound, b.bound);
  // same bound: an inclusive one admits the threshold itself
  const wider = bound !== 0 ? (a.below ? bound > 0 : bound < 0) : a.inclusive && !b.inclusive;
  const narrower = bound !== 0 ? !wider : b.inclusive && !a.inclusive;
  if (wider) {
    return weakening(`looser condition: ${text}; slices between the two thresholds no longer spend the budget nor page`);
  }
  if (narrower) {
    return strengthening(`stricter condition: ${text}; slices between the two thresholds now spend the budget and page`);
  }
  return neutral(text);
}

/**
 * What a slice without data counts as: bad → good weakens (a metric that stops publishing — a
 * stopped consumer, a deleted canary — no longer spends the budget nor pages), good → bad strengthens.
 */
export function missingSliceChanged(before: string, after: string): ChangeAssessment {
  const text = `a slice without data counts as ${after} (was ${before})`;
  if (after === 'good' && before === 'bad') {
    return weakening(`${text}: a metric that stops publishing no longer spends the budget nor pages`);
  }
  if (after === 'bad' && before === 'good') {
    return strengthening(`${text}: a metric that stops publishing now spends the budget and pages`);
  }
  return neutral(text);
}

/**
 * The slice's length: longer weakens (the condition is judged on the statistic over a longer
 * slice, so a bad spell shorter than a slice can be aggregated away — an average, a sum under a
 * threshold — and each alarm decides once per slice); shorter strengthens.
 */
export function sliceChanged(before: number, after: number): ChangeAssessment {
  const text = `the condition is judged per ${describeSlice(after)} slice (was ${describeSlice(before)})`;
  const direction = compare(after, before);
  if (direction > 0) {
    return weakening(`coarser: ${text}; a bad spell shorter than a slice can be aggregated away, and each alarm decides once per slice`);
  }
  if (direction < 0) {
    return strengthening(`finer: ${text}; shorter bad spells count, and the alarms decide more often`);
  }
  return neutral(text);
}

/** `≥ 8 of 60 / ≥ 1 of 5`. */
function sliceAlarmsText(tier: Pick<TierEntry, 'slices'>): string {
  return `${describeSliceAlarm(tier.slices!.long)} / ${describeSliceAlarm(tier.slices!.short)}`;
}

function share(alarm: SliceAlarmEntry): number {
  return alarm.slicesToAlarm / alarm.slices;
}

/**
 * The bad slices a time-slice tier's window alarms need (M of N), changed while the objective,
 * window, slice and tier did not: more bad slices (a larger share of the window) weaken, fewer
 * strengthen, a mix of the two windows is a trade-off and weakens.
 */
export function sliceAlarmsChanged(before: TierEntry, after: TierEntry): ChangeAssessment {
  const text = `fires when ${sliceAlarmsText(after)} slices are bad (was ${sliceAlarmsText(before)})`;
  const moves = [compare(share(after.slices!.long), share(before.slices!.long)), compare(share(after.slices!.short), share(before.slices!.short))];
  if (moves.some((m) => m > 0) && moves.some((m) => m < 0)) {
    return weakening(`trade-off: ${text}`);
  }
  if (moves.some((m) => m > 0)) {
    return weakening(`more bad slices before it fires: ${text}`);
  }
  if (moves.some((m) => m < 0)) {
    return strengthening(`fewer bad slices before it fires: ${text}`);
  }
  return neutral(text);
}

// ---------------------------------------------------------------- blind alert

function blindVerb(blind: BlindAlertEntry): string {
  return blind.severity === 'page' ? 'pages' : 'opens a ticket';
}

export function blindAlertAdded(blind: BlindAlertEntry): ChangeAssessment {
  return strengthening(`${blindVerb(blind)} when the SLI counts fewer than ${plural(blind.expectedEvents, 'event')} in `
    + `${formatDuration(blind.afterSeconds, AS_DECLARED)}: an outage that stops its metrics (no healthy target, a renamed stage or function) `
    + 'no longer goes unnoticed by the burn-rate tiers, which read that silence as healthy');
}

export function blindAlertRemoved(blind: BlindAlertEntry): ChangeAssessment {
  return weakening(`nobody is told any more when the SLI stops counting events (it ${blindVerb(blind)} after `
    + `${formatDuration(blind.afterSeconds, AS_DECLARED)} with fewer than ${plural(blind.expectedEvents, 'event')}): the burn-rate tiers read that silence as healthy`);
}

/**
 * The blind alert's severity, delay or expected traffic changed. Page → ticket, a longer delay and
 * fewer expected events weaken (a silence is reported later, to fewer people, or only when deeper);
 * the reverse strengthens; a mix is a trade-off and weakens.
 */
export function blindAlertChanged(before: BlindAlertEntry, after: BlindAlertEntry): ChangeAssessment {
  const parts: ChangeAssessment[] = [];
  if (before.severity !== after.severity) {
    parts.push(after.severity === 'page'
      ? strengthening(`a blind SLI now pages (was a ${before.severity})`)
      : weakening(`a blind SLI now opens a ${after.severity} instead of paging: nobody is woken while the burn-rate tiers cannot see`));
  }
  const delay = compare(after.afterSeconds, before.afterSeconds);
  if (delay !== 0) {
    const text = `fires after ${formatDuration(after.afterSeconds, AS_DECLARED)} of silence (was ${formatDuration(before.afterSeconds, AS_DECLARED)})`;
    parts.push(delay > 0 ? weakening(`later: ${text}`) : strengthening(`sooner: ${text}`));
  }
  const expected = compare(after.expectedEvents, before.expectedEvents);
  if (expected !== 0) {
    const text = `fires below ${plural(after.expectedEvents, 'event')} per window (was ${before.expectedEvents})`;
    parts.push(expected > 0 ? strengthening(`${text}: also sees traffic that drops without stopping`) : weakening(`${text}: a deeper drop is needed`));
  }
  if (parts.length === 0) {
    return neutral('blind alert unchanged');
  }
  const effects = new Set(parts.map((p) => p.effect));
  const reason = parts.map((p) => p.reason).join('; ');
  if (effects.size > 1) {
    return weakening(`trade-off: ${reason}`);
  }
  return { effect: parts[0].effect, reason };
}

// ---------------------------------------------------------------- tiers

/** `page 1 h / 5 min at 14.4x (2 % of budget)`. */
export function describeTier(tier: TierEntry): string {
  if (tier.slices) {
    return `${tier.severity} ${formatDuration(tier.longWindowSeconds, AS_DECLARED)} / ${formatDuration(tier.shortWindowSeconds, AS_DECLARED)} `
      + `at ${sliceAlarmsText(tier)} bad slices (${formatPercent(tier.budgetPercent)} of budget)`;
  }
  return `${tier.severity} ${formatDuration(tier.longWindowSeconds, AS_DECLARED)} / ${formatDuration(tier.shortWindowSeconds, AS_DECLARED)} `
    + `at ${formatBurnRate(tier.burnRate)} (${formatPercent(tier.budgetPercent)} of budget)`;
}

export function tierAdded(tier: TierEntry): ChangeAssessment {
  return strengthening(`new ${tier.severity} tier: fires above ${formatPercent(tier.errorRatio * 100, DERIVED)} errors, `
    + `a full outage after ${formatDuration(detectionSeconds(tier))}`);
}

export function tierRemoved(tier: TierEntry, remainingOfSeverity: number): ChangeAssessment {
  const last = remainingOfSeverity === 0 ? `; the SLO no longer ${tier.severity === 'page' ? 'pages' : 'opens tickets'} at all` : '';
  return weakening(`burns above ${formatPercent(tier.errorRatio * 100, DERIVED)} errors over ${formatDuration(tier.longWindowSeconds, AS_DECLARED)} `
    + `no longer ${tier.severity === 'page' ? 'page' : 'open a ticket'}${last}`);
}

function severityAssessment(before: TierEntry, after: TierEntry): ChangeAssessment | undefined {
  if (before.severity === after.severity) return undefined;
  if (before.severity === 'page') return weakening('turned from a page into a ticket: these burns no longer wake anyone');
  if (after.severity === 'page') return strengthening(`turned from a ${before.severity} into a page: these burns now wake someone`);
  return neutral(`severity ${before.severity} → ${after.severity}`);
}

function thresholdAssessment(before: TierEntry, after: TierEntry): ChangeAssessment | undefined {
  const sensitivity = compare(after.errorRatio, before.errorRatio); // up: fires on fewer incidents
  const tBefore = detectionSeconds(before);
  const tAfter = detectionSeconds(after);
  const speed = compare(tAfter, tBefore); // up: fires later
  const threshold = `above ${formatPercent(after.errorRatio * 100, DERIVED)} errors (was ${formatPercent(before.errorRatio * 100, DERIVED)})`;
  const outage = `a full outage after ${formatDuration(tAfter)} (was ${formatDuration(tBefore)})`;
  const formula = 'detection time = error-ratio threshold / error ratio × long window';
  if (sensitivity === 0 && speed === 0) {
    if (before.shortWindowSeconds !== after.shortWindowSeconds) {
      return neutral(`same threshold; clears about ${formatDuration(after.shortWindowSeconds, AS_DECLARED)} after the errors stop `
        + `(was ${formatDuration(before.shortWindowSeconds, AS_DECLARED)})`);
    }
    return undefined;
  }
  if (sensitivity >= 0 && speed >= 0) {
    return sensitivity > 0
      ? weakening(`fires later and on fewer incidents: ${threshold}; ${outage}`)
      : weakening(`slower detection at the same threshold: ${outage}; ${formula}`);
  }
  if (sensitivity <= 0 && speed <= 0) {
    return sensitivity < 0
      ? strengthening(`fires sooner and on more incidents: ${threshold}; ${outage}`)
      : strengthening(`faster detection at the same threshold: ${outage}; ${formula}`);
  }
  const thresholdShort = `above ${formatPercent(after.errorRatio * 100, DERIVED)} errors, was ${formatPercent(before.errorRatio * 100, DERIVED)}`;
  return sensitivity < 0
    ? weakening(`trade-off: fires on smaller burns (${thresholdShort}) but ${outage}`)
    : weakening(`trade-off: detects sooner (${outage}) but only ${threshold}`);
}

/**
 * A tier whose severity, windows or budget share changed (its burn rate follows). Page → ticket
 * weakens; a higher error-ratio threshold or a later detection of a full outage weakens; both
 * lower strengthens; a mix is a trade-off and weakens; only the short window changed is neutral.
 */
export function tierChanged(before: TierEntry, after: TierEntry): ChangeAssessment {
  const assessments = [severityAssessment(before, after), thresholdAssessment(before, after)].filter((v): v is ChangeAssessment => v !== undefined);
  if (assessments.length === 0) {
    return neutral('same severity, windows and threshold');
  }
  if (assessments.length === 1) {
    return assessments[0];
  }
  const [severity, threshold] = assessments;
  const effects = new Set(assessments.map((v) => v.effect).filter((e) => e !== 'neutral'));
  const reason = `${severity.reason}; ${threshold.reason}`;
  if (effects.size === 2) {
    return weakening(`trade-off: ${reason}`);
  }
  return { effect: effects.size === 1 ? [...effects][0] : 'neutral', reason };
}

// ---------------------------------------------------------------- escalation

function levelsText(escalation: EscalationEntry): string {
  return escalation.levels.map((l) => `${describeKinds(l.targets)} ${describeDelay(l.afterSeconds)}`).join(', then ');
}

export function escalationAdded(escalation: EscalationEntry): ChangeAssessment {
  return strengthening(`pages and tickets now notify ${escalation.name}: ${levelsText(escalation)}`);
}

export function escalationRemoved(escalation: EscalationEntry): ChangeAssessment {
  return weakening(`its page and ticket alarms notify nobody (was ${escalation.name}: ${levelsText(escalation)})`);
}

export function escalationReplaced(before: EscalationEntry, after: EscalationEntry): ChangeAssessment {
  return neutral(`notifies the escalation policy ${after.name} instead of ${before.name}; its levels are compared below`);
}

export function levelAdded(index: number, offsetSeconds: number, targets: readonly string[]): ChangeAssessment {
  return strengthening(`level ${index + 1} notifies ${describeKinds(targets)} ${formatDuration(offsetSeconds)} after the page `
    + 'if nobody acknowledged');
}

export function levelRemoved(index: number, offsetSeconds: number, targets: readonly string[]): ChangeAssessment {
  return weakening(`level ${index + 1} (${describeKinds(targets)}, ${formatDuration(offsetSeconds)} after the page) is no longer notified`);
}

/** A level's delay after the previous one: longer weakens, shorter strengthens. */
export function levelDelayChanged(index: number, before: number, after: number, offsetAfter: number): ChangeAssessment {
  const text = `level ${index + 1} is notified ${formatDuration(after)} after level ${index} (was ${formatDuration(before)}), `
    + `${formatDuration(offsetAfter)} after the page`;
  const direction = compare(after, before);
  if (direction > 0) return weakening(`later escalation: ${text}`);
  if (direction < 0) return strengthening(`sooner escalation: ${text}`);
  return neutral(text);
}

/** A level's target kinds: neutral, unless the level lost (or gained) all of them. */
export function levelTargetsChanged(index: number, before: readonly string[], after: readonly string[]): ChangeAssessment {
  const text = `level ${index + 1} notifies ${describeKinds(after)} (was ${describeKinds(before)})`;
  if (after.length === 0) return weakening(text);
  if (before.length === 0) return strengthening(text);
  return neutral(text);
}

/** Fewer passes through the chain weakens. */
export function repeatChanged(before: number, after: number): ChangeAssessment {
  const text = `the chain runs ${plural(after + 1, 'time')} before it gives up (was ${before + 1})`;
  const direction = compare(after, before);
  if (direction < 0) return weakening(`${text}: fewer re-notifications when nobody answers`);
  if (direction > 0) return strengthening(`${text}: more re-notifications when nobody answers`);
  return neutral(text);
}

export function ticketsChanged(before: readonly string[], after: readonly string[]): ChangeAssessment {
  if (after.length === 0) return weakening(`ticket alarms notify nobody (was ${describeKinds(before)})`);
  if (before.length === 0) return strengthening(`ticket alarms now notify ${describeKinds(after)}`);
  return neutral(`tickets go to ${describeKinds(after)} (was ${describeKinds(before)})`);
}

export function acknowledgeTtlChanged(before: number, after: number): ChangeAssessment {
  return neutral(`acknowledge links valid for ${formatDuration(after)} (was ${formatDuration(before)})`);
}

// ---------------------------------------------------------------- experiments

function faultsText(experiment: ExperimentEntry): string {
  const ids = faultActions(experiment).map((a) => a.actionId).filter((id) => id !== 'aws:fis:wait');
  return ids.length ? joinAnd(ids) : 'no fault';
}

export function experimentAdded(experiment: ExperimentEntry): ChangeAssessment {
  const schedule = experiment.gameDay ? `, game day ${describeGameDay(experiment.gameDay)}` : '';
  return strengthening(`new experiment: ${faultsText(experiment)}${schedule}`);
}

export function experimentRemoved(experiment: ExperimentEntry): ChangeAssessment {
  return weakening(`no longer exercised: ${faultsText(experiment)}${experiment.gameDay?.enabled ? ' (it ran as a game day)' : ''}`);
}

export function steadyStateCheckChanged(after: boolean): ChangeAssessment {
  return after
    ? strengthening('faults start only when the stop-condition alarms are OK')
    : weakening('faults start without checking that the stop-condition alarms are OK: a failing service is made worse');
}

export function recoveryCheckChanged(after: boolean): ChangeAssessment {
  return after
    ? strengthening('checks that the service recovered by itself after the faults')
    : weakening('no longer checks that the service recovered by itself after the faults');
}

export function settleChanged(before: number | undefined, after: number | undefined): ChangeAssessment {
  return neutral(`recovery is checked ${after === undefined ? '?' : formatDuration(after)} after the faults `
    + `(was ${before === undefined ? '?' : formatDuration(before)})`);
}

export function stopConditionAdded(alarm: string): ChangeAssessment {
  return strengthening(`FIS also stops the experiment when ${alarm} is in ALARM`);
}

export function stopConditionRemoved(alarm: string): ChangeAssessment {
  return weakening(`FIS no longer stops the experiment when ${alarm} is in ALARM`);
}

/** Game day added, removed, enabled, disabled or rescheduled. */
export function gameDayChanged(before: GameDayEntry | undefined, after: GameDayEntry | undefined): ChangeAssessment {
  if (!before && after) {
    return after.enabled
      ? strengthening(`runs as a game day: ${describeGameDay(after)}`)
      : neutral(`game day declared but disabled: ${describeGameDay(after)}; it runs only once enabled`);
  }
  if (before && !after) {
    return before.enabled
      ? weakening(`no game day any more (was ${describeGameDay(before)}): it runs only by hand`)
      : neutral(`the disabled game day was removed (${describeGameDay(before)})`);
  }
  const schedule = `${after!.expression} in ${after!.timeZone}`;
  if (before!.enabled && !after!.enabled) {
    return weakening(`the game day (${schedule}) is disabled: the experiment runs only by hand`);
  }
  if (!before!.enabled && after!.enabled) {
    return strengthening(`the game day runs: ${schedule}`);
  }
  return neutral(`game day rescheduled: ${describeGameDay(after!)} (was ${describeGameDay(before!)})`);
}

export function faultAdded(action: ExperimentActionEntry): ChangeAssessment {
  return neutral(`also injects ${action.actionId}${action.parameters && Object.keys(action.parameters).length
    ? ` (${describeParameters(action.parameters)})` : ''}: the experiment tests another hypothesis`);
}

export function faultRemoved(action: ExperimentActionEntry): ChangeAssessment {
  return neutral(`no longer injects ${action.actionId}: the experiment tests another hypothesis`);
}

export function faultChanged(details: readonly string[]): ChangeAssessment {
  return neutral(`${details.join('; ')}: the experiment tests another hypothesis`);
}

export function targetChanged(text: string): ChangeAssessment {
  return neutral(`${text}: the faults hit other resources`);
}
