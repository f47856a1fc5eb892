/**
 * The SLOs a replay evaluates, read offline from a cloud assembly: the stack (by stack name,
 * construct path or artifact id), its services and SLOs (from the reliability manifest beside the
 * template, else the composites' tags), narrowed by --service and --slo, and each SLO's alarms read
 * back from the template as deployed.
 */
import type { StackEntry } from '../../manifest/schema';
import { sloAlarmsFromTemplate } from '../../simulation/template-alarms';
import { suggestion } from '../args';
import { AssemblyStack, describeStack, findAssemblyStack, readTemplate } from '../assembly';
import { CliError } from '../errors';
import { slosInStack } from '../simulation/locate';
import type { ReplaySlo } from './evaluate';

/** A stack's SLOs as a replay reads them. */
export interface ReplayStack {
  readonly stack: AssemblyStack;
  readonly slos: ReplaySlo[];
}

/** Narrowing to one service and/or SLO. */
export interface SloFilter {
  /** @default - every service */
  readonly service?: string;
  /** @default - every SLO */
  readonly slo?: string;
}

/** The SLOs of stack `name` in the assembly at `dir`, each with its alarms or why they cannot be read. */
export function loadReplayStack(dir: string, name: string, filter: SloFilter = {}): ReplayStack {
  const stack = findAssemblyStack(dir, name);
  const template = readTemplate(stack);
  let entries = slosInStack(stack, template);
  const where = `stack ${describeStack(stack)}`;
  if (filter.service !== undefined) {
    const services = [...new Set(entries.map((e) => e.service))];
    entries = entries.filter((e) => e.service === filter.service);
    if (entries.length === 0) {
      throw new CliError(`no service '${filter.service}' in ${where}${suggestion(filter.service, services)}; services there: ${services.join(', ') || 'none'}`);
    }
  }
  if (filter.slo !== undefined) {
    const slos = [...new Set(entries.map((e) => e.slo))];
    entries = entries.filter((e) => e.slo === filter.slo);
    if (entries.length === 0) {
      throw new CliError(`no SLO '${filter.slo}' in ${filter.service !== undefined ? `service ${filter.service}` : where}`
        + `${suggestion(filter.slo, slos)}; SLOs there: ${slos.join(', ') || 'none'}`);
    }
  }
  if (entries.length === 0) {
    throw new CliError(`${where} has no SLO alarms to replay (no composite alarm named <service>-<slo>-page or -ticket)`);
  }
  const slos = entries.map((e): ReplaySlo => {
    try {
      return { service: e.service, slo: e.slo, model: sloAlarmsFromTemplate(template as Parameters<typeof sloAlarmsFromTemplate>[0], e.service, e.slo) };
    } catch (err) {
      return { service: e.service, slo: e.slo, reason: `its alarms cannot be read from the template: ${(err as Error).message}` };
    }
  });
  return { stack, slos };
}

/** The stack as the region check of `budget` reads it (`aws://account/region` from the assembly). */
export function stackEntryOf(stack: AssemblyStack): StackEntry {
  const m = /^aws:\/\/([^/]*)\/(.*)$/.exec(stack.environment ?? '');
  const known = (value: string | undefined) => (value === undefined || value === '' || value.startsWith('unknown-') ? 'unknown' : value);
  return {
    name: stack.stackName,
    artifactId: stack.artifactId,
    path: stack.displayName,
    account: known(m?.[1]),
    region: known(m?.[2]),
  };
}

/** `checkout/availability`: the key SLOs are paired by across two assemblies. */
export function sloKey(slo: { service: string; slo: string }): string {
  return `${slo.service}/${slo.slo}`;
}
