/**
 * A manifest as a few readable lines: what users snapshot in their tests, so that a code review
 * shows "objective 99.9 -> 99.5" instead of a template diff. Pure.
 */
import { recordedGuardEvents } from '../review/policy';
import { formatWindow } from '../slo/windows';
import { ExperimentEntry, ReliabilityManifest, ServiceEntry } from './schema';
import { formatDecimal } from '../private/format';

/** The policy of every service in `manifest`, one line per fact. */
export function compactPolicy(manifest: ReliabilityManifest): string {
  return manifest.services.flatMap(serviceLines).join('\n');
}

/** Four significant digits: 0.9333x, 14.4x. */
function figure(value: number): string {
  return formatDecimal(Number(value.toPrecision(4)));
}

function serviceLines(service: ServiceEntry): string[] {
  const lines = [`service ${service.name}${service.owner ? ` (owner ${service.owner})` : ''}`];
  for (const slo of service.slos) {
    const minimum = slo.minimumEvents !== undefined ? `, minimumEvents ${slo.minimumEvents}` : '';
    lines.push(`  slo ${slo.name}: ${formatDecimal(slo.objective)} % over ${slo.window}${minimum}; ${slo.sli.kind}: ${slo.sli.description}`);
    const slice = slo.sli.timeSlice;
    if (slice) {
      lines.push(`    slice  ${slice.slice}: good when ${slice.metricId} ${slice.comparison} ${formatDecimal(slice.threshold)}, missing ${slice.missingSlice}`);
    }
    for (const tier of slo.tiers) {
      if (tier.slices) {
        lines.push(`    ${tier.severity.padEnd(6)} ${`${tier.longWindow}/${tier.shortWindow}`.padEnd(7)} bad >= ${tier.slices.long.slicesToAlarm}/${tier.slices.long.slices} `
          + `and >= ${tier.slices.short.slicesToAlarm}/${tier.slices.short.slices} slices (error ratio ${figure(tier.errorRatio * 100)} %), `
          + `${figure(tier.budgetPercent)} % of the budget`);
        continue;
      }
      const guard = recordedGuardEvents(slo, tier);
      lines.push(`    ${tier.severity.padEnd(6)} ${`${tier.longWindow}/${tier.shortWindow}`.padEnd(7)} burn ${figure(tier.burnRate)}x `
        + `(error ratio ${figure(tier.errorRatio * 100)} %), ${figure(tier.budgetPercent)} % of the budget, `
        + `${guard > 1 ? `guard ${guard} events` : 'no guard'}`);
    }
    if (slo.tiers.length === 0) {
      lines.push('    no tier can fire');
    }
    if (slo.blindAlert) {
      const b = slo.blindAlert;
      lines.push(`    ${b.severity.padEnd(6)} blind   fewer than ${b.expectedEvents} event${b.expectedEvents === 1 ? '' : 's'} in ${b.after}`);
    }
  }
  const e = service.escalation;
  if (e) {
    const levels = e.levels.map((l, i) => `${i === 0 ? '' : `+${formatWindow(l.afterSeconds)} `}${l.targets.join('+')}`).join(', ');
    lines.push(`  escalation ${e.name}: ${levels}; repeat ${e.repeat}; tickets ${e.tickets.length > 0 ? e.tickets.join('+') : 'none'}`);
  } else {
    lines.push('  escalation: none');
  }
  for (const experiment of service.experiments) {
    lines.push(...experimentLines(experiment));
  }
  return lines;
}

function experimentLines(experiment: ExperimentEntry): string[] {
  const actions = experiment.actions.map((a) => {
    const parameters = Object.entries(a.parameters).filter(([k]) => k !== 'alarmArns' && k !== 'alarmStates').map(([k, v]) => `${k}=${v}`);
    const after = a.startAfter.length > 1 ? ` after ${a.startAfter.join('+')}` : '';
    return `${a.name}${parameters.length > 0 ? `(${parameters.join(', ')})` : ''}${after}`;
  });
  const lines = [`  experiment ${experiment.name}: ${actions.join(' -> ')}`];
  for (const t of experiment.targets) {
    const what = t.resourceArns ?? Object.entries({ ...t.resourceTags, ...t.parameters }).map(([k, v]) => `${k}=${v}`);
    lines.push(`    target ${t.name}: ${t.resourceType} ${t.selectionMode} of ${what.join(', ')}`);
  }
  lines.push(`    stops on ${experiment.stopConditions.join(', ')}`);
  if (experiment.gameDay) {
    lines.push(`    game day ${experiment.gameDay.expression} ${experiment.gameDay.timeZone}${experiment.gameDay.enabled ? '' : ' (disabled)'}`);
  }
  return lines;
}
