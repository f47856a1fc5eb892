/**
 * The plain-language summary: one sentence per service a manager can read without a dashboard
 * ("checkout kept 99.95 % against 99.9 %; 2 pages, both acknowledged within 4 min; the game day
 * passed 4 of 4"), and the report's opening sentence. Honest about what is missing: a service
 * without data says so rather than reading as healthy. Pure.
 */
import { formatDuration, formatPercent, joinAnd, plural } from '../../private/format';
import type { Attainment, ExperimentSection, IncidentSection, ReportPeriod, ServiceReport, SloPeriodReport } from './model';

/** An attainment as the summary writes it: rounded down, so it never reads better than it is. */
export function attainmentText(percent: number): string {
  if (percent >= 100) {
    return formatPercent(100);
  }
  return formatPercent(percent, { decimalsDown: percent >= 99.99 || percent < 90 ? 3 : 2 });
}

/** `availability 99.96 % against 99.9 %`, or `99.96 % against 99.9 %` for a service's only SLO. */
function figure(slo: SloPeriodReport, named: boolean): string {
  // a period can be met while the SLO window's budget, which the alarms protect, is already spent
  const budget = slo.slidingWindow.budgetRemainingPercent;
  const basis = slo.slidingWindow.budgetBasisSeconds !== undefined ? `, of ${budgetBasis(slo, slo.slidingWindow)}` : '';
  const overspent = budget !== null && budget < 0 ? ` (its ${slo.window} budget overspent: ${formatPercent(budget)}${basis})` : '';
  return `${named ? `${slo.slo} ` : ''}${attainmentText(slo.period.attainmentPercent!)} against ${formatPercent(slo.objectivePercent)}${overspent}`;
}

function slosPart(slos: readonly SloPeriodReport[]): string {
  const named = slos.length > 1;
  const known = slos.filter((s) => s.period.attainmentPercent !== null);
  const kept = known.filter((s) => s.met);
  const missed = known.filter((s) => !s.met);
  const parts = [
    ...(kept.length ? [`kept ${joinAnd(kept.map((s) => figure(s, named)))}`] : []),
    ...(missed.length ? [`missed ${joinAnd(missed.map((s) => figure(s, named)))}`] : []),
    ...slos.filter((s) => s.period.attainmentPercent === null)
      .map((s) => `${named ? `${s.slo}: ` : ''}${s.period.status === 'no-data' ? 'no data' : 'no traffic'}`),
  ];
  return parts.join(', ');
}

function within(seconds: number): string {
  return formatDuration(Math.max(60, Math.ceil(seconds / 60) * 60));
}

/**
 * Pages of a service whose incidents could not be read: the page alarms' transitions from alarm
 * history when every SLO's history was read, else `undefined` (not known). Never 0 by default: a
 * source that could not be read must not read as a quiet period.
 */
export function pageAlarmsOf(slos: readonly SloPeriodReport[]): number | undefined {
  return slos.every((s) => s.alerts.available) ? slos.reduce((n, s) => n + s.alerts.pages, 0) : undefined;
}

function unknownIncidentsPart(section: IncidentSection, slos: readonly SloPeriodReport[]): string {
  const reason = section.reason ? `: ${section.reason}` : '';
  const alarms = pageAlarmsOf(slos);
  return alarms === undefined
    ? `pages not known${reason}`
    : `${plural(alarms, 'page alarm')} from alarm history (who answered not known${reason})`;
}

function incidentsPart(section: IncidentSection, slos: readonly SloPeriodReport[]): string | undefined {
  if (!section.available) {
    return unknownIncidentsPart(section, slos);
  }
  const parts: string[] = [];
  if (section.pages === 0) {
    parts.push('no pages');
  } else {
    const all = section.acknowledged === section.pages;
    const max = section.maxSecondsToAcknowledge;
    let text = plural(section.pages, 'page');
    if (all && max !== null) {
      text += `, ${section.pages === 1 ? '' : section.pages === 2 ? 'both ' : 'all '}acknowledged within ${within(max)}`;
    } else if (section.acknowledged > 0 && max !== null) {
      text += `, ${section.acknowledged} acknowledged (within ${within(max)})`;
    } else {
      text += ', none acknowledged';
    }
    if (section.exhausted > 0) {
      text += `, ${section.exhausted} reached nobody (chain exhausted)`;
    }
    parts.push(text);
  }
  if (section.tickets > 0) {
    parts.push(plural(section.tickets, 'ticket'));
  }
  return parts.join(', ');
}

/**
 * What an SLO window's budget left is measured against: `the 30d window`, or `the 15d read of the
 * 30d window` when CloudWatch keeps less of it (`Attainment.budgetBasisSeconds`).
 */
export function budgetBasis(slo: Pick<SloPeriodReport, 'window'>, attainment: Pick<Attainment, 'budgetBasisSeconds'>): string {
  return attainment.budgetBasisSeconds !== undefined
    ? `the ${formatDuration(attainment.budgetBasisSeconds, { compact: true })} read of the ${slo.window} window`
    : `the ${slo.window} window`;
}

/** The counts of finished runs by verdict. */
export type VerdictCounts = Pick<ExperimentSection, 'passed' | 'findings' | 'failed' | 'stoppedByPerson' | 'cancelled' | 'inconclusive'>;

/** The verdicts other than passed, as words, those with no run left out: `1 finding`, `2 failed to run`, `1 stopped by a person`. */
function otherVerdicts(counts: VerdictCounts): string[] {
  return [
    ...(counts.findings > 0 ? [plural(counts.findings, 'finding')] : []),
    ...(counts.failed > 0 ? [`${counts.failed} failed to run`] : []),
    ...(counts.stoppedByPerson > 0 ? [`${counts.stoppedByPerson} stopped by a person`] : []),
    ...(counts.cancelled > 0 ? [`${counts.cancelled} cancelled`] : []),
    ...(counts.inconclusive > 0 ? [`${counts.inconclusive} inconclusive`] : []),
  ];
}

/**
 * The runs by verdict for a table's caption or a figure: `4 passed, 1 with a finding, 0 failed to
 * run`, then `1 stopped by a person`, `1 cancelled`, `1 inconclusive` when there are any.
 */
export function verdictTally(counts: VerdictCounts): string[] {
  return [
    `${counts.passed} passed`,
    `${counts.findings} with a finding`,
    `${counts.failed} failed to run`,
    ...(counts.stoppedByPerson > 0 ? [`${counts.stoppedByPerson} stopped by a person`] : []),
    ...(counts.cancelled > 0 ? [`${counts.cancelled} cancelled`] : []),
    ...(counts.inconclusive > 0 ? [`${counts.inconclusive} inconclusive`] : []),
  ];
}

/** The counts of several sections added up. */
export function sumVerdicts(sections: readonly VerdictCounts[]): VerdictCounts {
  const sum = (key: keyof VerdictCounts) => sections.reduce((n, s) => n + s[key], 0);
  return {
    passed: sum('passed'), findings: sum('findings'), failed: sum('failed'),
    stoppedByPerson: sum('stoppedByPerson'), cancelled: sum('cancelled'), inconclusive: sum('inconclusive'),
  };
}

function experimentsPart(section: ExperimentSection): string | undefined {
  if (!section.available || section.runs.length === 0) {
    return undefined;
  }
  const done = section.runs.filter((r) => r.verdict !== 'running');
  const scheduled = done.every((r) => r.scheduled);
  const subject = scheduled ? 'the game day' : 'experiments';
  const others = otherVerdicts(section);
  const detail = others.length > 0 ? ` (${others.join(', ')})` : '';
  return done.length > 0 ? `${subject} passed ${section.passed} of ${done.length}${detail}` : `${plural(section.runs.length, 'experiment')} running`;
}

/** The sentence of one service. */
export function serviceSummary(report: Omit<ServiceReport, 'summary'>): string {
  if (report.slos.length > 0 && report.slos.every((s) => s.period.status === 'no-data')) {
    const reason = report.slos[0].period.reason;
    return `${report.service}: no data for the period${reason ? ` — ${reason}` : ''}`;
  }
  const parts = [
    `${report.service} ${slosPart(report.slos)}`,
    incidentsPart(report.incidents, report.slos),
    experimentsPart(report.experiments),
  ].filter((p): p is string => p !== undefined);
  return parts.join('; ');
}

/** The report's sentences: the period and its verdict, then each service's. */
export function reportSummary(period: ReportPeriod, services: readonly ServiceReport[]): string[] {
  const slos = services.flatMap((s) => s.slos);
  const met = slos.filter((s) => s.met === true).length;
  const missed = slos.filter((s) => s.met === false).length;
  const unknown = slos.length - met - missed;
  // a service whose incidents could not be read counts its page alarms from alarm history, or makes the total unknown
  const counted = services.map((s) => (s.incidents.available ? s.incidents.pages : pageAlarmsOf(s.slos)));
  const pages = counted.reduce<number>((n, c) => n + (c ?? 0), 0);
  const unknownPages = services.filter((_, i) => counted[i] === undefined).map((s) => s.service);
  const verdict = [
    `${met} of ${plural(slos.length, 'SLO')} met`,
    ...(missed ? [`${missed} missed`] : []),
    ...(unknown ? [`${unknown} without data`] : []),
  ];
  const head = `Over ${period.label} (${period.start.slice(0, 10)} to ${period.end.slice(0, 10)}), ${joinAnd(verdict)}; `
    + (unknownPages.length === 0 ? `${plural(pages, 'page')} in all.`
      : `${plural(pages, 'page')} counted, pages of ${joinAnd(unknownPages)} not known.`);
  return [head, ...services.map((s) => s.summary)];
}
