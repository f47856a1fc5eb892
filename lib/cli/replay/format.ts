/**
 * A replay for people and programs: per SLO, every page and ticket the synthesized alarms would
 * have raised (fired, cleared, how long, which tiers, when notified) as a table; for `diff
 * --replay`, per SLO present on both sides, "would have paged 2 times instead of 9". Pure.
 */
import { plural } from '../../private/format';
import { formatDuration } from '../render';
import type { ReplayAlert, SloReplay } from './evaluate';
import type { ReplayRun } from './session';

/** `2024-05-01 12:03 UTC`. */
function minuteText(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `the last 14d (2024-04-17 12:00 UTC → 2024-05-01 12:00 UTC)`. */
export function rangeText(run: ReplayRun): string {
  return `the last ${formatDuration(run.range.minutes * 60)} (${minuteText(run.range.start)} → ${minuteText(run.range.end)})`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

function alertRow(alert: ReplayAlert): string[] {
  const lasted = alert.clearedAt ? formatDuration((alert.clearedAt.getTime() - alert.firedAt.getTime()) / 1000) : '-';
  const notified = alert.notifiedAt === undefined ? 'muted by the page'
    : alert.notifiedAt.getTime() === alert.firedAt.getTime() ? 'at once' : `at ${minuteText(alert.notifiedAt)}`;
  return [
    alert.severity,
    `${minuteText(alert.firedAt)}${alert.atStart ? ' *' : ''}`,
    alert.clearedAt ? minuteText(alert.clearedAt) : 'still firing',
    lasted,
    alert.causes.join(', ') || '-',
    notified,
  ];
}

/** `2 pages, 1 ticket`. */
export function countsText(slo: SloReplay): string {
  return `${plural(slo.pages, 'page')}, ${plural(slo.tickets, 'ticket')}`;
}

/** The replay of one side as text. */
export function formatReplay(run: ReplayRun, stack: string, slos: readonly SloReplay[]): string[] {
  const lines = [
    `Replay of the synthesized alarms of stack ${stack} on the metrics of ${rangeText(run)} in ${run.region}:`,
    `every minute evaluated as CloudWatch does, on metrics that arrive ${run.delayMinutes} min late (--delay ${run.delayMinutes}); `
      + `${plural(run.metrics, 'metric')} read in ${plural(run.requests, 'GetMetricData request')}.`,
  ];
  for (const slo of slos) {
    lines.push('');
    if (!slo.replayed) {
      lines.push(`${slo.service}/${slo.slo}: not replayed: ${slo.reason}`);
      continue;
    }
    lines.push(`${slo.service}/${slo.slo}: ${countsText(slo)}`);
    if (slo.alerts.length > 0) {
      lines.push(...table(['alert', 'fired', 'cleared', 'lasted', 'tiers', 'notified'], slo.alerts.map(alertRow)));
    }
    if (slo.alerts.some((a) => a.atStart)) {
      lines.push('  *: already in ALARM at the first evaluation of the range');
    }
    for (const note of slo.notes) {
      lines.push(`  note: ${note}`);
    }
  }
  if (run.notes.length > 0) {
    lines.push('', ...run.notes.map((n) => `Note: ${n}`));
  }
  return lines;
}

function alertJson(alert: ReplayAlert) {
  return {
    severity: alert.severity,
    composite: alert.composite,
    firedAt: alert.firedAt.toISOString(),
    clearedAt: alert.clearedAt?.toISOString() ?? null,
    causes: alert.causes,
    notifiedAt: alert.notifiedAt?.toISOString() ?? null,
    atStart: alert.atStart,
  };
}

/** One SLO's replay as JSON. */
export function sloReplayJson(slo: SloReplay) {
  return {
    service: slo.service,
    slo: slo.slo,
    replayed: slo.replayed,
    ...(slo.reason !== undefined ? { reason: slo.reason } : {}),
    pages: slo.pages,
    tickets: slo.tickets,
    alerts: slo.alerts.map(alertJson),
    notes: slo.notes,
  };
}

/** The run's range and reads as JSON. */
export function runJson(run: ReplayRun) {
  return {
    region: run.region,
    start: run.range.start.toISOString(),
    end: run.range.end.toISOString(),
    minutes: run.range.minutes,
    historyStart: run.range.historyStart.toISOString(),
    oneMinuteDataFrom: run.range.oneMinuteFrom.toISOString(),
    delayMinutes: run.delayMinutes,
    metrics: run.metrics,
    requests: run.requests,
    notes: run.notes,
  };
}

/** The replay of one side as a JSON document. */
export function replayJson(run: ReplayRun, stack: string, slos: readonly SloReplay[]): string {
  return JSON.stringify({ stack, ...runJson(run), slos: slos.map(sloReplayJson) }, null, 2);
}

/** One SLO on both sides of a diff. */
export interface ReplayComparison {
  readonly service: string;
  readonly slo: string;
  readonly before: SloReplay;
  readonly after: SloReplay;
}

/** Pairs the two sides' SLOs present on both (after's order). */
export function compareSides(before: readonly SloReplay[], after: readonly SloReplay[]): ReplayComparison[] {
  return after.flatMap((a) => {
    const b = before.find((x) => x.service === a.service && x.slo === a.slo);
    return b ? [{ service: a.service, slo: a.slo, before: b, after: a }] : [];
  });
}

function times(slo: SloReplay, severity: string): string {
  const fired = slo.alerts.filter((a) => a.severity === severity && a.notifiedAt !== undefined).map((a) => minuteText(a.notifiedAt!).slice(5, 16));
  return fired.length > 0 ? fired.join(', ') : 'none';
}

/**
 * `this change would have paged 2 times instead of 9 over the last 14d (tickets 5 → 3)`, or
 * why it cannot be said.
 */
export function comparisonSentence(c: ReplayComparison, run: ReplayRun): string {
  const over = `over the last ${formatDuration(run.range.minutes * 60)}`;
  if (!c.before.replayed || !c.after.replayed) {
    const side = !c.before.replayed ? c.before : c.after;
    return `not replayed (${!c.before.replayed ? 'before' : 'after'}): ${side.reason}`;
  }
  const pages = c.after.pages === c.before.pages
    ? `this change would have paged ${plural(c.after.pages, 'time')}, as before,`
    : `this change would have paged ${plural(c.after.pages, 'time')} instead of ${c.before.pages}`;
  return `${pages} ${over} (tickets ${c.before.tickets} → ${c.after.tickets})`;
}

/** The comparison as Markdown lines, to follow the structural diff. */
export function replayDiffMarkdown(comparisons: readonly ReplayComparison[], run: ReplayRun, stack: string, unpaired: readonly string[] = []): string[] {
  const lines = ['', `## Replay on ${rangeText(run)}`, '',
    `Both policies' alarms of stack \`${stack}\` evaluated minute by minute on the same metrics, read in ${run.region} `
    + `(${plural(run.metrics, 'metric')}, ${plural(run.requests, 'GetMetricData request')}; metrics ${run.delayMinutes} min late).`];
  if (comparisons.length === 0) {
    lines.push('', 'No SLO of this stack is on both sides.');
  }
  for (const c of comparisons) {
    lines.push('', `- \`${c.service}/${c.slo}\`: ${comparisonSentence(c, run)}`);
    if (c.before.replayed && c.after.replayed) {
      lines.push(`  - pages before: ${times(c.before, 'page')}; after: ${times(c.after, 'page')}`);
      lines.push(`  - tickets before: ${times(c.before, 'ticket')}; after: ${times(c.after, 'ticket')}`);
      for (const note of [...new Set([...c.before.notes, ...c.after.notes])]) {
        lines.push(`  - note: ${note}`);
      }
    }
  }
  if (unpaired.length > 0) {
    lines.push('', `Not compared, on one side only: ${unpaired.map((u) => `\`${u.replace(/ \(/, '` (')}`).join(', ')}; \`cdk-reliability replay\` replays a policy alone.`);
  }
  if (run.notes.length > 0) {
    lines.push('', ...run.notes.map((n) => `Note: ${n}`));
  }
  lines.push('', 'Times are when the notification went out (UTC); see `cdk-reliability replay` for each alert\'s tiers and duration.');
  return lines;
}

/** The comparison as JSON, for `diff --json --replay`. */
export function replayDiffJson(comparisons: readonly ReplayComparison[], run: ReplayRun, stack: string, unpaired: readonly string[] = []) {
  return {
    stack,
    ...runJson(run),
    unpaired,
    slos: comparisons.map((c) => ({
      service: c.service,
      slo: c.slo,
      summary: comparisonSentence(c, run),
      before: sloReplayJson(c.before),
      after: sloReplayJson(c.after),
    })),
  };
}
