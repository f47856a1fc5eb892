/**
 * Finding one SLO's alarms in a cloud assembly, offline: the stack whose template holds the
 * composite alarm `<service>-<slo>-page` or `<service>-<slo>-ticket`, and the alarm model read
 * back from it. What the SLO is (objective, window, SLI) and, when nothing matches, which services
 * and SLOs there are, come from the stack's reliability manifest (`<artifactId>.reliability.json`
 * beside its template) when there is one, else from the tags the escalation wiring puts on the
 * composites, else from the composites' names.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_FILE_SUFFIX, MANIFEST_SCHEMA_VERSION, ReliabilityManifest, TimeSliceEntry } from '../../manifest/schema';
import type { EventExpressions } from '../../simulation/scenario';
import { sloAlarmsFromTemplate, SloAlarmModel } from '../../simulation/template-alarms';
import { suggestion } from '../args';
import { AssemblyStack, describeStack, fileBesideTemplate, findAssemblyStack, listAssemblyStacks, readTemplate, Template } from '../assembly';
import { CliError } from '../errors';
import { readJsonFile } from '../files';
import { joinAnd } from '../../private/format';

/** An SLO as its composite alarms describe it. */
export interface SloAlarmsEntry {
  readonly service: string;
  readonly slo: string;
  /** From the `cdk-reliability:objective` tag. @default - not tagged */
  readonly objective?: number;
  /** From the `cdk-reliability:window` tag, e.g. `30d`. @default - not tagged */
  readonly window?: string;
  /** What the SLI counts, from the manifest. @default - no manifest */
  readonly sli?: string;
  /**
   * The SLI's bad and total expressions, from the manifest: which metrics count what.
   * @default - no manifest: read from the alarms' burn-rate expression
   */
  readonly events?: EventExpressions;
  /**
   * A time-slice SLI's slice and condition, from the manifest.
   * @default - a counted-events SLI, or no manifest
   */
  readonly timeSlice?: TimeSliceEntry;
  /** Composite alarm names. */
  readonly alarms: string[];
}

/** The SLO found. */
export interface LocatedSlo {
  readonly stack: AssemblyStack;
  readonly entry: SloAlarmsEntry;
  readonly model: SloAlarmModel;
}

function tagsOf(properties: Record<string, unknown> | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  const list = properties?.Tags;
  if (Array.isArray(list)) {
    for (const t of list) {
      if (t && typeof t.Key === 'string' && typeof t.Value === 'string') {
        tags[t.Key] = t.Value;
      }
    }
  }
  return tags;
}

/**
 * The stack's reliability manifest, or undefined when there is none or it is not one this version
 * reads. A manifest that resolves outside the assembly (a symbolic link out of it) is refused with
 * a `CliError`, as every file an assembly names is (files.ts): it is never read.
 */
function readManifest(stack: AssemblyStack): ReliabilityManifest | undefined {
  const file = fileBesideTemplate(stack, MANIFEST_FILE_SUFFIX);
  if (!fs.existsSync(file)) {
    return undefined; // optional: the templates are enough
  }
  try {
    const manifest = readJsonFile(file, 'the reliability manifest') as ReliabilityManifest;
    const usable = manifest?.schemaVersion === MANIFEST_SCHEMA_VERSION && Array.isArray(manifest.services)
      && manifest.services.every((s) => typeof s?.name === 'string' && Array.isArray(s.slos) && s.slos.every((o) => typeof o?.name === 'string'));
    return usable ? manifest : undefined;
  } catch {
    return undefined; // optional: the templates are enough
  }
}

/** The SLOs of a stack: from its manifest, else from the tags on its composites, else from their names. */
export function slosInStack(stack: AssemblyStack, template: Template): SloAlarmsEntry[] {
  const manifest = readManifest(stack);
  if (manifest) {
    return manifest.services.flatMap((service) => service.slos.map((slo) => ({
      service: service.name,
      slo: slo.name,
      ...(typeof slo.objective === 'number' ? { objective: slo.objective } : {}),
      ...(typeof slo.window === 'string' ? { window: slo.window } : {}),
      ...(typeof slo.sli?.description === 'string' ? { sli: slo.sli.description } : {}),
      ...(typeof slo.sli?.badEvents === 'string' && typeof slo.sli?.totalEvents === 'string'
        ? { events: { badEvents: slo.sli.badEvents, totalEvents: slo.sli.totalEvents } } : {}),
      ...(typeof slo.sli?.timeSlice?.comparison === 'string' && typeof slo.sli.timeSlice.threshold === 'number' ? { timeSlice: slo.sli.timeSlice } : {}),
      alarms: [slo.alarms?.page, slo.alarms?.ticket].filter((a): a is string => typeof a === 'string'),
    })));
  }
  const tagged = slosInTemplate(template);
  if (tagged.length > 0) {
    return tagged;
  }
  // untagged composites (no escalation): `<service>-<slo>-page`, where a dash may belong to either name
  const byPrefix = new Map<string, string[]>();
  for (const resource of Object.values(template.Resources ?? {})) {
    const name = resource.Properties?.AlarmName;
    const m = resource.Type === 'AWS::CloudWatch::CompositeAlarm' && typeof name === 'string' ? /^(.+)-(page|ticket)$/.exec(name) : null;
    if (m) {
      byPrefix.set(m[1], [...(byPrefix.get(m[1]) ?? []), name as string]);
    }
  }
  return [...byPrefix].map(([prefix, alarms]) => {
    const dash = prefix.lastIndexOf('-');
    return { service: dash > 0 ? prefix.slice(0, dash) : prefix, slo: dash > 0 ? prefix.slice(dash + 1) : '', alarms };
  });
}

/** The SLOs whose composites a template holds, from the tags the escalation wiring puts on them. */
export function slosInTemplate(template: Template): SloAlarmsEntry[] {
  const bySlo = new Map<string, SloAlarmsEntry & { alarms: string[] }>();
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::CloudWatch::CompositeAlarm') {
      continue;
    }
    const name = resource.Properties?.AlarmName;
    const tags = tagsOf(resource.Properties);
    const service = tags['cdk-reliability:service'];
    const slo = tags['cdk-reliability:slo'];
    if (typeof name !== 'string' || service === undefined || slo === undefined) {
      continue;
    }
    const key = `${service}/${slo}`;
    const objective = Number(tags['cdk-reliability:objective']);
    const entry = bySlo.get(key) ?? {
      service,
      slo,
      ...(Number.isFinite(objective) && tags['cdk-reliability:objective'] !== undefined ? { objective } : {}),
      ...(tags['cdk-reliability:window'] ? { window: tags['cdk-reliability:window'] } : {}),
      alarms: [],
    };
    entry.alarms.push(name);
    bySlo.set(key, entry);
  }
  return [...bySlo.values()];
}

/** Whether the template has a composite named `<service>-<slo>-page|ticket`. */
function hasSloComposite(template: Template, service: string, slo: string): boolean {
  const wanted = new Set([`${service}-${slo}-page`, `${service}-${slo}-ticket`]);
  return Object.values(template.Resources ?? {}).some((r) =>
    r.Type === 'AWS::CloudWatch::CompositeAlarm' && wanted.has(r.Properties?.AlarmName as string));
}

/** `checkout (availability, latency) in Shop; search (availability) in Shop`. */
function listing(found: Array<{ stack: AssemblyStack; entries: SloAlarmsEntry[] }>): string {
  const lines: string[] = [];
  for (const { stack, entries } of found) {
    const services = new Map<string, string[]>();
    entries.forEach((e) => services.set(e.service, [...(services.get(e.service) ?? []), e.slo]));
    for (const [service, slos] of services) {
      lines.push(`${service} (${slos.join(', ')}) in ${describeStack(stack)}`);
    }
  }
  return lines.join('; ');
}

/**
 * The SLO `service`/`slo` in the assembly at `dir`, in stack `stackName` when given. Throws a
 * `CliError` (exit 1) when the assembly, the stack or the SLO is not there, or when several stacks
 * hold it, naming what there is.
 */
export function locateSlo(dir: string, service: string, slo: string, stackName?: string): LocatedSlo {
  const stacks = stackName !== undefined ? [findAssemblyStack(dir, stackName)] : listAssemblyStacks(dir);
  const templates = stacks.map((stack) => ({ stack, template: readTemplate(stack) }));
  const matches = templates.filter(({ template }) => hasSloComposite(template, service, slo));
  const where = stackName !== undefined ? `stack ${describeStack(stacks[0])}` : `the cloud assembly ${path.resolve(dir)}`;

  if (matches.length > 1) {
    throw new CliError(`${matches.length} stacks hold the SLO ${service}/${slo}: ${joinAnd(matches.map((m) => describeStack(m.stack)))}; `
      + `pass --stack <name> (e.g. --stack ${matches[0].stack.displayName})`);
  }
  if (matches.length === 0) {
    const found = templates.map(({ stack, template }) => ({ stack, entries: slosInStack(stack, template) })).filter((f) => f.entries.length > 0);
    const all = found.flatMap((f) => f.entries);
    if (all.length === 0) {
      throw new CliError(`no SLO alarms in ${where}: no composite alarm named <service>-<slo>-page or -ticket; `
        + `looked for ${service}-${slo}-page or ${service}-${slo}-ticket`);
    }
    const services = [...new Set(all.map((e) => e.service))];
    if (services.includes(service)) {
      const slos = [...new Set(all.filter((e) => e.service === service).map((e) => e.slo))];
      throw new CliError(`service '${service}' has no SLO '${slo}' in ${where}${suggestion(slo, slos)}; its SLOs: ${slos.join(', ')}`);
    }
    throw new CliError(`no service '${service}' in ${where}${suggestion(service, services)}; services and SLOs there: ${listing(found)}`);
  }

  const { stack, template } = matches[0];
  const entry = slosInStack(stack, template).find((e) => e.service === service && e.slo === slo)
    ?? { service, slo, alarms: [`${service}-${slo}-page`, `${service}-${slo}-ticket`] };
  let model: SloAlarmModel;
  try {
    model = sloAlarmsFromTemplate(template as Parameters<typeof sloAlarmsFromTemplate>[0], service, slo);
  } catch (err) {
    throw new CliError(`cannot read the alarms of ${service}/${slo} in stack ${describeStack(stack)}: ${(err as Error).message}`);
  }
  return { stack, entry, model };
}
