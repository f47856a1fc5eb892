/**
 * The reliability policy of one or more stacks as a Markdown document for pull requests and
 * wikis: per service its owner, runbook, dashboard, escalation and alarm cost; per SLO the
 * objective, error budget (also as minutes of full outage), SLI and alert tiers; per experiment
 * its faults, targets, stop conditions and game day. Pure and deterministic: declaration order
 * is kept, nothing depends on time or locale.
 */
import type {
  EscalationEntry,
  ExperimentEntry,
  ReliabilityManifest,
  ServiceEntry,
  SloEntry,
  StackEntry,
} from '../manifest/schema';
import { badEventsToFire } from '../slo/burn-rate';
import { DERIVED, formatDuration, formatPercent, plural } from '../private/format';
import { AS_DECLARED, formatBurnRate, formatOutageBudget, formatUsd } from './format';
import { code, escapeText, linkOrText, table } from './markdown';
import {
  describeDelay,
  describeGuards,
  describeKinds,
  describeMetric,
  describeParameters,
  describeSeverities,
  describeTargetResources,
  detectionSeconds,
  faultActions,
  isCheckAction,
  levelOffsets,
  recordedGuardEvents,
  settleSeconds,
  tierWindows,
  allowedBadSlices,
  describeSlice,
  describeSliceCondition,
  describeSliceTier,
  sliceDetectionSeconds,
} from './policy';

/** How the report is introduced. */
export interface ReportOptions {
  /** Where the manifests were read from (`cdk.out`), named under the title. @default - not named */
  readonly source?: string;
  /** The title. @default 'Reliability policy' */
  readonly title?: string;
}

function totalCost(manifests: readonly ReliabilityManifest[]): number {
  return manifests.reduce((sum, m) => sum + m.services.reduce((s, service) => s + service.estimatedMonthlyCostUsd, 0), 0);
}

function count<T>(manifests: readonly ReliabilityManifest[], pick: (s: ServiceEntry) => readonly T[]): number {
  return manifests.reduce((sum, m) => sum + m.services.reduce((s, service) => s + pick(service).length, 0), 0);
}

function summaryLine(manifests: readonly ReliabilityManifest[]): string {
  const services = manifests.reduce((sum, m) => sum + m.services.length, 0);
  return `${plural(services, 'service')} in ${plural(manifests.length, 'stack')}: `
    + `${plural(count(manifests, (s) => s.slos), 'SLO')}, ${plural(count(manifests, (s) => s.experiments), 'experiment')}; `
    + `alarms about ${formatUsd(totalCost(manifests))}/month (estimated, us-east-1 list prices).`;
}

function overview(manifests: readonly ReliabilityManifest[]): string[] {
  const rows: string[][] = [];
  for (const manifest of manifests) {
    for (const service of manifest.services) {
      rows.push([
        manifest.stack.name,
        code(service.name),
        service.owner ?? '',
        service.slos.map((slo) => `${slo.name} ${formatPercent(slo.objective)}`).join(', '),
        service.escalation ? code(service.escalation.name) : 'nobody',
        String(service.experiments.length),
        formatUsd(service.estimatedMonthlyCostUsd),
      ]);
    }
  }
  return table(['stack', 'service', 'owner', 'SLOs', 'escalation', 'experiments', 'alarms/month'], rows);
}

function stackLine(stack: StackEntry): string {
  const parts = [`Construct path ${code(stack.path)}`];
  if (stack.name !== stack.path) parts.push(`stack name ${code(stack.name)}`);
  if (stack.account === 'unknown' && stack.region === 'unknown') {
    parts.push('environment-agnostic (account and region chosen at deploy)');
  } else {
    parts.push(`account ${stack.account}`, `region ${stack.region}`);
  }
  return parts.join(' · ');
}

/** Escalation policies already described, by path, with the service that showed them. */
type Described = Map<string, { readonly service: string; readonly json: string }>;

function escalationLines(escalation: EscalationEntry | undefined, service: string, described: Described): string[] {
  if (!escalation) {
    return ['- **Escalation:** none: its page and ticket alarms notify nobody'];
  }
  const json = JSON.stringify(escalation);
  const earlier = described.get(escalation.path);
  if (earlier && earlier.json === json) {
    return [`- **Escalation:** ${code(escalation.name)} (${code(escalation.path)}), as for ${code(earlier.service)} above`];
  }
  described.set(escalation.path, { service, json });
  const offsets = levelOffsets(escalation);
  const lines = [`- **Escalation:** ${code(escalation.name)} (${code(escalation.path)}), pages go to`];
  escalation.levels.forEach((level, i) => {
    const since = i > 0 && offsets[i] !== level.afterSeconds ? ` (${formatDuration(offsets[i])} after the page)` : '';
    lines.push(`  ${i + 1}. ${describeDelay(level.afterSeconds)}${since}: ${describeKinds(level.targets)}`);
  });
  const passes = escalation.repeat + 1;
  lines.push(escalation.repeat > 0
    ? `  - repeat: the chain runs ${plural(escalation.repeat, 'more time')} until acknowledged (${passes} passes)`
    : '  - repeat: none (one pass through the chain)');
  lines.push(`  - tickets: ${escalation.tickets.length ? escalation.tickets.join(', ') : 'nobody (ticket alarms notify nobody)'}`);
  lines.push(`  - acknowledge links valid for ${formatDuration(escalation.acknowledgeLinkTtlSeconds)}`);
  return lines;
}

function sloLines(service: ServiceEntry, slo: SloEntry): string[] {
  const lines = [`#### SLO ${code(slo.name)}: ${formatPercent(slo.objective)} over ${formatDuration(slo.windowSeconds, AS_DECLARED)}`, ''];
  lines.push(...table(
    ['objective', 'window', 'error budget', 'full outage allowed', 'SLI', 'low-traffic guard', 'alarms/month'],
    [[
      formatPercent(slo.objective),
      formatDuration(slo.windowSeconds, AS_DECLARED),
      formatPercent(slo.errorBudget * 100, DERIVED),
      formatOutageBudget(slo.errorBudget, slo.windowSeconds),
      slo.sli.kind,
      describeSloGuard(slo),
      formatUsd(slo.estimatedMonthlyCostUsd),
    ]],
  ));
  lines.push('');
  lines.push(`SLI (${slo.sli.kind}): ${escapeText(slo.sli.description)}`);
  lines.push('');
  const slice = slo.sli.timeSlice;
  if (slice) {
    lines.push(`Time slices: ${escapeText(describeSliceCondition(slice))}. The budget allows `
      + `${plural(allowedBadSlices(slo, slice), `bad ${describeSlice(slice.sliceSeconds)} slice`)} of ${slo.windowSeconds / slice.sliceSeconds} `
      + `over ${formatDuration(slo.windowSeconds, AS_DECLARED)}; each window alarm counts bad slices (M of its last N).`, '');
  }
  lines.push(...table(['metric', 'reads'], slo.sli.metrics.map((m) => [code(m.id), describeMetric(m)])));
  lines.push('');
  const composites = [
    slo.alarms.page ? `page ${code(slo.alarms.page)}` : undefined,
    slo.alarms.ticket ? `ticket ${code(slo.alarms.ticket)}` : undefined,
  ].filter((x): x is string => x !== undefined);
  lines.push(`Alerts: ${describeSeverities(slo)}${composites.length ? `, through ${composites.join(' and ')}` : ''}.`
    + (slo.runbookUrl && slo.runbookUrl !== service.runbookUrl ? ` Runbook: ${linkOrText(slo.runbookUrl)}` : ''));
  lines.push('');
  if (slo.blindAlert) {
    const b = slo.blindAlert;
    lines.push(`SLI-blind alert: ${b.severity === 'page' ? 'pages' : 'opens a ticket'} when the SLI counts fewer than `
      + `${plural(b.expectedEvents, 'event')} in ${formatDuration(b.afterSeconds, AS_DECLARED)} (${code(b.alarmName)}, in the ${b.severity} composite): `
      + 'the burn-rate tiers read a window without events as healthy.', '');
  }
  if (slo.tiers.length === 0) {
    lines.push('No alert tiers: nothing fires on this SLO.');
    return lines;
  }
  const guarded = slo.tiers.filter((t) => recordedGuardEvents(slo, t) > 1);
  if (guarded.length > 0) {
    const toFire = guarded.map((t) => badEventsToFire(t.errorRatio, recordedGuardEvents(slo, t)));
    lines.push(`Low traffic: a long window holding fewer events than its tier's guard (${guarded.map((t) => recordedGuardEvents(slo, t)).join('/')} `
      + `for ${guarded.map((t) => code(t.id)).join(', ')}) is judged as if it held that many, the rest good: one failed event never fires `
      + `a tier; below the guard it takes ${toFire.join('/')} failed events.`, '');
  }
  if (slice) {
    lines.push(...table(
      ['tier', 'severity', 'windows (long / short)', 'fires when', 'bad slices above', 'budget spent', 'all slices bad fires it after', 'alarms'],
      slo.tiers.map((tier) => [
        code(tier.id),
        tier.severity,
        tierWindows(tier),
        tier.slices ? escapeText(describeSliceTier(tier, slice)) : formatBurnRate(tier.burnRate),
        formatPercent(tier.errorRatio * 100, DERIVED),
        formatPercent(tier.budgetPercent),
        formatDuration(tier.slices ? sliceDetectionSeconds(tier, slice) : detectionSeconds(tier)),
        `${code(tier.alarmNames.long)}, ${code(tier.alarmNames.short)}`,
      ]),
    ));
    return lines;
  }
  lines.push(...table(
    ['tier', 'severity', 'windows (long / short)', 'burn rate', 'error ratio above', 'budget spent', 'full outage fires it after', 'alarms'],
    slo.tiers.map((tier) => [
      code(tier.id),
      tier.severity,
      tierWindows(tier),
      formatBurnRate(tier.burnRate),
      tier.errorRatio >= 1 ? `${formatPercent(tier.errorRatio * 100, DERIVED)} (can never fire)` : formatPercent(tier.errorRatio * 100, DERIVED),
      formatPercent(tier.budgetPercent),
      formatDuration(detectionSeconds(tier)),
      `${code(tier.alarmNames.long)}, ${code(tier.alarmNames.short)}`,
    ]),
  ));
  return lines;
}

/** `70/167/334/1001 events`, with the SLO's `minimumEvents` when set: `20/36/72/215 events (minimumEvents 20)`. */
function describeSloGuard(slo: SloEntry): string {
  if (slo.sli.timeSlice) {
    return 'none (counts slices)';
  }
  const guards = describeGuards(slo);
  return slo.minimumEvents === undefined ? guards : `${guards} (minimumEvents ${slo.minimumEvents})`;
}

function checksLine(experiment: ExperimentEntry): string {
  const settle = settleSeconds(experiment);
  const steady = experiment.steadyStateCheck ? 'the stop-condition alarms must be OK before the faults' : 'no steady-state check before the faults';
  const recovery = experiment.recoveryCheck
    ? `OK again ${settle === undefined ? 'after the faults' : `${formatDuration(settle)} after the faults`}`
    : 'no recovery check after them';
  return `- **Checks:** ${steady}; ${recovery}`;
}

function experimentLines(service: ServiceEntry, experiment: ExperimentEntry): string[] {
  const lines = [`#### Experiment ${code(experiment.name)}`, ''];
  // the template's description starts with `service/experiment: `, which the heading already says
  const prefix = `${service.name}/${experiment.name}: `;
  const description = experiment.description.startsWith(prefix) ? experiment.description.slice(prefix.length) : experiment.description;
  if (description) {
    lines.push(escapeText(description), '');
  }
  lines.push(`- **Game day:** ${experiment.gameDay ? `${code(experiment.gameDay.expression)} in ${experiment.gameDay.timeZone}, `
    + `${experiment.gameDay.enabled ? 'enabled' : 'declared disabled (runs only by hand)'}` : 'none (runs only by hand)'}`);
  lines.push(`- **Expected duration:** ${formatDuration(experiment.expectedSeconds)}`);
  lines.push(checksLine(experiment));
  lines.push(`- **Stop conditions:** ${experiment.stopConditions.length
    ? experiment.stopConditions.map(code).join(', ')
    : 'none: nothing stops it early if customers are hurt'}`);
  lines.push('');
  const faults = faultActions(experiment);
  lines.push(...table(
    ['fault', 'FIS action', 'parameters', 'target', 'starts after'],
    faults.map((a) => [
      code(a.name),
      code(a.actionId),
      describeParameters(a.parameters),
      a.target ?? '',
      a.startAfter.filter((name) => !experiment.actions.some((b) => b.name === name && isCheckAction(b))).join(', ')
        || (a.startAfter.length ? 'the steady-state check' : 'the start'),
    ]),
  ));
  if (experiment.targets.length) {
    lines.push('');
    lines.push(...table(
      ['target', 'resource type', 'selection', 'resources'],
      experiment.targets.map((t) => [code(t.name), t.resourceType, t.selectionMode, describeTargetResources(t)]),
    ));
  }
  return lines;
}

function serviceLines(service: ServiceEntry, described: Described): string[] {
  const lines = [`### Service ${code(service.name)}`, ''];
  lines.push(`- **Owner:** ${service.owner ? escapeText(service.owner) : 'not recorded'}`);
  lines.push(`- **Runbook:** ${service.runbookUrl ? linkOrText(service.runbookUrl) : 'none'}`);
  lines.push(`- **Dashboard:** ${service.dashboard ? code(service.dashboard) : 'none'}`);
  lines.push(...escalationLines(service.escalation, service.name, described));
  lines.push(`- **Alarm cost:** ${formatUsd(service.estimatedMonthlyCostUsd)}/month (estimated, us-east-1 list prices)`);
  lines.push(`- **Construct path:** ${code(service.path)}`);
  for (const slo of service.slos) {
    lines.push('', ...sloLines(service, slo));
  }
  for (const experiment of service.experiments) {
    lines.push('', ...experimentLines(service, experiment));
  }
  return lines;
}

/** The report as lines of Markdown (a trailing newline is the writer's business). */
export function renderReport(manifests: readonly ReliabilityManifest[], options: ReportOptions = {}): string[] {
  const lines = [`# ${options.title ?? 'Reliability policy'}`, ''];
  if (options.source !== undefined) {
    lines.push(`Read from ${code(options.source)}.`, '');
  }
  lines.push(summaryLine(manifests), '');
  if (manifests.every((m) => m.services.length === 0)) {
    return [...lines.slice(0, -1)];
  }
  lines.push(...overview(manifests));
  lines.push('', 'How to read the tiers: an SLO\'s error budget is 100 % − objective; the burn rate is the error ratio divided by '
    + 'the budget. A tier fires when both its long and short windows exceed its error-ratio threshold (burn rate × budget); '
    + 'for a constant error ratio e it fires after threshold / e × long window (a full outage: threshold × long window).'
    + (manifests.some((m) => m.services.some((sv) => sv.slos.some((o) => o.sli.timeSlice)))
      ? ' A time-slice SLO counts slices instead of events: a slice is bad when its condition fails, and a tier fires when '
        + 'both its window alarms hold M bad slices of their last N (M = floor(error-ratio threshold × N) + 1).'
      : ''));
  const described: Described = new Map();
  for (const manifest of manifests) {
    if (manifest.services.length === 0) continue;
    lines.push('', `## Stack ${code(manifest.stack.name)}`, '', stackLine(manifest.stack));
    for (const service of manifest.services) {
      lines.push('', ...serviceLines(service, described));
    }
  }
  return lines;
}

/** Only the services called `name`, and the stacks that hold one. */
export function selectService(manifests: readonly ReliabilityManifest[], name: string): ReliabilityManifest[] {
  return manifests
    .map((m) => ({ ...m, services: m.services.filter((s) => s.name === name) }))
    .filter((m) => m.services.length > 0);
}
