/**
 * The `simulate` command's output: a table of tiers (simulated fire and clear times beside the
 * formulas), a timeline of alarm state changes and notifications, and a one-line result; or the
 * same as JSON. Pure.
 */
import type { IncidentReport, TierOutcome } from '../../simulation/incident-report';
import type { SliceIncidentScenario } from '../../simulation/slice-incident';
import type { SloAlarmModel } from '../../simulation/template-alarms';
import { formatWindow } from '../../slo/windows';
import type { AssemblyStack } from '../assembly';
import { describeStack } from '../assembly';
import { DERIVED, formatPercent } from '../../private/format';
import { formatDuration } from '../render';

/** What the report is about. */
export interface SimulationContext {
  readonly stack: AssemblyStack;
  readonly service: string;
  readonly slo: string;
  /** @default - not tagged: derived from the alarms' error budget */
  readonly objective?: number;
  /** `30d`. @default - not tagged */
  readonly window?: string;
  /** What the SLI counts. @default - unknown (no manifest) */
  readonly sli?: string;
  readonly model: SloAlarmModel;
  /** Milliseconds the simulation took. */
  readonly elapsedMs?: number;
}

/** A ratio as a percentage: `2 %`, `0.08 %`, `100 %`. */
export function percent(ratio: number): string {
  return formatPercent(ratio * 100);
}

/** Events per minute as people say it: `1000/min`, `0.5/min`, `no traffic`. */
export function trafficText(eventsPerMinute: number): string {
  if (!(eventsPerMinute > 0)) {
    return 'no traffic';
  }
  if (eventsPerMinute < 0.1) {
    return `${Number((eventsPerMinute * 60).toPrecision(6))}/h`;
  }
  return `${Number(eventsPerMinute.toPrecision(6))}/min`;
}

/**
 * A time on the simulation's minute axis, not a duration for prose: `44 min`, `865 min (14.4 h)`
 * (decimal hours from 5 h on, so that simulated and formula columns compare at a glance);
 * fractional minutes (formulas) with one decimal.
 */
export function minutesText(minutes: number): string {
  const text = `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
  return minutes >= 300 ? `${text} (${Number((minutes / 60).toFixed(1))} h)` : text;
}

/** The latency threshold of a latency SLI (its good events are a trimmed count, `TC(:300)`). */
export function latencyThreshold(model: SloAlarmModel): string | undefined {
  for (const alarm of model.windowAlarms) {
    for (const metric of Object.values(alarm.metrics)) {
      const m = /^TC\(\s*[\d.]*\s*:\s*([\d.]+)\s*\)$/.exec(metric.statistic);
      if (m) {
        return m[1];
      }
    }
  }
  return undefined;
}

function tierLabel(tier: TierOutcome): string {
  return `${tier.severity} ${formatWindow(tier.longWindowSeconds)}/${formatWindow(tier.shortWindowSeconds)}`;
}

/** A table; columns are left-aligned except those listed in `right`. */
function table(header: string[], rows: string[][], right: number[] = []): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const pad = (c: string, i: number) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]));
  const line = (cells: string[]) => `  ${cells.map(pad).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

function tierRows(report: IncidentReport, minutes: number): { rows: string[][]; notes: string[] } {
  const notes = new Set<string>();
  const rows = report.tiers.map((tier) => {
    const f = tier.formula;
    let formulaFires: string;
    if (f.note) {
      formulaFires = 'n/a';
      notes.add(`n/a: ${f.note}`);
    } else if (f.firesAt === undefined) {
      formulaFires = 'never';
    } else if (f.afterIncident) {
      formulaFires = `${minutesText(f.firesAt)} *`;
      notes.add(`*: after the incident ended (at ${minutesText(report.scenario.durationMinutes)}), so the tier does not fire`);
    } else {
      formulaFires = minutesText(f.firesAt);
    }
    const simClears = tier.firesAt === undefined ? '-'
      : tier.clearsAt === undefined ? `not by ${minutes} min` : minutesText(tier.clearsAt);
    const formulaClears = f.clearsAt === undefined ? '-' : minutesText(f.clearsAt);
    if (tier.slices) {
      const { long, short } = tier.slices;
      return [
        tierLabel(tier),
        `>= ${long.slicesToAlarm} of ${long.slices} / >= ${short.slicesToAlarm} of ${short.slices}`,
        tier.firesAt === undefined ? 'never' : minutesText(tier.firesAt),
        formulaFires,
        simClears,
        formulaClears,
      ];
    }
    return [
      tierLabel(tier),
      `${Number(tier.burnRate.toPrecision(4))}x`,
      tier.errorRatioThreshold === undefined ? '?' : `> ${formatPercent(tier.errorRatioThreshold * 100, DERIVED)}`,
      tier.firesAt === undefined ? 'never' : minutesText(tier.firesAt),
      formulaFires,
      simClears,
      formulaClears,
    ];
  });
  return { rows, notes: [...notes] };
}

/** Timeline lines: every alarm's state changes and every notification, by minute. */
function timeline(report: IncidentReport, model: SloAlarmModel): string[][] {
  const outcomes = new Map(report.composites.map((c) => [c.name, c]));
  const nameOf = new Map(model.composites.map((c) => [c.logicalId, c.name]));
  const suppression = new Map(model.composites.map((c) => [c.name, {
    suppressor: c.suppressor === undefined ? undefined : nameOf.get(c.suppressor) ?? c.suppressor,
    wait: c.suppressorWaitSeconds / 60,
    extension: c.suppressorExtensionSeconds / 60,
  }]));
  const rows: { minute: number; order: number; cells: string[] }[] = [];
  report.simulation.transitions.forEach((t, order) => {
    const outcome = outcomes.get(t.alarm);
    const s = suppression.get(t.alarm);
    let note = '';
    if (outcome && s) {
      const notifiedNow = outcome.notifications.some((n) => n.minute === t.minute && n.state === t.state && !n.afterSuppression);
      if (t.suppressed) {
        note = `actions suppressed: ${s.suppressor} is in ALARM`;
      } else if (notifiedNow) {
        note = 'notifies';
      } else if (t.suppressed === false) {
        note = `waits ${s.wait} min for ${s.suppressor} (suppressor wait period)`;
      }
    }
    rows.push({ minute: t.minute, order, cells: [String(t.minute), t.state, t.alarm, note] });
  });
  for (const c of report.composites) {
    const s = suppression.get(c.name);
    for (const n of c.notifications) {
      const atTransition = report.simulation.transitions.some((t) => t.alarm === n.alarm && t.minute === n.minute && t.state === n.state);
      if (atTransition && !n.afterSuppression) {
        continue;
      }
      const why = n.afterSuppression
        ? `notifies: ${s?.suppressor} left ALARM ${s?.extension} min ago (extension period)`
        : 'notifies';
      rows.push({ minute: n.minute, order: Number.MAX_SAFE_INTEGER, cells: [String(n.minute), n.state, n.alarm, why] });
    }
  }
  rows.sort((a, b) => a.minute - b.minute || a.order - b.order);
  return rows.map((r) => r.cells);
}

const MAX_TIMELINE_ROWS = 60;

/** The report as text. */
export function formatSimulation(report: IncidentReport, context: SimulationContext): string[] {
  const s = report.scenario;
  const objective = context.objective ?? report.objectivePercent;
  const lines: string[] = [];
  const policy = [
    objective === undefined ? undefined : `${formatPercent(objective)} good`,
    context.window === undefined ? undefined : `over ${context.window}`,
  ].filter(Boolean).join(' ');
  const budget = report.errorBudget === undefined ? undefined : `error budget ${percent(report.errorBudget)}`;
  lines.push(`SLO ${context.service}/${context.slo} (stack ${describeStack(context.stack)}): ${[policy, budget].filter(Boolean).join(', ') || 'objective unknown'}`
    + `${context.sli === undefined ? '' : `; SLI: ${context.sli}`}`);
  const slice = sliceScenarioOf(report);
  if (slice) {
    lines.push(sliceIncidentLine(slice));
  } else {
    const threshold = latencyThreshold(context.model);
    const errors = threshold === undefined ? 'errors' : `of requests slower than ${threshold} (the latency SLI counts TC(:${threshold}) as good)`;
    const around = s.baselineErrorRatio > 0 ? `${percent(s.baselineErrorRatio)} before and after` : 'healthy before and after';
    lines.push(`Incident: ${percent(s.errorRatio)} ${errors} for ${formatDuration(s.durationMinutes * 60)} from minute 0, ${around}; `
      + `${s.eventsPerMinute > 0 ? `traffic ${trafficText(s.eventsPerMinute)}` : 'no traffic'}.`);
  }
  const took = context.elapsedMs === undefined ? '' : ` in ${Math.max(1, Math.round(context.elapsedMs))} ms`;
  const delay = report.simulation.delayMinutes;
  lines.push(`Simulated ${s.minutes} minutes (${formatDuration(s.minutes * 60)})${took}, every alarm evaluated at the end of each minute`
    + ` on ${delay === 0 ? 'metrics without delay (--delay 0, the formulas\' ideal)' : `metrics that arrive ${delay} min late (--delay ${delay})`}.`);

  if (report.tiers.length > 0 && slice) {
    lines.push('');
    const { rows, notes } = tierRows(report, s.minutes);
    lines.push(...table(['tier', 'bad slices to fire (long / short)', 'fires at', 'formula', 'clears at', 'formula'], rows));
    lines.push('  A tier fires while both its window alarms hold M bad slices of their last N. Simulated times are whole minutes');
    lines.push(`  (evaluation at the end of each, metrics ${delay} min late); formulas (no delay, every minute of the incident bad, one`);
    lines.push('  evaluation per slice): fires after max(M long, M short) slices, clears N − M + 1 slices after the incident, whichever window first.');
    notes.forEach((n) => lines.push(`  ${n}`));
  } else if (report.tiers.length > 0) {
    lines.push('');
    const { rows, notes } = tierRows(report, s.minutes);
    lines.push(...table(['tier', 'burn rate', 'error ratio', 'fires at', 'formula', 'clears at', 'formula'], rows));
    lines.push('  A tier fires while both its windows are above its threshold. Simulated times are whole minutes (evaluation');
    lines.push(`  at the end of each, metrics ${delay} min late); formulas (no delay): fires at burn rate × budget / error`);
    lines.push('  rate × long window, clears at the end of the incident + short window × (1 − threshold / error rate).');
    notes.forEach((n) => lines.push(`  ${n}`));
  }

  lines.push('', 'Timeline (minutes from the start of the incident):');
  const events = timeline(report, context.model);
  if (events.length === 0) {
    lines.push('  no alarm changed state');
  } else {
    const shown = events.slice(0, MAX_TIMELINE_ROWS);
    lines.push(...table(['min', 'state', 'alarm', ''], shown, [0]));
    if (events.length > shown.length) {
      lines.push(`  … ${events.length - shown.length} more (--json lists them all)`);
    }
  }
  const open = [...report.composites.filter((c) => c.alarms.some((a) => a.to === undefined)).map((c) => c.name)];
  if (open.length > 0) {
    lines.push(`  still in ALARM when the simulation ended at ${s.minutes}: ${open.join(', ')} (raise --minutes or --after)`);
  }
  lines.push('', `Result: ${report.summary}.`);
  return lines;
}

/** The time-slice incident of `report`, when it is one. */
function sliceScenarioOf(report: IncidentReport): SliceIncidentScenario | undefined {
  const s = report.scenario as Partial<SliceIncidentScenario>;
  return s.condition !== undefined ? (report.scenario as SliceIncidentScenario) : undefined;
}

/** `Incident: the condition slice0 < 300 fails in 100 % of the minutes (value 900, otherwise 150) for 20 min from minute 0, healthy before and after.` */
function sliceIncidentLine(s: SliceIncidentScenario): string {
  const bad = s.badValue === undefined ? 'no datapoint' : `value ${s.badValue}`;
  const around = s.baselineErrorRatio > 0 ? `${percent(s.baselineErrorRatio)} of the minutes bad before and after` : 'healthy before and after';
  return `Incident: the condition ${s.condition.comparison} ${s.condition.threshold} fails in ${percent(s.errorRatio)} of the minutes `
    + `(${bad}, otherwise value ${s.goodValue}) for ${formatDuration(s.durationMinutes * 60)} from minute 0, ${around}.`;
}

/** The report as a JSON value: times in minutes from the start of the incident, `null` for never. */
export function simulationJson(report: IncidentReport, context: SimulationContext): unknown {
  const s = report.scenario;
  return {
    stack: { name: context.stack.stackName, path: context.stack.displayName, artifactId: context.stack.artifactId },
    service: context.service,
    slo: context.slo,
    objective: context.objective ?? report.objectivePercent ?? null,
    window: context.window ?? null,
    sli: context.sli ?? null,
    errorBudget: report.errorBudget ?? null,
    latencyThreshold: latencyThreshold(context.model) ?? null,
    scenario: {
      ...(sliceScenarioOf(report) ? {
        condition: sliceScenarioOf(report)!.condition,
        badValue: sliceScenarioOf(report)!.badValue ?? null,
        goodValue: sliceScenarioOf(report)!.goodValue,
      } : {}),
      errorRate: s.errorRatio,
      durationMinutes: s.durationMinutes,
      eventsPerMinute: s.eventsPerMinute,
      baselineErrorRate: s.baselineErrorRatio,
      minutes: s.minutes,
      delayMinutes: report.simulation.delayMinutes,
    },
    tiers: report.tiers.map((t) => ({
      id: t.id,
      severity: t.severity,
      composite: t.composite,
      burnRate: t.burnRate,
      errorRatioThreshold: t.errorRatioThreshold ?? null,
      longWindow: formatWindow(t.longWindowSeconds),
      shortWindow: formatWindow(t.shortWindowSeconds),
      alarmNames: { long: t.longAlarm, short: t.shortAlarm },
      ...(t.slices ? { slices: t.slices } : {}),
      firesAt: t.firesAt ?? null,
      clearsAt: t.clearsAt ?? null,
      alarms: t.alarms.map((a) => ({ from: a.from, to: a.to ?? null })),
      formula: {
        firesAt: t.formula.firesAt ?? null,
        afterIncident: t.formula.afterIncident ?? false,
        clearsAt: t.formula.clearsAt ?? null,
        note: t.formula.note ?? null,
      },
    })),
    composites: report.composites.map((c) => ({
      name: c.name,
      severity: c.severity,
      firesAt: c.firesAt ?? null,
      clearsAt: c.clearsAt ?? null,
      alarms: c.alarms.map((a) => ({ from: a.from, to: a.to ?? null })),
      suppressedAt: c.suppressedAt,
      notifications: c.notifications.map((n) => ({ minute: n.minute, state: n.state, afterSuppression: n.afterSuppression ?? false })),
    })),
    transitions: report.simulation.transitions.map((t) => ({
      minute: t.minute, alarm: t.alarm, state: t.state, ...(t.suppressed === undefined ? {} : { suppressed: t.suppressed }),
    })),
    summary: report.summary,
  };
}
