/**
 * Which SLOs `budget` reads: the stack (by CloudFormation stack name, construct path or artifact
 * id) among the manifests of a cloud assembly, its services and SLOs, narrowed by --service and
 * --slo; and their metrics with deploy-time values (`${LogicalId}` dimensions: a function's
 * generated name, an API id) filled in from the deployed window alarms, which read the same
 * metrics under the same ids.
 */
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { MetricEntry, ReliabilityManifest, SloEntry } from '../../manifest/schema';
import { suggestion } from '../args';
import { CliError } from '../errors';
import type { ManifestSet } from '../manifests';
import { joinAnd } from '../../private/format';
import { truncate } from '../render';
import type { DeployedAlarms } from './fetch';
import type { BudgetTarget } from './model';

/** A value only known once deployed, as the manifest shows it: `${SearchHandler00CE2B50}`. */
const DEPLOY_TIME = /\$\{[^}]*\}/;

/** The stack's manifest and the file it came from. */
export interface StackManifest {
  readonly manifest: ReliabilityManifest;
  readonly file: string;
}

function describeManifestStack(m: ReliabilityManifest): string {
  return m.stack.name === m.stack.path ? m.stack.name : `${m.stack.path} (stack name ${m.stack.name})`;
}

/** The manifest of the stack called `name` (stack name, construct path or artifact id). */
export function findStackManifest(set: ManifestSet, name: string): StackManifest {
  const matches = set.manifests
    .map((manifest, i) => ({ manifest, file: set.files[i] }))
    .filter(({ manifest }) => [manifest.stack.name, manifest.stack.path, manifest.stack.artifactId].includes(name));
  if (matches.length === 1) {
    return matches[0];
  }
  if (matches.length > 1) {
    throw new CliError(`${matches.length} stacks in ${set.path} are called '${name}': `
      + `${matches.map((m) => describeManifestStack(m.manifest)).join(', ')}; pass the construct path (e.g. ${matches[0].manifest.stack.path})`);
  }
  const names = set.manifests.flatMap((m) => [m.stack.name, m.stack.path]);
  const known = set.manifests.map(describeManifestStack).join(', ');
  throw new CliError(`no stack '${name}' with a ReliableService in ${set.path}${suggestion(name, names)}; stacks with one: ${known}`);
}

/** The SLOs of the stack, narrowed to a service and/or an SLO name. */
export function selectSlos(found: StackManifest, shownFile: string, service?: string, slo?: string): Array<{ service: string; slo: SloEntry }> {
  const stack = found.manifest.stack.name;
  let services = found.manifest.services;
  if (service !== undefined) {
    services = services.filter((s) => s.name === service);
    if (services.length === 0) {
      const names = found.manifest.services.map((s) => s.name);
      throw new CliError(`no service '${service}' in stack ${stack}${suggestion(service, names)}; services there: ${names.join(', ') || 'none'}`);
    }
  }
  let selected = services.flatMap((s) => s.slos.map((o) => ({ service: s.name, slo: o })));
  if (slo !== undefined) {
    const all = selected;
    selected = all.filter((s) => s.slo.name === slo);
    if (selected.length === 0) {
      const names = [...new Set(all.map((s) => s.slo.name))];
      const where = service !== undefined ? `service ${service}` : `stack ${stack}`;
      throw new CliError(`no SLO '${slo}' in ${where}${suggestion(slo, names)}; SLOs there: ${names.join(', ') || 'none'}`);
    }
  }
  if (selected.length === 0) {
    throw new CliError(`stack ${stack} has no SLO to read${service !== undefined ? ` in service ${service}` : ''}`);
  }
  for (const { service: s, slo: o } of selected) {
    if (typeof o.sli?.badEvents !== 'string' || typeof o.sli?.totalEvents !== 'string' || o.sli.badEvents === '' || o.sli.totalEvents === '') {
      throw new CliError(`${shownFile}: SLO ${s}/${o.name} has no sli.badEvents and sli.totalEvents: the manifest was written by an `
        + 'older cdk-reliability. Run `cdk synth` again with this version, then run budget on the new cloud assembly');
    }
  }
  return selected;
}

/** The SLO's window alarm names (long and short of every tier), where they are literal. */
export function windowAlarmNames(slo: SloEntry): string[] {
  return [...new Set(slo.tiers.flatMap((t) => [t.alarmNames.long, t.alarmNames.short]))]
    .filter((name) => typeof name === 'string' && name !== '' && !DEPLOY_TIME.test(name));
}

/** The metric's deploy-time values, as `FunctionName=${SearchHandler00CE2B50}`. */
export function deployTimeValues(metric: MetricEntry): string[] {
  if (metric.expression !== undefined && metric.expression !== '') {
    return [];
  }
  const values: string[] = [];
  if (DEPLOY_TIME.test(metric.namespace)) values.push(`namespace ${metric.namespace}`);
  if (DEPLOY_TIME.test(metric.metricName)) values.push(`metric name ${metric.metricName}`);
  for (const [name, value] of Object.entries(metric.dimensions)) {
    if (DEPLOY_TIME.test(value)) values.push(`${name}=${value}`);
  }
  return values;
}

/** `metric` with its deploy-time values taken from the alarm's query of the same id, or undefined. */
function resolvedFrom(metric: MetricEntry, alarm: MetricAlarm): MetricEntry | undefined {
  const deployed = alarm.Metrics?.find((q) => q.Id === metric.id)?.MetricStat?.Metric;
  if (!deployed) {
    return undefined;
  }
  const dimensions: Record<string, string> = {};
  for (const [name, value] of Object.entries(metric.dimensions)) {
    if (!DEPLOY_TIME.test(value)) {
      dimensions[name] = value;
      continue;
    }
    const found = deployed.Dimensions?.find((d) => d.Name === name)?.Value;
    if (found === undefined) {
      return undefined;
    }
    dimensions[name] = found;
  }
  const namespace = DEPLOY_TIME.test(metric.namespace) ? deployed.Namespace : metric.namespace;
  const metricName = DEPLOY_TIME.test(metric.metricName) ? deployed.MetricName : metric.metricName;
  if (namespace === undefined || metricName === undefined) {
    return undefined;
  }
  return { ...metric, namespace, metricName, dimensions };
}

/**
 * Ids a time-slice condition expression reads that the manifest's metrics do not hold: a manifest
 * written before the metrics of a condition such as `running - desired` were recorded. Such a
 * condition cannot be queried.
 */
export function unrecordedConditionIds(slo: SloEntry): string[] {
  const slice = slo.sli.timeSlice;
  const condition = slice && slo.sli.metrics.find((m) => m.id === slice.metricId);
  if (!condition?.expression) {
    return [];
  }
  const known = new Set(slo.sli.metrics.map((m) => m.id));
  const ids = condition.expression.replace(/"[^"]*"|'[^']*'/g, '').match(/\b[A-Za-z_]\w*\b(?!\s*\()/g) ?? [];
  return [...new Set(ids.filter((id) => !known.has(id)))];
}

/** The SLO's alarms that exist in the region read. */
export function deployedAlarmsOf(slo: SloEntry, deployed: DeployedAlarms): MetricAlarm[] {
  return windowAlarmNames(slo).map((name) => deployed.alarms.get(name)).filter((a): a is MetricAlarm => a !== undefined);
}

/**
 * The SLO as it will be read: the manifest's metrics, with deploy-time values taken from a
 * deployed window alarm of the SLO. When no deployed alarm has them, the SLO is `unreadable`,
 * saying why (not deployed here, or deployed with other metrics).
 */
export function resolveTarget(service: string, slo: SloEntry, deployed: DeployedAlarms, region: string): BudgetTarget {
  const metrics = slo.sli.metrics;
  const unrecorded = unrecordedConditionIds(slo);
  if (unrecorded.length > 0) {
    const expression = metrics.find((m) => m.id === slo.sli.timeSlice!.metricId)!.expression;
    return {
      service, slo, metrics,
      unreadable: `its slice condition ${expression} uses ${joinAnd(unrecorded)}, which this manifest (written by an older cdk-reliability) `
        + 'does not record: run `cdk synth` again with this version',
    };
  }
  const pending = metrics.flatMap((m) => deployTimeValues(m));
  if (pending.length === 0) {
    return { service, slo, metrics };
  }
  const alarms = deployedAlarmsOf(slo, deployed);
  for (const alarm of alarms) {
    const resolved = metrics.map((m) => (deployTimeValues(m).length > 0 ? resolvedFrom(m, alarm) : m));
    if (resolved.every((m): m is MetricEntry => m !== undefined)) {
      return { service, slo, metrics: resolved };
    }
  }
  const values = truncate(joinAnd([...new Set(pending)]), 120);
  const names = windowAlarmNames(slo);
  if (alarms.length === 0) {
    const alarmText = names.length > 0 ? `none of its alarms (${names[0]}${names.length > 1 ? ', …' : ''}) exist` : 'it has no alarm to read them from';
    return {
      service,
      slo,
      metrics,
      unreadable: `its metrics name values known only once deployed (${values}), and ${alarmText} in ${region}: `
        + 'not deployed yet, or deployed in another region or account',
    };
  }
  return {
    service,
    slo,
    metrics,
    unreadable: `the deployed alarm ${alarms[0].AlarmName} reads other metrics than this cloud assembly's SLI, so its deploy-time `
      + `values (${values}) are not known: the SLI changed since the last deploy`,
  };
}

/** The SLOs to read, and what the deployed alarms say about where they are read. */
export interface ResolvedTargets {
  readonly targets: BudgetTarget[];
  /** Notes on the stack as a whole: none of its alarms here, or they could not be checked. */
  readonly notes: string[];
  /** Per target: none of its alarms exist where it is read, while others of the stack do (added since the last deploy?). */
  readonly notDeployed: boolean[];
}

/**
 * The selected SLOs as they will be read, given the deployed alarms found in `region`. Throws a
 * `CliError` when DescribeAlarms was denied and some SLO needs its deploy-time values.
 * `agnostic`: the stack's region is not known, so reading the wrong region is one explanation.
 */
export function resolveTargets(
  selected: ReadonlyArray<{ service: string; slo: SloEntry }>,
  deployed: DeployedAlarms,
  region: string,
  agnostic: boolean,
  allowUndeployed = false,
): ResolvedTargets {
  const resolving = selected.filter((s) => s.slo.sli.metrics.some((m) => deployTimeValues(m).length > 0));
  if (deployed.denied !== undefined && resolving.length > 0) {
    throw new CliError(`cannot read the deployed alarms in ${region} (cloudwatch:DescribeAlarms: ${deployed.denied}). `
      + `The metrics of ${resolving.map((s) => `${s.service}/${s.slo.name}`).join(', ')} name values known only once deployed, `
      + 'which budget reads from the alarms: allow cloudwatch:DescribeAlarms (besides cloudwatch:GetMetricData) to the identity that runs it');
  }
  const named = selected.some((s) => windowAlarmNames(s.slo).length > 0);
  const noneDeployed = deployed.denied === undefined && named && deployed.alarms.size === 0;
  const notes: string[] = [];
  if (deployed.denied !== undefined) {
    notes.push(`Could not check that the stack's alarms exist in ${region} (cloudwatch:DescribeAlarms denied): an SLO without data `
      + 'may be read in the wrong region or account.');
  } else if (noneDeployed && !allowUndeployed) {
    // Fail closed: credentials of another account read "no data" everywhere, which must not pass
    // the gate. A stage's very first deployment passes --allow-undeployed.
    throw new CliError(`none of these SLOs' alarms exist in ${region}: the stack is not deployed here yet, or the credentials are for another `
      + `${agnostic ? 'region or ' : ''}account (check --profile${agnostic ? ' and --region' : ''}). The budget cannot be judged; `
      + 'for the first deployment of a stage, pass --allow-undeployed');
  } else if (noneDeployed) {
    notes.push(`None of these SLOs' alarms exist in ${region}: the stack is not deployed here yet, or it is deployed in another `
      + `${agnostic ? 'region or ' : ''}account (check --profile${agnostic ? ' and --region' : ''}).`);
  }
  return {
    targets: selected.map((s) => resolveTarget(s.service, s.slo, deployed, region)),
    notes,
    notDeployed: selected.map((s) => deployed.denied === undefined && !noneDeployed && windowAlarmNames(s.slo).length > 0
      && deployedAlarmsOf(s.slo, deployed).length === 0),
  };
}
