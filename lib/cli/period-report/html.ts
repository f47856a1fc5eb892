/**
 * The period report as ONE self-contained HTML page: the plain-language summary first (for a
 * reader who never opens a dashboard), then the SLO table, then per service its SLOs with their
 * charts (budget burn-down, daily attainment), a timeline of pages, tickets and experiment runs,
 * and the tables behind them; the caveats last. Charts are inline SVG drawn here: the page needs
 * no script and loads nothing, so it reads the same from a file, an archive or an email attachment,
 * and prints on A4/Letter.
 *
 * Safety: names come from pull requests and reasons from AWS, so every string of the report is
 * escaped (`esc`), and a Content-Security-Policy forbids every load (`default-src 'none'`) and
 * every script; the one style sheet is allowed by its hash.
 */
import { createHash } from 'crypto';
import { CHART_DEFS, TimeAxis, attainmentChart, burnDownChart, dayAttainment, swatch, timelineChart } from './html-charts';
import {
  UNKNOWN, attainmentText, budgetText, countText, dayLabel, durationText, esc, objectiveText, timeText,
} from './html-format';
import type {
  Attainment, ExperimentSection, IncidentSection, PeriodReport, ServiceReport, SloPeriodReport,
} from './model';
import { formatDuration, plural } from '../../private/format';
import { budgetBasis, sumVerdicts, verdictTally } from './summary';

const STYLE = `
:root{color-scheme:light;--ink:#1d1d1f;--muted:#5a5a5f;--line:#d8d8de;--soft:#f5f6f8;--bad:#b34700;--good:#00664a;--blue:#0072B2}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1080px;margin:0 auto;padding:24px 28px 40px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;padding-top:8px;border-top:2px solid var(--ink)}
h3{font-size:16px;margin:20px 0 6px}h4{font-size:14px;margin:12px 0 4px}
.meta,.muted{color:var(--muted)}.meta{margin:0 0 16px}
.summary{background:var(--soft);border-left:6px solid var(--blue);padding:14px 18px;margin:12px 0 8px}
.summary h2{border:0;margin:0;padding:0;font-size:13px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.summary ul{margin:6px 0 0;padding-left:20px;font-size:16px}.summary li{margin:3px 0}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.tile{flex:1 1 180px;border:1px solid var(--line);border-radius:6px;padding:8px 12px;background:#fff}
.tile b{display:block;font-size:22px}.tile span{color:var(--muted);font-size:13px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13px}
caption{text-align:left;font-weight:600;padding:4px 0;caption-side:top}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}tbody th{background:none}table.small{width:auto;min-width:320px}
.t{white-space:nowrap}code{font-size:12px}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:var(--good);font-weight:600}.bad{color:var(--bad);font-weight:600}.none{color:var(--muted)}
.notice{border:1px dashed var(--muted);padding:6px 10px;margin:6px 0;color:var(--muted)}.note{color:var(--muted);margin:2px 0 6px}
.slo{border:1px solid var(--line);border-radius:6px;padding:4px 14px 10px;margin:14px 0;break-inside:avoid;page-break-inside:avoid}
.slo h3{margin-top:10px}.facts{display:flex;flex-wrap:wrap;gap:4px 24px;margin:4px 0 8px;padding:0}
.facts div{min-width:150px}.facts dt{color:var(--muted);font-size:12px}.facts dd{margin:0;font-weight:600}
.chart{display:block;width:100%;height:auto;margin:2px 0}
.chart text{font-size:11px;fill:#333}.chart .tick{fill:#555}.chart .empty{font-size:14px;fill:var(--muted)}
.chart .grid{stroke:#e6e6ea}.chart .axis{stroke:#888}.chart .lane{stroke:#e0e0e6}
.chart .line{fill:none;stroke:#0072B2;stroke-width:2}.chart circle.mark{fill:#0072B2}.chart circle.below{fill:#D55E00}
.chart .zero{stroke:#D55E00;stroke-width:1.5;stroke-dasharray:6 3}.chart .overspent{fill:#fbe3d5}
.chart .objective{stroke:#222;stroke-width:1.2;stroke-dasharray:3 3}.chart .note{font-size:10.5px;fill:#444}
.chart .value{font-weight:700}.chart .zero-label{fill:#a64200}.chart .bar.worst{stroke:#222;stroke-width:1.2}
.chart .rank{font-weight:700;paint-order:stroke;stroke:#fff;stroke-width:3px}.chart .clip{fill:#222}
.chart .band{fill:#fff3b0}.chart .lane-label{font-size:11.5px;fill:#222}.chart .open-span{stroke:#999;stroke-width:2}
.chart .bar{fill:#0072B2}.chart .bar.below{fill:url(#p-missed)}.chart .gap{fill:url(#p-gap)}
.chart .incident.ticket{fill:#CC79A7}.chart .incident.page.acknowledged{fill:#0072B2}
.chart .incident.page.exhausted{fill:#fff;stroke:#D55E00;stroke-width:1.8}.chart .incident.page.unanswered{fill:#fff;stroke:#6b6b6b;stroke-width:1.8}
.chart .run{stroke:#333;stroke-width:.6}
.legend{font-size:12px;color:var(--muted);margin:0 0 8px;display:flex;flex-wrap:wrap;gap:2px 14px}
.gauge rect{fill:#e4e4e8}.gauge .left{fill:#0072B2}.gauge .low{fill:#D55E00}.gauge{vertical-align:0;margin-left:4px}
.tile.warn{border-color:#D55E00;border-width:2px}.chart-title{font-weight:600;font-size:13px;margin:10px 0 0}.swatch{vertical-align:-1px;margin-right:4px}.defs{position:absolute}
nav ul{columns:3;padding-left:20px;margin:4px 0}
footer{margin-top:28px;font-size:12px;color:var(--muted)}
@media print{@page{margin:14mm}main{max-width:none;padding:0}body{font-size:11pt}
h2{break-before:auto;break-after:avoid;page-break-after:avoid}nav{display:none}.summary{border-left-width:4px}
table,figure{break-inside:auto}tr{break-inside:avoid;page-break-inside:avoid}a{color:inherit;text-decoration:none}}
`;

/** The Content-Security-Policy of the page: nothing loads, nothing runs, only our style applies. */
export const PERIOD_REPORT_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; `
  + "img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'";

/** The report as one self-contained HTML page. */
export function renderPeriodReportHtml(report: PeriodReport): string {
  const axis = new TimeAxis(report.period);
  const title = `Reliability report, ${report.period.label}: ${timeText(report.period.start)} to ${timeText(report.period.end)}`;
  const services = report.services.map((service, i) => serviceSection(service, `s${i + 1}`, axis)).join('\n');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(PERIOD_REPORT_CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    CHART_DEFS,
    '<main>',
    '<header>',
    `<h1>Reliability report: the last ${esc(spelled(report.period.label))}</h1>`,
    `<p class="meta">${esc(timeText(report.period.start))} to ${esc(timeText(report.period.end))} · ${esc(report.region)} · `
      + `${esc(plural(report.stacks.length, 'stack'))}: ${report.stacks.map(esc).join(', ') || UNKNOWN} · generated ${esc(timeText(report.generatedAt))}</p>`,
    '</header>',
    summarySection(report),
    sloTable(report),
    report.services.length > 5 ? serviceNav(report) : '',
    report.services.length === 0 ? '<p class="notice">No service was found in these stacks: nothing to report.</p>' : services,
    caveatsSection(report),
    footer(report),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].filter((line) => line !== '').join('\n');
}

/** `30d` → `30 days`, `12h` → `12 hours`; other labels as given. */
function spelled(label: string): string {
  const match = /^(\d+)\s*([hdw])$/.exec(label);
  if (!match) {
    return label;
  }
  return plural(Number(match[1]), { h: 'hour', d: 'day', w: 'week' }[match[2] as 'h' | 'd' | 'w']);
}

function summarySection(report: PeriodReport): string {
  const slos = report.services.flatMap((s) => s.slos);
  const judged = slos.filter((s) => s.met !== null);
  const met = judged.filter((s) => s.met === true).length;
  const withIncidents = report.services.map((s) => s.incidents).filter((i) => i.available);
  const withExperiments = report.services.map((s) => s.experiments).filter((e) => e.available);
  const sum = <T>(list: readonly T[], f: (t: T) => number) => list.reduce((a, t) => a + f(t), 0);
  const pages = sum(withIncidents, (i) => i.pages);
  const acknowledged = sum(withIncidents, (i) => i.acknowledged);
  const exhausted = sum(withIncidents, (i) => i.exhausted);
  const runs = sum(withExperiments, (e) => e.runs.length);
  const tiles = [
    tile(judged.length > 0 ? `${met} of ${judged.length}` : UNKNOWN, `SLOs met${slos.length > judged.length ? ` (${slos.length - judged.length} without data)` : ''}`, met < judged.length),
    tile(withIncidents.length > 0 ? countText(pages) : UNKNOWN,
      withIncidents.length > 0 ? `pages: ${acknowledged} acknowledged, ${exhausted} exhausted` : 'pages: no incident records', exhausted > 0),
    tile(withIncidents.length > 0 ? countText(sum(withIncidents, (i) => i.tickets)) : UNKNOWN, 'tickets'),
    tile(withExperiments.length > 0 ? countText(runs) : UNKNOWN, withExperiments.length > 0
      ? `experiment runs: ${verdictTally(sumVerdicts(withExperiments)).join(', ')}`
      : 'experiment runs: no records', sum(withExperiments, (e) => e.failed + e.findings + e.inconclusive) > 0),
  ];
  const lines = report.summary.length > 0 ? report.summary : ['No summary: the report holds no service.'];
  return `<section class="summary" aria-labelledby="summary-h"><h2 id="summary-h">In short</h2>`
    + `<ul>${lines.map((line) => `<li>${esc(line)}</li>`).join('')}</ul></section>`
    + `<div class="tiles">${tiles.join('')}</div>`;
}

function tile(value: string, label: string, warn = false): string {
  return `<div class="tile${warn ? ' warn' : ''}"><b>${warn ? '⚠ ' : ''}${esc(value)}</b><span>${esc(label)}</span></div>`;
}

/** `✓ met`, `✗ missed`, or why it is not known, with a class for colour (never colour alone). */
function status(slo: SloPeriodReport): string {
  if (slo.met === true) {
    return '<span class="ok">✓ met</span>';
  }
  if (slo.met === false) {
    return '<span class="bad">✗ missed</span>';
  }
  return `<span class="none">${slo.period.status === 'no-traffic' ? '– no traffic' : '– no data'}</span>`;
}

function budgetCell(attainment: Attainment): string {
  const value = attainment.budgetRemainingPercent;
  if (value === null || !Number.isFinite(value)) {
    return `<td class="n none">${UNKNOWN}</td>`;
  }
  const width = Math.round(Math.min(100, Math.max(0, value)) * 0.6);
  const gauge = `<svg class="gauge" width="60" height="8" aria-hidden="true"><rect width="60" height="8"/><rect class="left${value < 25 ? ' low' : ''}" width="${width}" height="8"/></svg>`;
  const basis = attainment.budgetBasisSeconds !== undefined
    ? ` <span class="muted">(of the ${esc(formatDuration(attainment.budgetBasisSeconds, { compact: true }))} read)</span>` : '';
  return `<td class="n t${value < 0 ? ' bad' : ''}">${esc(budgetText(value))}${value < 0 ? ' overspent' : ''}${basis} ${gauge}</td>`;
}

function alertsCell(slo: SloPeriodReport): string {
  const a = slo.alerts;
  if (!a.available) {
    return `<td class="none">not available${a.reason ? `: ${esc(a.reason)}` : ''}</td>`;
  }
  return `<td class="t">${esc(`${plural(a.pages, 'page')}, ${plural(a.tickets, 'ticket')}`)}</td>`;
}

function sloTable(report: PeriodReport): string {
  const rows = report.services.flatMap((service, i) => service.slos.map((slo, j) => '<tr>'
    + `<th scope="row"><a href="#s${i + 1}">${esc(service.service)}</a></th><td><a href="#s${i + 1}-${j + 1}">${esc(slo.slo)}</a></td>`
    + `<td class="n">${esc(objectiveText(slo.objectivePercent))}</td>`
    + `<td class="n">${esc(attainmentText(slo.period.attainmentPercent))}</td>`
    + `<td class="n">${esc(attainmentText(slo.slidingWindow.attainmentPercent))} <span class="muted">(${esc(slo.window)})</span></td>`
    + budgetCell(slo.slidingWindow)
    + `<td class="t">${status(slo)}</td>`
    + alertsCell(slo)
    + '</tr>'));
  if (rows.length === 0) {
    return '';
  }
  return '<table class="slos"><caption>Service level objectives over the period</caption><thead><tr>'
    + '<th scope="col">service</th><th scope="col">SLO</th><th scope="col" class="n">objective</th>'
    + '<th scope="col" class="n">attainment, period</th><th scope="col" class="n">attainment, SLO window</th>'
    + '<th scope="col" class="n">budget left, SLO window</th><th scope="col">period</th><th scope="col">alerts</th>'
    + `</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function serviceNav(report: PeriodReport): string {
  return `<nav aria-label="services"><h2>Services</h2><ul>${report.services
    .map((s, i) => `<li><a href="#s${i + 1}">${esc(s.service)}</a></li>`).join('')}</ul></nav>`;
}

function serviceSection(service: ServiceReport, id: string, axis: TimeAxis): string {
  return `<section class="service" id="${id}" aria-labelledby="${id}-h">`
    + `<h2 id="${id}-h">${esc(service.service)} <small class="muted">${esc(service.stack)}</small></h2>`
    + `<p>${esc(service.summary)}</p>`
    + (service.slos.length === 0 ? '<p class="notice">This service declares no SLO.</p>' : '')
    + service.slos.map((slo, j) => sloArticle(slo, `${id}-${j + 1}`, axis)).join('')
    + `<h3>Pages, tickets and experiments</h3>`
    + timelineChart(service, axis, `${id}-tl`)
    + `<p class="legend">${swatch('pageAcknowledged')}page acknowledged ${swatch('pageExhausted')}page exhausted (nobody answered) `
    + `${swatch('pageUnanswered')}page not acknowledged ${swatch('ticket')}ticket ${swatch('passed')}passed ${swatch('finding')}finding `
    + `${swatch('failed')}failed to run ${swatch('noVerdict')}no verdict (stopped by a person, cancelled, inconclusive) ${swatch('running')}running `
    + `${swatch('worstDay')}an SLO's worst day</p>`
    + incidentTables(service.incidents)
    + experimentTable(service.experiments)
    + '</section>';
}

function sloArticle(slo: SloPeriodReport, id: string, axis: TimeAxis): string {
  const facts: Array<[string, string]> = [
    ['attainment, period', `${attainmentText(slo.period.attainmentPercent)}`],
    [`attainment, ${slo.window} window`, attainmentText(slo.slidingWindow.attainmentPercent)],
    [`budget left, ${budgetBasis(slo, slo.slidingWindow).replace(/^the /, '')}`, budgetText(slo.slidingWindow.budgetRemainingPercent)],
    [`${slo.unit}, period`, slo.period.total === null ? UNKNOWN : `${countText(slo.period.bad)} bad of ${countText(slo.period.total)}`],
  ];
  const sameRange = slo.period.start === slo.slidingWindow.start && slo.period.end === slo.slidingWindow.end;
  const notes = (sameRange ? [slo.period] : [slo.period, slo.slidingWindow]).flatMap((a, i) => {
    const what = sameRange ? `the period (= the ${slo.window} window)` : i === 0 ? 'the period' : `the ${slo.window} window`;
    return [
      ...(a.reason ? [`${what}: ${a.reason}`] : []),
      ...(a.missingFraction > 0 ? [`${what}: no datapoint for ${Math.round(a.missingFraction * 1000) / 10} % of it`] : []),
    ];
  });
  return `<article class="slo" id="${id}" aria-labelledby="${id}-h">`
    + `<h3 id="${id}-h">${esc(slo.slo)}: ${esc(objectiveText(slo.objectivePercent))} of ${esc(slo.unit)} over ${esc(slo.window)} · ${status(slo)}</h3>`
    + `<dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`
    + notes.map((note) => `<p class="note">⚠ ${esc(note)}</p>`).join('')
    + `<p class="chart-title">Error budget left of the ${esc(slo.window)} window, at the end of each day</p>`
    + burnDownChart(slo, axis, `${id}-bd`)
    + `<p class="legend">${swatch('budget')}error budget left of the ${esc(slo.window)} window at each day's end`
    + `${slo.slidingWindow.budgetBasisSeconds !== undefined ? ' (of the part CloudWatch still keeps)' : ''} ${swatch('zero')}0 %: budget spent, objective just met</p>`
    + `<p class="chart-title">Attainment day by day</p>`
    + attainmentChart(slo, axis, `${id}-at`)
    + `<p class="legend">bars hang from 100 %: the longer, the more ${esc(slo.unit)} failed that day · ${swatch('met')}at or above the objective `
    + `${swatch('below')}below the objective ${swatch('gap')}no events ${swatch('objective')}objective · 1, 2, 3: the worst days</p>`
    + worstDaysTable(slo)
    + '</article>';
}

function worstDaysTable(slo: SloPeriodReport): string {
  if (slo.worstDays.length === 0) {
    return `<p class="muted">No day of the period spent budget${slo.met === null ? ' that the data shows' : ''}.</p>`;
  }
  const rows = slo.worstDays.map((w, i) => '<tr>'
    + `<td class="n">${i + 1}</td><th scope="row" class="t">${esc(dayLabel(w.day))}</th>`
    + `<td class="n">${esc(attainmentText(w.attainmentPercent))}</td>`
    + `<td class="n t">${esc(countText(w.bad))} of ${esc(countText(w.total))}</td>`
    + `<td class="n">${esc(budgetText(w.budgetSpentPercent))}</td>`
    + `<td>${w.causes.length === 0 ? '<span class="none">not known</span>' : w.causes.map((c) => esc(
      c.kind === 'metric' ? `${c.label}${c.sharePercent !== undefined ? ` ${Math.round(c.sharePercent)} %` : ''}` : `${c.kind} ${c.label}`)).join('; ')}</td>`
    + '</tr>');
  return `<table class="worst"><caption>The worst days of ${esc(slo.slo)}</caption><thead><tr><th scope="col" class="n">#</th><th scope="col">day</th>`
    + `<th scope="col" class="n">attainment</th><th scope="col" class="n">bad ${esc(slo.unit)}</th>`
    + `<th scope="col" class="n">budget spent, of a whole ${esc(slo.window)} window</th><th scope="col">what burned it</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function unavailable(what: string, reason: string | undefined): string {
  return `<p class="notice">${esc(what)} not available: ${esc(reason ?? 'no reason given')}</p>`;
}

function incidentTables(section: IncidentSection): string {
  if (!section.available) {
    return unavailable('Pages and tickets', section.reason);
  }
  const headline = `<p>${esc(plural(section.pages, 'page'))}, ${esc(plural(section.tickets, 'ticket'))}; `
    + `${section.acknowledged} of ${section.pages} pages acknowledged`
    + (section.acknowledged > 0 ? ` (median ${esc(durationText(section.medianSecondsToAcknowledge))}, slowest ${esc(durationText(section.maxSecondsToAcknowledge))})` : '')
    + `${section.exhausted > 0 ? `; <span class="bad">${section.exhausted} exhausted the chain</span>` : ''}.</p>`;
  if (section.incidents.length === 0) {
    return headline;
  }
  const rows = section.incidents.map((i) => {
    const outcome = i.acknowledgedAt !== undefined
      ? `<span class="ok">✓ ${esc(i.acknowledgedBy ?? 'acknowledged')}</span> after ${esc(durationText(i.secondsToAcknowledge))}`
      : i.exhausted ? '<span class="bad">✗ exhausted: nobody answered</span>'
        : `<span class="none">${i.severity === 'ticket' ? '– ticket' : '– not acknowledged'}</span>`;
    return '<tr>'
      + `<td class="t">${esc(timeText(i.openedAt))}</td><td>${i.severity === 'page' ? 'page' : 'ticket'}</td>`
      + `<td><code>${esc(i.alarmName)}</code></td><td>${i.slo === undefined ? UNKNOWN : esc(i.slo)}</td>`
      + `<td>${outcome}</td><td class="n">${i.highestLevel + 1} of ${i.levels}</td>`
      + `<td class="t">${i.resolvedAt === undefined ? '<span class="none">open at the end</span>' : esc(timeText(i.resolvedAt))}</td></tr>`;
  });
  const responders = section.responders.length === 0 ? '' : `<table class="responders small"><caption>Who answered</caption>`
    + '<thead><tr><th scope="col">responder</th><th scope="col" class="n">pages acknowledged</th></tr></thead><tbody>'
    + section.responders.map((r) => `<tr><th scope="row">${esc(r.name)}</th><td class="n">${esc(countText(r.acknowledged))}</td></tr>`).join('')
    + '</tbody></table>';
  return headline
    + '<table class="incidents"><caption>Pages and tickets</caption><thead><tr><th scope="col">opened</th><th scope="col">severity</th>'
    + '<th scope="col">alarm</th><th scope="col">SLO</th><th scope="col">acknowledged</th><th scope="col" class="n">highest level</th>'
    + `<th scope="col">resolved</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    + responders;
}

const VERDICT_TEXT: Record<string, string> = {
  passed: '<span class="ok">✓ passed</span>',
  finding: '<span class="bad">! finding</span>',
  failed: '<span class="bad">✗ failed to run</span>',
  'stopped-by-person': '<span class="none">■ stopped by a person</span>',
  cancelled: '<span class="none">– cancelled</span>',
  inconclusive: '<span class="bad">? inconclusive</span>',
  running: '<span class="none">… running</span>',
};

function experimentTable(section: ExperimentSection): string {
  if (!section.available) {
    return unavailable('Experiments', section.reason);
  }
  if (section.runs.length === 0) {
    return '<p>No experiment ran in the period.</p>';
  }
  const rows = section.runs.map((r) => {
    const ended = Date.parse(r.endedAt ?? '');
    const took = Number.isFinite(ended) ? durationText((ended - Date.parse(r.startedAt)) / 1000) : 'still running';
    return '<tr>'
      + `<td class="t">${esc(timeText(r.startedAt))}</td><td class="t"><code>${esc(r.experiment)}</code></td><td>${r.scheduled ? 'game day' : 'by hand'}</td>`
      + `<td class="t">${esc(took)}</td><td>${esc(r.state)}</td><td>${r.stopConditionFired ? '<span class="bad">fired</span>' : 'no'}</td>`
      + `<td class="t">${VERDICT_TEXT[r.verdict] ?? esc(r.verdict)}</td><td>${r.reason === undefined ? '' : esc(r.reason)}</td></tr>`;
  });
  return `<p>${esc(plural(section.runs.length, 'experiment run'))}: ${esc(verdictTally(section).join(', '))}.</p>`
    + '<table class="experiments"><caption>Experiment runs</caption><thead><tr><th scope="col">started</th><th scope="col">experiment</th>'
    + '<th scope="col">started by</th><th scope="col">took</th><th scope="col">FIS state</th><th scope="col">stop condition</th>'
    + `<th scope="col">verdict</th><th scope="col">reason</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function caveatsSection(report: PeriodReport): string {
  const withData = report.services.flatMap((s) => s.slos).flatMap((s) => s.burnDown)
    .filter((p) => dayAttainment(p.bad, p.total) !== null).length;
  const caveats = [
    ...report.caveats,
    ...(report.services.length > 0 && withData === 0 ? ['No SLO has data for any day of the period: check the region and the stacks read.'] : []),
  ];
  return '<section aria-labelledby="caveats-h"><h2 id="caveats-h">Caveats</h2>'
    + (caveats.length === 0 ? '<p>None: every source was read in full.</p>' : `<ul>${caveats.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`)
    + '</section>';
}

function footer(report: PeriodReport): string {
  const calls = Object.entries(report.apiCalls);
  return '<footer>'
    + (calls.length === 0 ? '' : `<table class="api small"><caption>AWS API calls made for this report</caption><thead><tr><th scope="col">API</th>`
      + `<th scope="col" class="n">calls</th></tr></thead><tbody>${calls.map(([api, n]) => `<tr><td><code>${esc(api)}</code></td>`
        + `<td class="n">${esc(countText(n))}</td></tr>`).join('')}</tbody></table>`)
    + `<p>Made by <code>cdk-reliability review --since ${esc(report.period.label)}</code> at ${esc(timeText(report.generatedAt))} `
    + `from the live data of ${esc(report.region)} (report schema ${esc(report.schemaVersion)}). Times are UTC.</p>`
    + '</footer>';
}
