/**
 * The period report as Markdown: the summary first (what a manager reads), then per service a
 * table of its SLOs, the worst days and what burned them, the burn-down (folded), the pages and
 * tickets, the experiments; the caveats and the API calls last. Pure: reads only `PeriodReport`.
 */
import { formatDecimal, formatDuration, formatPercent, joinAnd } from '../../private/format';
import type { Attainment, PeriodReport, ServiceReport, SloPeriodReport, WorstDay } from './model';
import { attainmentText, budgetBasis, verdictTally } from './summary';

/** A table cell: pipes escaped, line breaks and control characters flattened. */
function cell(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001F\u007F]+/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [row(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(row)];
}

function count(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

function attainment(a: Attainment): string {
  if (a.status === 'no-data') return 'no data';
  if (a.attainmentPercent === null) return 'no traffic';
  return attainmentText(a.attainmentPercent);
}

function budget(percent: number | null): string {
  return percent === null ? '–' : formatPercent(percent, { decimalsDown: 1 });
}

function time(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')}` : '–';
}

function sloRow(slo: SloPeriodReport): string[] {
  const alerts = slo.alerts.available ? [String(slo.alerts.pages), String(slo.alerts.tickets)] : ['?', '?'];
  return [
    slo.slo,
    formatPercent(slo.objectivePercent),
    attainment(slo.period),
    attainment(slo.slidingWindow),
    `${budget(slo.slidingWindow.budgetRemainingPercent)}${slo.slidingWindow.budgetBasisSeconds !== undefined
      ? ` (of ${budgetBasis(slo, slo.slidingWindow)})` : ''}`,
    slo.met === null ? '–' : slo.met ? 'yes' : '**no**',
    ...alerts,
  ];
}

function worstDay(slo: SloPeriodReport, day: WorstDay): string {
  const causes = day.causes.map((c) => (c.kind === 'metric'
    ? `${c.label} ${formatPercent(c.sharePercent ?? 0, { significantDigits: 3 })}`
    : `${c.kind} ${c.label}`));
  return `- ${day.day}: ${attainmentText(day.attainmentPercent)} (${count(day.bad)} of ${count(day.total)} ${slo.unit} bad, `
    + `${formatPercent(day.budgetSpentPercent, { significantDigits: 3 })} of a whole ${slo.window} window's budget)${causes.length ? ` — ${causes.join('; ')}` : ''}`;
}

function sloDetails(slo: SloPeriodReport): string[] {
  const lines: string[] = [];
  const notes = [slo.period.reason, slo.slidingWindow.reason !== slo.period.reason ? slo.slidingWindow.reason : undefined]
    .filter((r): r is string => r !== undefined);
  if (slo.period.missingFraction > 0 && slo.period.status !== 'no-data') {
    notes.push(`${formatPercent(100 * slo.period.missingFraction, { significantDigits: 2 })} of the period's hours have no datapoint`);
  }
  if (notes.length === 0 && slo.worstDays.length === 0 && slo.burnDown.every((p) => p.bad === null)) {
    return lines;
  }
  lines.push(`### ${slo.slo}`, '');
  for (const note of notes) {
    lines.push(`> ${note}`, '');
  }
  if (slo.worstDays.length) {
    lines.push('Worst days:', '', ...slo.worstDays.map((d) => worstDay(slo, d)), '');
  }
  if (slo.burnDown.some((p) => p.bad !== null)) {
    lines.push(`<details><summary>Burn-down: budget left of the ${slo.window} window at each day's end</summary>`, '',
      ...table(['day', 'budget left', 'bad', slo.unit], slo.burnDown.map((p) => [
        p.day, `${budget(p.budgetRemainingPercent)}${p.budgetBasisSeconds !== undefined ? ` (of ${budgetBasis(slo, p)})` : ''}`, p.bad === null ? '–' : count(p.bad), p.total === null ? '–' : count(p.total),
      ])), '', '</details>', '');
  }
  return lines;
}

/**
 * A section's heading and what limits it; `done` when that is all there is to say (not available,
 * or nothing in the period).
 */
function sectionHead(title: string, section: { available: boolean; reason?: string }, count: number, none: string): { lines: string[]; done: boolean } {
  const lines = [`### ${title}`, ''];
  if (!section.available) {
    return { lines: [...lines, `Not available: ${section.reason ?? 'unknown'}.`, ''], done: true };
  }
  if (section.reason) {
    lines.push(`> ${section.reason}`, '');
  }
  return count === 0 ? { lines: [...lines, none, ''], done: true } : { lines, done: false };
}

function incidents(service: ServiceReport): string[] {
  const section = service.incidents;
  const { lines, done } = sectionHead('Pages and tickets', section, section.incidents.length, 'None in the period.');
  if (done) {
    return lines;
  }
  const ack = section.medianSecondsToAcknowledge !== null
    ? `; time to acknowledge: median ${formatDuration(section.medianSecondsToAcknowledge)}, longest ${formatDuration(section.maxSecondsToAcknowledge ?? 0)}` : '';
  lines.push(`${section.pages} pages (${section.acknowledged} acknowledged, ${section.exhausted} exhausted), ${section.tickets} tickets${ack}.`, '');
  lines.push(...table(['opened (UTC)', 'alarm', 'severity', 'acknowledged', 'by', 'after', 'highest level', 'exhausted', 'resolved'],
    section.incidents.map((i) => [
      time(i.openedAt), i.alarmName, i.severity, time(i.acknowledgedAt), i.acknowledgedBy ?? '–',
      i.secondsToAcknowledge !== undefined ? formatDuration(i.secondsToAcknowledge) : '–',
      i.severity === 'page' ? `${i.highestLevel + 1} of ${i.levels}` : '–', i.exhausted ? '**yes**' : 'no', time(i.resolvedAt),
    ])), '');
  if (section.responders.length) {
    lines.push(`Responders: ${joinAnd(section.responders.map((r) => `${r.name} (${r.acknowledged})`))}.`, '');
  }
  return lines;
}

function experiments(service: ServiceReport): string[] {
  const section = service.experiments;
  if (section.available && section.runs.length === 0 && !section.reason) {
    return [];
  }
  const { lines, done } = sectionHead('Experiments', section, section.runs.length, 'No run in the period.');
  if (done) {
    return lines;
  }
  lines.push(`${verdictTally(section).join(', ')}.`, '');
  lines.push(...table(['started (UTC)', 'experiment', 'id', 'state', 'verdict', 'stop condition fired', 'started by'],
    section.runs.map((r) => [time(r.startedAt), r.experiment, r.id, r.state, r.verdict, r.stopConditionFired ? '**yes**' : 'no',
      r.scheduled ? 'game day' : 'a person'])), '');
  return lines;
}

function service(s: ServiceReport): string[] {
  return [
    `## ${s.service}`,
    '',
    `${s.summary}.`,
    '',
    ...table(['SLO', 'objective', 'period', 'SLO window', 'budget left', 'met', 'pages', 'tickets'], s.slos.map(sloRow)),
    '',
    ...s.slos.flatMap(sloDetails),
    ...incidents(s),
    ...experiments(s),
  ];
}

/** The report as Markdown. */
export function renderPeriodReportMarkdown(report: PeriodReport): string {
  const calls = Object.entries(report.apiCalls).map(([api, n]) => `${api} ${formatDecimal(n)}`);
  return [
    `# Reliability review: ${report.period.label}`,
    '',
    `${time(report.period.start)} to ${time(report.period.end)} UTC, ${report.region}, stacks ${joinAnd(report.stacks)}.`,
    '',
    ...report.summary.map((line) => `- ${line}`),
    '',
    ...report.services.flatMap(service),
    ...(report.caveats.length ? ['## Caveats', '', ...report.caveats.map((c) => `- ${c}`), ''] : []),
    `Generated ${time(report.generatedAt)} UTC by cdk-reliability review; API calls: ${calls.length ? calls.join(', ') : 'none'}.`,
    '',
  ].join('\n');
}
