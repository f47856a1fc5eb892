/**
 * Builds a stack's reliability manifest from its constructs. Values that are tokens are resolved
 * against the stack and rendered as `${LogicalId.Attribute}`, as the game-day plan shows them.
 */
import { Stack, Token } from 'aws-cdk-lib';
import { IAlarm, IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { ChaosExperiment } from '../chaos/chaos-experiment';
import { IEscalationPolicy } from '../escalation/escalation-policy';
import { declaredChain } from '../private/escalation-shape';
import { longWindowGuardEvents } from '../slo/burn-rate';
import { blindAlarmName, compositeAlarmName, windowAlarmName } from '../slo/names';
import type { TimeSliceBinding } from '../sli/sli-definition';
import { ResolvedTier, Severity } from '../slo/tiers';
import { sliceCount, slicesToAlarm } from '../slo/time-slices';
import { formatWindow } from '../slo/windows';
import {
  BlindAlertEntry, EscalationEntry, ExperimentEntry, MANIFEST_SCHEMA_VERSION, MetricEntry, ReliabilityManifest, ServiceEntry, SliceAlarmEntry, SloEntry,
  TierEntry, TimeSliceEntry,
} from './schema';
import { ManifestService, ManifestSlo } from './source';
import { renderValue } from '../private/template-value';

/** The manifest of `stack`'s services. */
export function buildManifest(stack: Stack, services: readonly ManifestService[]): ReliabilityManifest {
  const render = (value: unknown): string => renderValue(stack.resolve(value) as never);
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    generator: 'cdk-reliability',
    stack: {
      name: stack.stackName,
      artifactId: stack.artifactId,
      path: stack.node.path,
      account: Token.isUnresolved(stack.account) ? 'unknown' : stack.account,
      region: Token.isUnresolved(stack.region) ? 'unknown' : stack.region,
    },
    services: services.map((service) => serviceEntry(service, render)),
  };
}

function serviceEntry(service: ManifestService, render: (value: unknown) => string): ServiceEntry {
  const alarmNames = new Map<IAlarm, string>();
  for (const slo of service.slos) {
    for (const severity of [Severity.PAGE, Severity.TICKET]) {
      const alarm = slo.severityAlarm(severity);
      if (alarm) {
        alarmNames.set(alarm, compositeAlarmName(service.serviceName, slo.name, severity));
      }
    }
  }
  const slos = service.slos.map((slo) => sloEntry(service, slo, render));
  return {
    name: service.serviceName,
    path: service.node.path,
    ...optional('owner', service.owner),
    ...optional('runbookUrl', service.runbookUrl),
    ...optional('dashboard', service.dashboard?.dashboardName),
    ...optional('escalation', service.escalation ? escalationEntry(service.escalation) : undefined),
    slos,
    experiments: service.experiments.map((e) => experimentEntry(e, alarmNames, render)),
    estimatedMonthlyCostUsd: Math.round(slos.reduce((sum, s) => sum + s.estimatedMonthlyCostUsd, 0) * 100) / 100,
  };
}

function sloEntry(service: ManifestService, slo: ManifestSlo, render: (value: unknown) => string): SloEntry {
  const windowSeconds = slo.window.toSeconds();
  return {
    name: slo.name,
    objective: slo.objective,
    windowSeconds,
    window: formatWindow(windowSeconds),
    errorBudget: slo.errorBudget,
    sli: {
      kind: slo.sli.kind,
      description: render(slo.sliBinding.description),
      badEvents: slo.sliBinding.badEvents,
      totalEvents: slo.sliBinding.totalEvents,
      metrics: sliMetrics(slo, render),
      ...optional('timeSlice', timeSliceEntry(slo.sliBinding.timeSlice)),
    },
    ...optional('minimumEvents', slo.minimumEvents),
    ...optional('runbookUrl', slo.runbookUrl),
    alarms: {
      ...optional('page', slo.pageAlarm ? compositeAlarmName(service.serviceName, slo.name, Severity.PAGE) : undefined),
      ...optional('ticket', slo.ticketAlarm ? compositeAlarmName(service.serviceName, slo.name, Severity.TICKET) : undefined),
    },
    tiers: slo.tiers.map((tier) => tierEntry(service, slo, tier)),
    ...optional('blindAlert', slo.blindAlert ? blindAlertEntry(service, slo) : undefined),
    estimatedMonthlyCostUsd: slo.estimatedMonthlyCostUsd,
  };
}

function tierEntry(service: ManifestService, slo: ManifestSlo, tier: ResolvedTier): TierEntry {
  const slice = slo.sliBinding.timeSlice;
  return {
    id: tier.id,
    severity: tier.severity,
    budgetPercent: tier.budgetSpentPercent,
    longWindowSeconds: tier.longWindowSeconds,
    shortWindowSeconds: tier.shortWindowSeconds,
    longWindow: formatWindow(tier.longWindowSeconds),
    shortWindow: formatWindow(tier.shortWindowSeconds),
    burnRate: tier.burnRate,
    errorRatio: tier.errorRatioThreshold,
    // a time-slice tier's windows count slices: no low-traffic guard, M out of N slices instead
    ...(slice
      ? { slices: { long: sliceAlarmEntry(tier, tier.longWindowSeconds, slice), short: sliceAlarmEntry(tier, tier.shortWindowSeconds, slice) } }
      : { guardEvents: longWindowGuardEvents(tier.errorRatioThreshold, slo.minimumEvents) }),
    alarmNames: {
      long: windowAlarmName(service.serviceName, slo.name, tier, 'long'),
      short: windowAlarmName(service.serviceName, slo.name, tier, 'short'),
    },
  };
}

function timeSliceEntry(slice: TimeSliceBinding | undefined): TimeSliceEntry | undefined {
  return slice && {
    sliceSeconds: slice.sliceSeconds,
    slice: formatWindow(slice.sliceSeconds),
    metricId: slice.metricId,
    comparison: slice.comparison,
    threshold: slice.threshold,
    missingSlice: slice.missingSliceIsBad ? 'bad' : 'good',
  };
}

function sliceAlarmEntry(tier: ResolvedTier, windowSeconds: number, slice: TimeSliceBinding): SliceAlarmEntry {
  const slices = sliceCount(windowSeconds, slice.sliceSeconds);
  return { slices, slicesToAlarm: slicesToAlarm(tier.errorRatioThreshold, slices) };
}

function blindAlertEntry(service: ManifestService, slo: ManifestSlo): BlindAlertEntry {
  const afterSeconds = slo.blindAlert!.after!.toSeconds();
  return {
    severity: slo.blindAlert!.severity!,
    afterSeconds,
    after: formatWindow(afterSeconds),
    expectedEvents: slo.blindAlert!.expectedEvents!,
    alarmName: blindAlarmName(service.serviceName, slo.name),
  };
}

/**
 * The SLI's metrics under their alarm ids. A time-slice condition that is an expression
 * (`running - desired`) is followed by the metrics it reads, depth first, so that a reader can
 * query the condition from the manifest alone; a counted-events SLI lists its top-level ids only,
 * as it always has.
 */
function sliMetrics(slo: ManifestSlo, render: (value: unknown) => string): MetricEntry[] {
  const entries = new Map<string, MetricEntry>();
  const add = (id: string, metric: IMetric, nested: boolean): void => {
    if (entries.has(id)) {
      return;
    }
    entries.set(id, metricEntry(id, metric, render));
    const using = nested ? metric.toMetricConfig().mathExpression?.usingMetrics : undefined;
    Object.entries(using ?? {}).forEach(([inner, m]) => add(inner, m, nested));
  };
  Object.entries(slo.sliBinding.usingMetrics).forEach(([id, metric]) => add(id, metric, slo.sliBinding.timeSlice !== undefined));
  return [...entries.values()];
}

function metricEntry(id: string, metric: IMetric, render: (value: unknown) => string): MetricEntry {
  const config = metric.toMetricConfig();
  if (config.metricStat) {
    const stat = config.metricStat;
    const dimensions = Object.fromEntries((stat.dimensions ?? [])
      .map((d) => [d.name, render(d.value)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { id, namespace: stat.namespace, metricName: stat.metricName, dimensions, statistic: stat.statistic };
  }
  return { id, namespace: '', metricName: '', dimensions: {}, statistic: '', expression: render(config.mathExpression?.expression ?? '') };
}

function escalationEntry(policy: IEscalationPolicy): EscalationEntry {
  const chain = declaredChain(policy);
  return {
    name: policy.policyName,
    path: policy.node.path,
    levels: (chain?.levels ?? []).map((level) => ({ afterSeconds: level.afterSeconds, targets: [...level.targets] })),
    repeat: chain?.repeat ?? 0,
    tickets: [...(chain?.tickets ?? [])],
    acknowledgeLinkTtlSeconds: chain?.acknowledgeLinkTtlSeconds ?? 0,
  };
}

function experimentEntry(experiment: ChaosExperiment, alarmNames: Map<IAlarm, string>, render: (value: unknown) => string): ExperimentEntry {
  const stack = Stack.of(experiment);
  const checks = experiment._layout.actions.map((a) => a.name);
  return {
    name: experiment.experimentName,
    logicalId: stack.getLogicalId(experiment.template),
    description: render(experiment.template.description),
    expectedSeconds: experiment.expectedSeconds,
    steadyStateCheck: checks.includes('steady-state'),
    recoveryCheck: checks.includes('recovered'),
    actions: experiment._layout.actions.map((a) => ({
      name: a.name,
      actionId: a.spec.definition.actionId,
      description: a.spec.description,
      parameters: Object.fromEntries(Object.entries(a.spec.parameters).map(([k, v]) => [k, render(v)])),
      startAfter: [...a.startAfter],
      ...optional('target', a.targetName ? `${a.spec.definition.targetKey}: ${a.targetName}` : undefined),
    })),
    targets: experiment._layout.targets.map((t) => ({
      name: t.name,
      resourceType: t.resourceType,
      selectionMode: t.targets._spec.selection.mode,
      ...optional('resourceArns', t.targets._spec.arns?.map(render)),
      ...optional('resourceTags', t.targets._spec.tags ? renderRecord(t.targets._spec.tags, render) : undefined),
      ...optional('parameters', t.targets._spec.parameters ? renderRecord(t.targets._spec.parameters, render) : undefined),
      ...optional('filters', t.targets._spec.filters?.map((f) => ({ path: f.path, values: [...f.values] }))),
    })),
    stopConditions: experiment.stopAlarms().map((alarm) => alarmNames.get(alarm) ?? render(alarm.alarmArn)),
    ...optional('gameDay', experiment.gameDay
      ? { expression: experiment.gameDay.expression, timeZone: experiment.gameDay.timeZone, enabled: experiment.gameDay.enabled }
      : undefined),
  };
}

function renderRecord(record: Record<string, string>, render: (value: unknown) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [render(k), render(v)]));
}

/** `{ key: value }` when the value is defined, `{}` otherwise: absent keys stay absent in the JSON. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
