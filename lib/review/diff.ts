/**
 * The semantic diff of two reliability policies: what changed in each stack's services, SLOs,
 * alert tiers, escalation and experiments, each change judged by a rule of `classify.ts`.
 *
 * Keys: stack name, service name, SLO name, tier id, experiment name, escalation level index,
 * fault and target names. Tier ids encode severity and windows (`page-1h-5m`), so tiers that do
 * not match by id are paired when they share windows (the severity changed) or, failing that, a
 * severity in declaration order (the windows changed); the rest are added or removed. When each
 * side holds exactly one stack, the two are compared whatever their names.
 */
import type {
  BlindAlertEntry,
  EscalationEntry,
  ExperimentActionEntry,
  ExperimentEntry,
  ExperimentTargetEntry,
  ReliabilityManifest,
  ServiceEntry,
  SloEntry,
  TierEntry,
  TimeSliceEntry,
} from '../manifest/schema';
import * as rules from './classify';
import { Effect, EFFECTS, ChangeAssessment } from './classify';
import { formatDecimal, formatDuration, formatPercent } from '../private/format';
import { AS_DECLARED, formatBurnRate } from './format';
import {
  describeBlindAlert, describeGameDay, describeGuards, describeKinds, describeMetric, describeParameters, describeTargetResources, faultActions, isCheckAction,
  levelOffsets, recordedGuardEvents, settleSeconds,
} from './policy';

/** One change of the policy, judged. */
export interface PolicyChange extends ChangeAssessment {
  /** Stack name (`Shop`), or `Shop → Prod-Shop` when two differently named single stacks are compared. */
  readonly stack: string;
  /** Service name; empty for a change of the stack itself. */
  readonly service: string;
  /** What changed: `service`, `SLO availability`, `SLO availability, tier page-1h-5m`, `escalation level 2`, `experiment slow-handler`. */
  readonly subject: string;
  /** Which part of it: `added`, `removed`, `objective`, `window`, `delay`, ... */
  readonly aspect: string;
  /** The value before, readable. @default - none (added, or not a value) */
  readonly before?: string;
  /** The value after, readable. @default - none (removed, or not a value) */
  readonly after?: string;
}

/** Counts per effect. */
export interface ChangeSummary {
  readonly total: number;
  readonly weakening: number;
  readonly strengthening: number;
  readonly neutral: number;
}

/** Changes per effect. */
export function summarize(changes: readonly PolicyChange[]): ChangeSummary {
  const countOf = (effect: Effect) => changes.filter((c) => c.effect === effect).length;
  return { total: changes.length, weakening: countOf('weakening'), strengthening: countOf('strengthening'), neutral: countOf('neutral') };
}

interface Matched<T> {
  readonly both: Array<[T, T]>;
  readonly removed: T[];
  readonly added: T[];
}

/** Pairs items by key; pairs and added items in `after` order, removed ones in `before` order. */
function matchBy<T>(before: readonly T[], after: readonly T[], key: (item: T) => string): Matched<T> {
  const beforeByKey = new Map<string, T>();
  for (const item of before) {
    if (!beforeByKey.has(key(item))) beforeByKey.set(key(item), item);
  }
  const used = new Set<T>();
  const both: Array<[T, T]> = [];
  const added: T[] = [];
  for (const item of after) {
    const partner = beforeByKey.get(key(item));
    if (partner !== undefined && !used.has(partner)) {
      used.add(partner);
      both.push([partner, item]);
    } else {
      added.push(item);
    }
  }
  return { both, added, removed: before.filter((item) => !used.has(item)) };
}

/** Tiers by id, then by windows (severity changed), then by severity in order (windows changed). */
export function matchTiers(before: readonly TierEntry[], after: readonly TierEntry[]): Matched<TierEntry> {
  const byId = matchBy(before, after, (t) => t.id);
  const byWindows = matchBy(byId.removed, byId.added, (t) => `${t.longWindowSeconds}/${t.shortWindowSeconds}`);
  const bySeverity = matchBy(byWindows.removed, byWindows.added, (t) => t.severity);
  const both = [...byId.both, ...byWindows.both, ...bySeverity.both];
  // keep the after side's declaration order
  both.sort((x, y) => after.indexOf(x[1]) - after.indexOf(y[1]));
  return { both, added: bySeverity.added, removed: bySeverity.removed };
}

/** Collects the changes of one service. */
class ServiceDiff {
  public readonly changes: PolicyChange[] = [];

  constructor(private readonly stack: string, private readonly service: string) {}

  public add(subject: string, aspect: string, assessment: ChangeAssessment, before?: string, after?: string): void {
    this.changes.push({
      stack: this.stack,
      service: this.service,
      subject,
      aspect,
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
      effect: assessment.effect,
      reason: assessment.reason,
    });
  }

  /** A text field: neutral when it differs. */
  public text(subject: string, aspect: string, before: string | undefined, after: string | undefined, consequence = ''): void {
    if (before !== after) {
      this.add(subject, aspect, rules.textChanged(aspect, before, after, consequence), before, after);
    }
  }
}

/**
 * `followsSlo`: the SLO's objective, window or slice changed, which moves every tier's thresholds
 * (reported there).
 */
function diffTier(d: ServiceDiff, sloSubject: string, before: TierEntry, after: TierEntry, sameSloWindow: boolean, followsSlo: boolean): void {
  const own = before.severity !== after.severity
    || before.longWindowSeconds !== after.longWindowSeconds
    || before.shortWindowSeconds !== after.shortWindowSeconds
    || rules.compare(before.budgetPercent, after.budgetPercent) !== 0
    || (sameSloWindow && rules.compare(before.burnRate, after.burnRate) !== 0);
  const subject = before.id === after.id ? `${sloSubject}, tier ${after.id}` : `${sloSubject}, tier ${before.id} → ${after.id}`;
  if (!own) {
    // thresholds that only follow the SLO's objective, window or slice are reported there; a time-slice
    // tier's M of N that moved on its own (the rounding of another version) is reported here
    if (!followsSlo && before.slices && after.slices && sliceAlarmsDiffer(before, after)) {
      d.add(subject, 'bad slices', rules.sliceAlarmsChanged(before, after), rules.describeTier(before), rules.describeTier(after));
    }
    return;
  }
  d.add(subject, 'changed', rules.tierChanged(before, after), rules.describeTier(before), rules.describeTier(after));
}

function sliceAlarmsDiffer(before: TierEntry, after: TierEntry): boolean {
  const key = (t: TierEntry) => [t.slices!.long.slicesToAlarm, t.slices!.long.slices, t.slices!.short.slicesToAlarm, t.slices!.short.slices].join('/');
  return key(before) !== key(after);
}

function diffSli(d: ServiceDiff, subject: string, before: SloEntry, after: SloEntry): void {
  if (before.sli.kind !== after.sli.kind) {
    d.add(subject, 'SLI kind', rules.sliKindChanged(before.sli.kind, after.sli.kind), before.sli.kind, after.sli.kind);
  }
  const metricsBefore = before.sli.metrics.map(describeMetric);
  const metricsAfter = after.sli.metrics.map(describeMetric);
  const added = metricsAfter.filter((m) => !metricsBefore.includes(m));
  const removed = metricsBefore.filter((m) => !metricsAfter.includes(m));
  if (added.length || removed.length) {
    d.add(subject, 'SLI metrics', rules.sliMetricsChanged(added, removed), metricsBefore.join('; '), metricsAfter.join('; '));
  } else if (before.sli.kind === after.sli.kind && JSON.stringify(before.sli.timeSlice) === JSON.stringify(after.sli.timeSlice)) {
    // a time-slice SLI's default description names its slice and condition, reported below
    d.text(subject, 'SLI description', before.sli.description, after.sli.description, 'the same metrics, described differently');
  }
  diffTimeSlice(d, subject, before.sli.timeSlice, after.sli.timeSlice);
}

/** A time-slice SLI's slice, condition and missing-slice rule, when both sides have one. */
function diffTimeSlice(d: ServiceDiff, subject: string, before: TimeSliceEntry | undefined, after: TimeSliceEntry | undefined): void {
  if (!before || !after) {
    return; // a change of kind is reported as such
  }
  if (before.sliceSeconds !== after.sliceSeconds) {
    d.add(subject, 'slice', rules.sliceChanged(before.sliceSeconds, after.sliceSeconds), before.slice, after.slice);
  }
  if (before.comparison !== after.comparison || rules.compare(before.threshold, after.threshold) !== 0) {
    d.add(subject, 'slice condition', rules.sliceConditionChanged(before, after),
      `${before.comparison} ${formatDecimal(before.threshold)}`, `${after.comparison} ${formatDecimal(after.threshold)}`);
  }
  if (before.missingSlice !== after.missingSlice) {
    d.add(subject, 'missing slices', rules.missingSliceChanged(before.missingSlice, after.missingSlice), before.missingSlice, after.missingSlice);
  }
}

function diffBlindAlert(d: ServiceDiff, subject: string, before: BlindAlertEntry | undefined, after: BlindAlertEntry | undefined): void {
  if (!before && !after) return;
  if (!before) {
    d.add(subject, 'blind alert', rules.blindAlertAdded(after!), undefined, describeBlindAlert(after!));
  } else if (!after) {
    d.add(subject, 'blind alert', rules.blindAlertRemoved(before), describeBlindAlert(before), undefined);
  } else if (before.severity !== after.severity || before.afterSeconds !== after.afterSeconds || before.expectedEvents !== after.expectedEvents) {
    d.add(subject, 'blind alert', rules.blindAlertChanged(before, after), describeBlindAlert(before), describeBlindAlert(after));
  }
}

/** `none, guards 15/36/72/215 events`: the SLO's minimumEvents and every tier's guard. */
function describeMinimum(slo: SloEntry): string {
  return `${slo.minimumEvents ?? 'none'}, guards ${describeGuards(slo)}`;
}

/**
 * The low-traffic guards of the tiers on both sides (same id). A changed `minimumEvents` is judged
 * on the guards it leaves each tier (a minimum under every floor changes no alarm). Otherwise a
 * guard that changed while its tier's threshold did not (a manifest from before the per-tier floor)
 * is reported on its own; guards that follow a new objective or tier are reported there.
 */
function diffGuards(d: ServiceDiff, subject: string, before: SloEntry, after: SloEntry): void {
  const changes: rules.GuardChange[] = [];
  for (const b of before.tiers) {
    const a = after.tiers.find((t) => t.id === b.id);
    if (a) {
      changes.push({ tier: a.id, before: recordedGuardEvents(before, b), after: recordedGuardEvents(after, a), errorRatioBefore: b.errorRatio, errorRatioAfter: a.errorRatio });
    }
  }
  if (before.minimumEvents !== after.minimumEvents) {
    d.add(subject, 'minimum events', rules.guardsChanged(changes), describeMinimum(before), describeMinimum(after));
    return;
  }
  const own = changes.filter((g) => g.before !== g.after && rules.compare(g.errorRatioBefore, g.errorRatioAfter) === 0);
  if (own.length > 0) {
    d.add(subject, 'low-traffic guard', rules.guardsChanged(own), describeGuards(before), describeGuards(after));
  }
}

function diffSlo(d: ServiceDiff, before: SloEntry, after: SloEntry): void {
  const subject = `SLO ${after.name}`;
  if (rules.compare(before.objective, after.objective) !== 0) {
    d.add(subject, 'objective', rules.objectiveChanged(before, after), formatPercent(before.objective), formatPercent(after.objective));
  }
  const sameWindow = before.windowSeconds === after.windowSeconds;
  if (!sameWindow) {
    const followed = after.tiers.find((t) => before.tiers.some((b) => b.id === t.id && rules.compare(b.budgetPercent, t.budgetPercent) === 0));
    const old = followed && before.tiers.find((b) => b.id === followed.id)!;
    const note = followed && old ? `${followed.id} ${formatBurnRate(old.burnRate)} → ${formatBurnRate(followed.burnRate)}` : undefined;
    d.add(subject, 'window', rules.windowChanged(before, after, note), formatDuration(before.windowSeconds, AS_DECLARED), formatDuration(after.windowSeconds, AS_DECLARED));
  }
  diffGuards(d, subject, before, after);
  diffSli(d, subject, before, after);
  d.text(subject, 'runbook', before.runbookUrl, after.runbookUrl, 'the runbook its alarms link');
  diffBlindAlert(d, subject, before.blindAlert, after.blindAlert);

  const tiers = matchTiers(before.tiers, after.tiers);
  for (const tier of tiers.removed) {
    const remaining = after.tiers.filter((t) => t.severity === tier.severity).length;
    d.add(`${subject}, tier ${tier.id}`, 'removed', rules.tierRemoved(tier, remaining), rules.describeTier(tier), undefined);
  }
  const followsSlo = !sameWindow || rules.compare(before.objective, after.objective) !== 0
    || before.sli.timeSlice?.sliceSeconds !== after.sli.timeSlice?.sliceSeconds;
  for (const [b, a] of tiers.both) {
    diffTier(d, subject, b, a, sameWindow, followsSlo);
  }
  for (const tier of tiers.added) {
    d.add(`${subject}, tier ${tier.id}`, 'added', rules.tierAdded(tier), undefined, rules.describeTier(tier));
  }
}

function sortedKinds(kinds: readonly string[]): string {
  return [...kinds].sort().join(',');
}

function diffEscalation(d: ServiceDiff, before: EscalationEntry | undefined, after: EscalationEntry | undefined): void {
  if (!before && !after) return;
  if (!before) {
    d.add('escalation', 'added', rules.escalationAdded(after!), undefined, after!.name);
    return;
  }
  if (!after) {
    d.add('escalation', 'removed', rules.escalationRemoved(before), before.name, undefined);
    return;
  }
  if (before.name !== after.name) {
    d.add('escalation', 'policy', rules.escalationReplaced(before, after), before.name, after.name);
  }
  const offsetsBefore = levelOffsets(before);
  const offsetsAfter = levelOffsets(after);
  const common = Math.min(before.levels.length, after.levels.length);
  for (let i = 0; i < common; i++) {
    const b = before.levels[i];
    const a = after.levels[i];
    const subject = `escalation level ${i + 1}`;
    if (b.afterSeconds !== a.afterSeconds) {
      d.add(subject, 'delay', rules.levelDelayChanged(i, b.afterSeconds, a.afterSeconds, offsetsAfter[i]),
        formatDuration(b.afterSeconds), formatDuration(a.afterSeconds));
    }
    if (sortedKinds(b.targets) !== sortedKinds(a.targets)) {
      d.add(subject, 'targets', rules.levelTargetsChanged(i, b.targets, a.targets), describeKinds(b.targets), describeKinds(a.targets));
    }
  }
  for (let i = common; i < before.levels.length; i++) {
    d.add(`escalation level ${i + 1}`, 'removed', rules.levelRemoved(i, offsetsBefore[i], before.levels[i].targets),
      describeKinds(before.levels[i].targets), undefined);
  }
  for (let i = common; i < after.levels.length; i++) {
    d.add(`escalation level ${i + 1}`, 'added', rules.levelAdded(i, offsetsAfter[i], after.levels[i].targets),
      undefined, describeKinds(after.levels[i].targets));
  }
  if (before.repeat !== after.repeat) {
    d.add('escalation', 'repeat', rules.repeatChanged(before.repeat, after.repeat), String(before.repeat), String(after.repeat));
  }
  if (sortedKinds(before.tickets) !== sortedKinds(after.tickets)) {
    d.add('escalation', 'tickets', rules.ticketsChanged(before.tickets, after.tickets), describeKinds(before.tickets), describeKinds(after.tickets));
  }
  if (before.acknowledgeLinkTtlSeconds !== after.acknowledgeLinkTtlSeconds) {
    d.add('escalation', 'acknowledge links', rules.acknowledgeTtlChanged(before.acknowledgeLinkTtlSeconds, after.acknowledgeLinkTtlSeconds),
      formatDuration(before.acknowledgeLinkTtlSeconds), formatDuration(after.acknowledgeLinkTtlSeconds));
  }
}

function recordDetails(label: string, before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): string[] {
  const details: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    if (!(key in before)) details.push(`${label}${key} ${value} (new)`);
    else if (before[key] !== value) details.push(`${label}${key} ${before[key]} → ${value}`);
  }
  for (const [key, value] of Object.entries(before)) {
    if (!(key in after)) details.push(`${label}${key} removed (was ${value})`);
  }
  return details;
}

/** The actions an action starts after, leaving out the checks (their changes are reported as such). */
function faultsBefore(action: ExperimentActionEntry, experiment: ExperimentEntry): string {
  const checks = new Set(experiment.actions.filter(isCheckAction).map((a) => a.name));
  return action.startAfter.filter((name) => !checks.has(name)).join(', ');
}

function faultDetails(before: ExperimentActionEntry, after: ExperimentActionEntry, experiments: [ExperimentEntry, ExperimentEntry]): string[] {
  const details: string[] = [];
  if (before.actionId !== after.actionId) details.push(`${before.actionId} → ${after.actionId}`);
  details.push(...recordDetails('', before.parameters, after.parameters));
  if ((before.target ?? '') !== (after.target ?? '')) details.push(`target ${before.target ?? 'none'} → ${after.target ?? 'none'}`);
  const afterBefore = faultsBefore(before, experiments[0]);
  const afterAfter = faultsBefore(after, experiments[1]);
  if (afterBefore !== afterAfter) {
    details.push(`starts after ${afterAfter || 'the start'} (was ${afterBefore || 'the start'})`);
  }
  return details;
}

function targetDetails(before: ExperimentTargetEntry, after: ExperimentTargetEntry): string[] {
  const details: string[] = [];
  if (before.resourceType !== after.resourceType) details.push(`resource type ${before.resourceType} → ${after.resourceType}`);
  if (before.selectionMode !== after.selectionMode) details.push(`selection ${before.selectionMode} → ${after.selectionMode}`);
  const resourcesBefore = describeTargetResources(before);
  const resourcesAfter = describeTargetResources(after);
  if (resourcesBefore !== resourcesAfter) details.push(`resources ${resourcesAfter || 'none'} (was ${resourcesBefore || 'none'})`);
  return details;
}

function diffExperiment(d: ServiceDiff, before: ExperimentEntry, after: ExperimentEntry): void {
  const subject = `experiment ${after.name}`;
  d.text(subject, 'description', before.description, after.description);
  if (before.steadyStateCheck !== after.steadyStateCheck) {
    d.add(subject, 'steady-state check', rules.steadyStateCheckChanged(after.steadyStateCheck),
      before.steadyStateCheck ? 'on' : 'off', after.steadyStateCheck ? 'on' : 'off');
  }
  if (before.recoveryCheck !== after.recoveryCheck) {
    d.add(subject, 'recovery check', rules.recoveryCheckChanged(after.recoveryCheck),
      before.recoveryCheck ? 'on' : 'off', after.recoveryCheck ? 'on' : 'off');
  } else if (after.recoveryCheck) {
    const settleBefore = settleSeconds(before);
    const settleAfter = settleSeconds(after);
    if (settleBefore !== settleAfter) {
      d.add(subject, 'settle time', rules.settleChanged(settleBefore, settleAfter),
        settleBefore === undefined ? undefined : formatDuration(settleBefore), settleAfter === undefined ? undefined : formatDuration(settleAfter));
    }
  }
  for (const alarm of before.stopConditions.filter((s) => !after.stopConditions.includes(s))) {
    d.add(subject, 'stop condition', rules.stopConditionRemoved(alarm), alarm, undefined);
  }
  for (const alarm of after.stopConditions.filter((s) => !before.stopConditions.includes(s))) {
    d.add(subject, 'stop condition', rules.stopConditionAdded(alarm), undefined, alarm);
  }
  let gameDayBefore = before.gameDay && describeGameDay(before.gameDay);
  let gameDayAfter = after.gameDay && describeGameDay(after.gameDay);
  if (gameDayBefore !== gameDayAfter) {
    if (before.gameDay && after.gameDay && before.gameDay.expression === after.gameDay.expression
      && before.gameDay.timeZone === after.gameDay.timeZone) {
      gameDayBefore = before.gameDay.enabled ? 'enabled' : 'disabled';
      gameDayAfter = after.gameDay.enabled ? 'enabled' : 'disabled';
    }
    d.add(subject, 'game day', rules.gameDayChanged(before.gameDay, after.gameDay), gameDayBefore, gameDayAfter);
  }
  const faults = matchBy(faultActions(before), faultActions(after), (a) => a.name);
  for (const fault of faults.removed) {
    d.add(`${subject}, fault ${fault.name}`, 'removed', rules.faultRemoved(fault), fault.actionId, undefined);
  }
  for (const [b, a] of faults.both) {
    const details = faultDetails(b, a, [before, after]);
    if (details.length) {
      d.add(`${subject}, fault ${a.name}`, 'changed', rules.faultChanged(details),
        `${b.actionId} (${describeParameters(b.parameters)})`, `${a.actionId} (${describeParameters(a.parameters)})`);
    }
  }
  for (const fault of faults.added) {
    d.add(`${subject}, fault ${fault.name}`, 'added', rules.faultAdded(fault), undefined, fault.actionId);
  }
  const targets = matchBy(before.targets, after.targets, (t) => t.name);
  for (const target of targets.removed) {
    d.add(`${subject}, target ${target.name}`, 'removed', rules.targetChanged(`target ${target.name} removed`), describeTargetResources(target), undefined);
  }
  for (const [b, a] of targets.both) {
    const details = targetDetails(b, a);
    if (details.length) {
      d.add(`${subject}, target ${a.name}`, 'changed', rules.targetChanged(details.join('; ')), describeTargetResources(b), describeTargetResources(a));
    }
  }
  for (const target of targets.added) {
    d.add(`${subject}, target ${target.name}`, 'added', rules.targetChanged(`new target ${target.name} (${target.resourceType})`),
      undefined, describeTargetResources(target));
  }
}

function diffService(d: ServiceDiff, before: ServiceEntry, after: ServiceEntry): void {
  d.text('service', 'owner', before.owner, after.owner, 'who is responsible');
  d.text('service', 'runbook', before.runbookUrl, after.runbookUrl, 'the runbook its alarms link');
  d.text('service', 'dashboard', before.dashboard, after.dashboard, 'the dashboard its pages link');
  d.text('service', 'construct path', before.path, after.path, 'CloudFormation replaces its alarms and experiments (new logical ids)');
  const slos = matchBy(before.slos, after.slos, (s) => s.name);
  for (const slo of slos.removed) {
    d.add(`SLO ${slo.name}`, 'removed', rules.sloRemoved(slo), `${formatPercent(slo.objective)} over ${formatDuration(slo.windowSeconds, AS_DECLARED)}`, undefined);
  }
  for (const [b, a] of slos.both) {
    diffSlo(d, b, a);
  }
  for (const slo of slos.added) {
    d.add(`SLO ${slo.name}`, 'added', rules.sloAdded(slo), undefined, `${formatPercent(slo.objective)} over ${formatDuration(slo.windowSeconds, AS_DECLARED)}`);
  }
  diffEscalation(d, before.escalation, after.escalation);
  const experiments = matchBy(before.experiments, after.experiments, (e) => e.name);
  for (const experiment of experiments.removed) {
    d.add(`experiment ${experiment.name}`, 'removed', rules.experimentRemoved(experiment));
  }
  for (const [b, a] of experiments.both) {
    diffExperiment(d, b, a);
  }
  for (const experiment of experiments.added) {
    d.add(`experiment ${experiment.name}`, 'added', rules.experimentAdded(experiment));
  }
}

/** Stack keys of one side: the stack name, or the construct path where two stacks share a name. */
function stackKeys(manifests: readonly ReliabilityManifest[]): Map<ReliabilityManifest, string> {
  const counts = new Map<string, number>();
  for (const m of manifests) counts.set(m.stack.name, (counts.get(m.stack.name) ?? 0) + 1);
  return new Map(manifests.map((m) => [m, counts.get(m.stack.name)! > 1 ? `${m.stack.name} (${m.stack.path})` : m.stack.name]));
}

function pairStacks(before: readonly ReliabilityManifest[], after: readonly ReliabilityManifest[]): Matched<ReliabilityManifest> {
  if (before.length === 1 && after.length === 1) {
    return { both: [[before[0], after[0]]], removed: [], added: [] };
  }
  const keysBefore = stackKeys(before);
  const keysAfter = stackKeys(after);
  return matchBy(before, after, (m) => keysBefore.get(m) ?? keysAfter.get(m)!);
}

function environment(m: ReliabilityManifest): string {
  return `account ${m.stack.account}, region ${m.stack.region}`;
}

/**
 * Every change from the policy `before` to the policy `after` (each a list of stack manifests),
 * judged. Order: per stack and service as declared (removed ones first), and within a service:
 * service fields, SLOs (and their tiers), escalation, experiments.
 */
export function diffManifests(before: readonly ReliabilityManifest[], after: readonly ReliabilityManifest[]): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const stacks = pairStacks(before, after);
  for (const removed of stacks.removed) {
    for (const service of removed.services) {
      const d = new ServiceDiff(removed.stack.name, service.name);
      d.add('service', 'removed', rules.serviceRemoved(service));
      changes.push(...d.changes);
    }
  }
  for (const [b, a] of stacks.both) {
    const stack = b.stack.name === a.stack.name ? a.stack.name : `${b.stack.name} → ${a.stack.name}`;
    if (environment(b) !== environment(a)) {
      const d = new ServiceDiff(stack, '');
      d.add('stack', 'environment', rules.textChanged('environment', environment(b), environment(a), 'its alarms and experiments move there'),
        environment(b), environment(a));
      changes.push(...d.changes);
    }
    const services = matchBy(b.services, a.services, (s) => s.name);
    for (const service of services.removed) {
      const d = new ServiceDiff(stack, service.name);
      d.add('service', 'removed', rules.serviceRemoved(service));
      changes.push(...d.changes);
    }
    for (const [sb, sa] of services.both) {
      const d = new ServiceDiff(stack, sa.name);
      diffService(d, sb, sa);
      changes.push(...d.changes);
    }
    for (const service of services.added) {
      const d = new ServiceDiff(stack, service.name);
      d.add('service', 'added', rules.serviceAdded(service));
      changes.push(...d.changes);
    }
  }
  for (const added of stacks.added) {
    for (const service of added.services) {
      const d = new ServiceDiff(added.stack.name, service.name);
      d.add('service', 'added', rules.serviceAdded(service));
      changes.push(...d.changes);
    }
  }
  return changes;
}

/** A service's group of changes. */
export interface ChangeGroup {
  readonly stack: string;
  readonly service: string;
  /** Weakening first, then strengthening, then neutral; declaration order within each. */
  readonly changes: PolicyChange[];
}

/**
 * Changes grouped per stack and service: groups with a weakening change first (otherwise in
 * the diff's order), and within a group weakening, strengthening, then neutral.
 */
export function groupChanges(changes: readonly PolicyChange[]): ChangeGroup[] {
  const groups: ChangeGroup[] = [];
  for (const change of changes) {
    let group = groups.find((g) => g.stack === change.stack && g.service === change.service);
    if (!group) {
      group = { stack: change.stack, service: change.service, changes: [] };
      groups.push(group);
    }
    group.changes.push(change);
  }
  for (const group of groups) {
    // Array.prototype.sort is stable: declaration order is kept within an effect
    group.changes.sort((x, y) => EFFECTS.indexOf(x.effect) - EFFECTS.indexOf(y.effect));
  }
  const weakens = (g: ChangeGroup) => (g.changes.some((c) => c.effect === 'weakening') ? 0 : 1);
  return groups.map((g, i) => ({ g, i })).sort((x, y) => weakens(x.g) - weakens(y.g) || x.i - y.i).map(({ g }) => g);
}
