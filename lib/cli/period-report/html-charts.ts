/**
 * The period report's charts, as inline SVG drawn here (no script, no external asset): an SLO's
 * budget burn-down, its daily attainment bars, and a service's timeline of pages, tickets and
 * experiment runs. Every chart shares the same x axis geometry, so charts stacked on the page line
 * up day for day. Colours come from the Okabe–Ito palette (distinguishable with the common colour
 * vision deficiencies) and never carry meaning alone: shapes, hatching and labels say it too.
 *
 * Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` that says in words what it
 * shows, `data-chart` naming its kind, and one element of class `mark` per datum (a day's budget,
 * a day's bar, an incident, a run), each with its own `<title>` (the tooltip, and what a screen
 * reader or a test counts).
 */
import type { BurnDownPoint, ExperimentRun, IncidentRecord, ReportPeriod, ServiceReport, SloPeriodReport } from './model';
import { verdictTally } from './summary';
import { attainmentText, budgetText, coord, dayLabel, dayText, durationText, esc, hourText, objectiveText, timeOf, timeText } from './html-format';
import { formatDecimal } from '../../private/format';

const WIDTH = 960;
const LEFT = 104;
const RIGHT = 64;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Colours (Okabe–Ito) and the patterns that repeat their meaning without colour. */
const BLUE = '#0072B2';
const VERMILLION = '#D55E00';
const GREEN = '#009E73';
const ORANGE = '#E69F00';
const GREY = '#6b6b6b';
const PURPLE = '#CC79A7';

/** The legends' swatches: symbols defined once with the patterns, each used by reference. */
const SWATCHES = {
  met: `<rect width="14" height="10" y="1" fill="${BLUE}"/>`,
  below: '<rect width="14" height="10" y="1" fill="url(#p-missed)"/>',
  gap: '<rect width="14" height="10" y="1" fill="url(#p-gap)" stroke="#bdbdbd"/>',
  budget: `<path d="M0 8L14 4" fill="none" stroke="${BLUE}" stroke-width="2"/><circle cx="7" cy="6" r="2.5" fill="${BLUE}"/>`,
  zero: `<path d="M0 6H14" stroke="${VERMILLION}" stroke-width="2" stroke-dasharray="4 2"/>`,
  objective: '<path d="M0 6H14" stroke="#222" stroke-width="1.5" stroke-dasharray="2 2"/>',
  pageAcknowledged: `<path d="M7 0l6 6l-6 6l-6 -6z" fill="${BLUE}"/>`,
  pageExhausted: `<path d="M7 0l6 6l-6 6l-6 -6zM4 3l6 6m0 -6l-6 6" fill="#fff" stroke="${VERMILLION}" stroke-width="1.8"/>`,
  pageUnanswered: `<path d="M7 0l6 6l-6 6l-6 -6z" fill="#fff" stroke="${GREY}" stroke-width="1.8"/>`,
  ticket: `<path d="M2 1h10v10h-10z" fill="${PURPLE}"/>`,
  passed: `<rect width="14" height="10" y="1" fill="${GREEN}"/>`,
  finding: '<rect width="14" height="10" y="1" fill="url(#p-finding)"/>',
  failed: '<rect width="14" height="10" y="1" fill="url(#p-failed)"/>',
  running: '<rect width="14" height="10" y="1" fill="url(#p-running)"/>',
  noVerdict: '<rect width="14" height="10" y="1" fill="url(#p-noverdict)"/>',
  worstDay: '<rect width="14" height="12" fill="#fff3b0" stroke="#e0c040"/>',
} as const;

/** A legend's swatch: a 14 × 12 picture of what a chart draws, by reference to its symbol. */
export function swatch(name: keyof typeof SWATCHES): string {
  return `<svg class="swatch" width="14" height="12" aria-hidden="true"><use href="#w-${name}"/></svg>`;
}

/**
 * The patterns every chart refers to, defined once per page in a zero-size SVG (not
 * `display: none`, which would stop Chromium painting them).
 */
export const CHART_DEFS = `<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>${[
  stripes('p-missed', VERMILLION, '#fff', 45, 2),
  stripes('p-finding', ORANGE, '#5c3d00', -45, 1.5),
  `<pattern id="p-failed" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="${VERMILLION}"/><path d="M0 0L6 6M6 0L0 6" stroke="#fff" stroke-width="1.2"/></pattern>`,
  `<pattern id="p-running" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#d9d9d9"/><circle cx="2.5" cy="2.5" r="1.2" fill="${GREY}"/></pattern>`,
  stripes('p-gap', '#f2f2f2', '#bdbdbd', 45, 1),
  `<pattern id="p-noverdict" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><path d="M0 3H6" stroke="${GREY}" stroke-width="1.5"/></pattern>`,
  ...Object.entries(SWATCHES).map(([name, body]) => `<symbol id="w-${name}" viewBox="0 0 14 12">${body}</symbol>`),
].join('')}</defs></svg>`;

function stripes(id: string, background: string, stripe: string, angle: number, width: number): string {
  return `<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(${angle})">`
    + `<rect width="6" height="6" fill="${background}"/><path d="M0 0V6" stroke="${stripe}" stroke-width="${width}"/></pattern>`;
}

/** The x axis of every chart: the report's period, [start, end). */
export class TimeAxis {
  public readonly start: number;
  public readonly end: number;

  public constructor(period: ReportPeriod) {
    const start = timeOf(period.start);
    const end = timeOf(period.end);
    this.start = Number.isFinite(start) ? start : 0;
    this.end = Number.isFinite(end) && end > this.start ? end : this.start + DAY;
  }

  /** The x of a time, clamped to the plot. */
  public x(ms: number): number {
    const fraction = (ms - this.start) / (this.end - this.start);
    return LEFT + Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)) * PLOT_WIDTH;
  }

  /** Ticks at whole hours, days or Mondays, at most 8, labelled `Nov 2` or `06:00`. */
  public ticks(): Array<{ x: number; label: string }> {
    const steps = [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];
    const span = this.end - this.start;
    const step = steps.find((s) => span / s <= 8) ?? 28 * DAY;
    const offset = step >= 7 * DAY ? 4 * DAY : 0; // weeks start on Monday; the epoch was a Thursday
    const ticks: Array<{ x: number; label: string }> = [];
    for (let t = Math.ceil((this.start - offset) / step) * step + offset; t <= this.end; t += step) {
      ticks.push({ x: this.x(t), label: step < DAY && t % DAY !== 0 ? hourText(t) : dayText(t) });
    }
    return ticks;
  }
}

/** One day of an SLO as the bars draw it. */
interface Day {
  readonly point: BurnDownPoint;
  readonly from: number;
  readonly to: number;
  /** The day's attainment; null without events. */
  readonly attainment: number | null;
}

function days(slo: SloPeriodReport, axis: TimeAxis): Day[] {
  return slo.burnDown.map((point) => {
    const to = timeOf(point.at);
    const dayStart = timeOf(`${point.day}T00:00:00Z`);
    const from = Math.max(axis.start, Number.isFinite(dayStart) ? dayStart : to - DAY);
    return { point, from, to, attainment: dayAttainment(point.bad, point.total) };
  });
}

/** 100 × (1 − bad / max(total, bad)), as the model defines attainment; null without events. */
export function dayAttainment(bad: number | null, total: number | null): number | null {
  if (bad === null || total === null || !Number.isFinite(bad) || !Number.isFinite(total)) {
    return null;
  }
  const events = Math.max(total, bad);
  return events > 0 ? 100 * (1 - bad / events) : null;
}

/** A step of 1, 2, 2.5 or 5 × 10^k that cuts `span` into about `parts` parts. */
function niceStep(span: number, parts: number): number {
  const raw = Math.max(span / parts, 1e-9);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw - 1e-12) ?? 10 * magnitude;
}

/** A linear y scale over [lo, hi] with ticks every `step`. */
class ValueAxis {
  public constructor(
    public readonly lo: number,
    public readonly hi: number,
    private readonly top: number,
    private readonly bottom: number,
    public readonly step: number,
  ) {}

  public y(value: number): number {
    const clamped = Math.min(this.hi, Math.max(this.lo, value));
    return this.top + ((this.hi - clamped) / (this.hi - this.lo)) * (this.bottom - this.top);
  }

  public ticks(): number[] {
    const ticks: number[] = [];
    for (let i = 0; this.lo + i * this.step <= this.hi + this.step / 1e6; i++) {
      ticks.push(Number(formatDecimal(this.lo + i * this.step, 9)));
    }
    return ticks;
  }

  /** Gridlines and their labels on the left. */
  public grid(): string {
    return this.ticks().map((t) => `<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${coord(this.y(t))}" y2="${coord(this.y(t))}"/>`
      + `<text class="tick" x="${LEFT - 6}" y="${coord(this.y(t) + 4)}" text-anchor="end">${formatDecimal(t, 9)} %</text>`).join('');
  }
}

/** The frame of a chart: the svg, its title and description, and the x axis along the bottom. */
function frame(kind: string, id: string, height: number, title: string, desc: string, axis: TimeAxis, body: string): string {
  const base = height - 22;
  const ticks = axis.ticks().map((t) => `<line class="axis" x1="${coord(t.x)}" x2="${coord(t.x)}" y1="${base}" y2="${base + 4}"/>`
    + `<text class="tick" x="${coord(t.x)}" y="${base + 16}" text-anchor="middle">${t.label}</text>`).join('');
  return `<svg class="chart" data-chart="${kind}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${id}-t ${id}-d">`
    + `<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>`
    + body
    + `<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${base}" y2="${base}"/>${ticks}</svg>`;
}

function noData(height: number, text: string): string {
  return `<text class="empty" x="${LEFT + PLOT_WIDTH / 2}" y="${coord((height - 22) / 2)}" text-anchor="middle">${esc(text)}</text>`;
}

/**
 * The budget burn-down: the SLO window's budget left at each day's end over the period, the 0 %
 * line (the objective just met) and the overspent region below it, one dot per day with data.
 */
export function burnDownChart(slo: SloPeriodReport, axis: TimeAxis, id: string): string {
  const height = 190;
  const points = slo.burnDown.map((p) => ({ p, x: axis.x(timeOf(p.at)), v: p.budgetRemainingPercent }));
  const known = points.filter((q): q is typeof q & { v: number } => q.v !== null && Number.isFinite(q.v));
  const title = `${slo.slo}: error budget left of the ${slo.window} window, day by day`;
  if (known.length === 0) {
    return frame('burn-down', id, height, title, 'No data: the budget is not known on any day of the period.', axis, noData(height, 'no data for the period'));
  }
  const values = known.map((q) => q.v);
  const low = Math.min(0, ...values);
  const high = Math.max(100, ...values);
  const step = niceStep(high - low, 4);
  const scale = new ValueAxis(Math.floor(low / step + 1e-9) * step, Math.ceil(high / step - 1e-9) * step, 10, height - 22, step);
  const zero = coord(scale.y(0));
  const overspent = scale.lo < 0
    ? `<rect class="overspent" x="${LEFT}" y="${zero}" width="${PLOT_WIDTH}" height="${coord(scale.y(scale.lo) - scale.y(0))}"/>`
      + `<text class="note" x="${LEFT + 6}" y="${coord(scale.y(scale.lo) - 6)}">overspent</text>`
    : '';
  const zeroLine = `<line class="zero" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${zero}" y2="${zero}"/>`
    + `<text class="note zero-label" x="${WIDTH - RIGHT - 4}" y="${coord(scale.y(0) - 5)}" text-anchor="end">0 % left: objective ${esc(objectiveText(slo.objectivePercent))} just met</text>`;
  const segments: string[] = [];
  let run: string[] = [];
  for (const q of points) {
    if (q.v === null || !Number.isFinite(q.v)) {
      segments.push(run.join(''));
      run = [];
    } else {
      run.push(`${run.length === 0 ? 'M' : 'L'}${coord(q.x)} ${coord(scale.y(q.v))}`);
    }
  }
  segments.push(run.join(''));
  const radius = points.length > 45 ? 1.8 : 3;
  const dots = known.map((q) => `<circle class="mark${q.v < 0 ? ' below' : ''}" cx="${coord(q.x)}" cy="${coord(scale.y(q.v))}" r="${radius}">`
    + `<title>${esc(`${dayLabel(q.p.day)}: ${budgetText(q.v)} left`)}</title></circle>`).join('');
  const last = known[known.length - 1];
  const end = `<text class="value" x="${coord(last.x + 6)}" y="${coord(scale.y(last.v) + 4)}">${esc(budgetText(last.v))}</text>`;
  const lowest = known.reduce((a, b) => (b.v < a.v ? b : a));
  const desc = `Budget left went from ${budgetText(known[0].v)} on ${dayLabel(known[0].p.day)} to ${budgetText(last.v)} on ${dayLabel(last.p.day)}; `
    + `lowest ${budgetText(lowest.v)} on ${dayLabel(lowest.p.day)}. Below 0 % the SLO window's budget is overspent.`
    + (known.length < points.length ? ` ${points.length - known.length} of ${points.length} days have no data.` : '');
  return frame('burn-down', id, height, title, desc, axis,
    scale.grid() + overspent + zeroLine + `<path class="line" d="${segments.filter((s) => s !== '').join('')}"/>` + dots + end);
}

/**
 * The daily attainment: one bar per day hanging from 100 % down to the day's attainment (the
 * longer, the more events failed), hatched where the day fell below the objective, the worst
 * days numbered; days without events drawn as a grey hatched slot. Days far below the objective
 * are clipped at the bottom, marked with an arrow and their value.
 */
export function attainmentChart(slo: SloPeriodReport, axis: TimeAxis, id: string): string {
  const height = 150;
  const list = days(slo, axis);
  const title = `${slo.slo}: attainment day by day against the objective ${objectiveText(slo.objectivePercent)}`;
  const known = list.filter((d): d is Day & { attainment: number } => d.attainment !== null);
  if (known.length === 0) {
    return frame('daily-attainment', id, height, title, 'No data: no day of the period counted an event.', axis, noData(height, 'no events in the period'));
  }
  const objective = slo.objectivePercent;
  const budget = objective < 100 && objective > 0 ? 100 - objective : 1;
  const worst = Math.min(...known.map((d) => d.attainment));
  const floor = Math.max(objective - 10 * budget, Math.min(objective - 2 * budget, worst));
  const step = niceStep(100 - floor, 4);
  const scale = new ValueAxis(Math.max(0, Math.floor(floor / step + 1e-9) * step), 100, 10, height - 22, step);
  const ranks = new Map(slo.worstDays.map((w, i) => [w.day, i + 1]));
  const top = scale.y(100);
  const bars = list.map((d) => {
    const x = d.from === d.to ? axis.x(d.to) - 2 : axis.x(d.from);
    const width = Math.max(1, (axis.x(d.to) - axis.x(d.from)) * 0.8);
    if (d.attainment === null) {
      const why = d.point.bad === 0 && d.point.total === 0 ? 'no traffic' : 'no data';
      return `<rect class="gap" x="${coord(x)}" y="${coord(top)}" width="${coord(width)}" height="${coord(scale.y(scale.lo) - top)}">`
        + `<title>${esc(`${dayLabel(d.point.day)}: ${why}`)}</title></rect>`;
    }
    const below = d.attainment < objective;
    const rank = ranks.get(d.point.day);
    const bottom = scale.y(d.attainment);
    const clipped = d.attainment < scale.lo;
    const label = `${dayLabel(d.point.day)}: ${attainmentText(d.attainment)}`
      + ` (${d.point.bad} bad of ${d.point.total})${below ? ', below the objective' : ''}${rank ? `, worst day #${rank}` : ''}`;
    const centre = x + width / 2;
    return `<rect class="mark bar${below ? ' below' : ''}${rank ? ' worst' : ''}" x="${coord(x)}" y="${coord(top)}" width="${coord(width)}" height="${coord(Math.max(1.5, bottom - top))}">`
      + `<title>${esc(label)}</title></rect>`
      + (clipped ? `<path class="clip" d="M${coord(centre - 4)} ${coord(bottom - 7)}h8l-4 6z"><title>${esc(`below ${formatDecimal(scale.lo, 9)} %: clipped`)}</title></path>` : '')
      + (rank ? `<text class="rank" x="${coord(centre)}" y="${coord(Math.min(bottom + 12, height - 25))}" text-anchor="middle">${rank}</text>` : '');
  }).join('');
  const objectiveY = coord(scale.y(objective));
  const objectiveLine = `<line class="objective" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${objectiveY}" y2="${objectiveY}"/>`
    + `<text class="note objective-label" x="${WIDTH - RIGHT + 4}" y="${coord(scale.y(objective) + 4)}">objective</text>`;
  const belowDays = known.filter((d) => d.attainment < objective);
  const worstDay = known.reduce((a, b) => (b.attainment < a.attainment ? b : a));
  const desc = `${known.length - belowDays.length} of ${known.length} days with events at or above the objective ${objectiveText(objective)}`
    + `; the worst, ${dayLabel(worstDay.point.day)}, at ${attainmentText(worstDay.attainment)}.`
    + (known.length < list.length ? ` ${list.length - known.length} days without events.` : '');
  return frame('daily-attainment', id, height, title, desc, axis, scale.grid() + bars + objectiveLine);
}

const LANE = 30;
const LANE_TOP = 8;

/**
 * A service's timeline over the period: a lane of pages (diamonds), one of tickets (squares), one
 * of experiment runs (bars from start to end, coloured and patterned by verdict); the SLOs' worst
 * days shaded behind, so a page or a run on a bad day stands out.
 */
export function timelineChart(service: ServiceReport, axis: TimeAxis, id: string): string {
  const height = LANE_TOP + 3 * LANE + 22;
  const { incidents, experiments } = service;
  const laneY = (lane: number) => LANE_TOP + lane * LANE + LANE / 2;
  const worstDays = [...new Set(service.slos.flatMap((s) => s.worstDays.map((w) => w.day)))];
  const bands = worstDays.map((day) => {
    const from = axis.x(timeOf(`${day}T00:00:00Z`));
    const to = axis.x(timeOf(`${day}T00:00:00Z`) + DAY);
    return to > from ? `<rect class="band" x="${coord(from)}" y="${LANE_TOP}" width="${coord(to - from)}" height="${3 * LANE}"><title>${esc(`${dayLabel(day)}: one of the worst days of an SLO`)}</title></rect>` : '';
  }).join('');
  const pages = incidents.incidents.filter((i) => i.severity === 'page');
  const tickets = incidents.incidents.filter((i) => i.severity === 'ticket');
  const lanes = [
    laneLabel(`pages (${incidents.available ? pages.length : '—'})`, laneY(0)),
    laneLabel(`tickets (${incidents.available ? tickets.length : '—'})`, laneY(1)),
    laneLabel(`experiments (${experiments.available ? experiments.runs.length : '—'})`, laneY(2)),
  ].join('') + [0, 1, 2].map((lane) => `<line class="lane" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${laneY(lane)}" y2="${laneY(lane)}"/>`).join('');
  const incidentMarks = incidents.available
    ? [...pages.map((i) => incidentMark(i, axis, laneY(0))), ...tickets.map((i) => incidentMark(i, axis, laneY(1)))].join('')
      + (pages.length === 0 ? laneNote('none', laneY(0)) : '') + (tickets.length === 0 ? laneNote('none', laneY(1)) : '')
    : laneNote(`not available: ${incidents.reason ?? 'no escalation policy'}`, laneY(0)) + laneNote('not available', laneY(1));
  const runMarks = experiments.available
    ? experiments.runs.map((r) => runMark(r, axis, laneY(2))).join('') + (experiments.runs.length === 0 ? laneNote('none', laneY(2)) : '')
    : laneNote(`not available: ${experiments.reason ?? 'no experiments'}`, laneY(2));
  const desc = [
    incidents.available
      ? `${pages.length} pages (${incidents.acknowledged} acknowledged, ${incidents.exhausted} exhausted) and ${tickets.length} tickets`
      : `incidents not available (${incidents.reason ?? 'no escalation policy'})`,
    experiments.available
      ? `${experiments.runs.length} experiment runs (${verdictTally(experiments).join(', ')})`
      : `experiments not available (${experiments.reason ?? 'none declared'})`,
  ].join('; ') + (worstDays.length > 0 ? `; shaded: the SLOs' worst days (${worstDays.map(dayLabel).join(', ')}).` : '.');
  return frame('timeline', id, height, `${service.service}: pages, tickets and experiment runs over the period`, desc, axis,
    bands + lanes + incidentMarks + runMarks);
}

function laneLabel(text: string, y: number): string {
  return `<text class="lane-label" x="${LEFT - 6}" y="${coord(y + 4)}" text-anchor="end">${esc(text)}</text>`;
}

function laneNote(text: string, y: number): string {
  return `<text class="note" x="${LEFT + 6}" y="${coord(y - 4)}">${esc(text)}</text>`;
}

function incidentMark(incident: IncidentRecord, axis: TimeAxis, y: number): string {
  const x = axis.x(timeOf(incident.openedAt));
  const resolved = timeOf(incident.resolvedAt);
  const span = Number.isFinite(resolved) && axis.x(resolved) - x >= 2
    ? `<line class="open-span" x1="${coord(x)}" x2="${coord(axis.x(resolved))}" y1="${y}" y2="${y}"/>` : '';
  const state = incident.acknowledgedAt !== undefined ? 'acknowledged' : incident.exhausted ? 'exhausted' : 'unanswered';
  const r = 6;
  const shape = incident.severity === 'page'
    ? `M${coord(x)} ${y - r}l${r} ${r}l${-r} ${r}l${-r} ${-r}z`
    : `M${coord(x - r + 1)} ${y - r + 1}h${2 * r - 2}v${2 * r - 2}h${-(2 * r - 2)}z`;
  const cross = state === 'exhausted' && incident.severity === 'page' ? `M${coord(x - 3)} ${y - 3}l6 6m0 -6l-6 6` : '';
  const answer = incident.acknowledgedAt !== undefined
    ? `acknowledged by ${incident.acknowledgedBy ?? 'someone'} after ${durationText(incident.secondsToAcknowledge)}`
    : incident.exhausted ? 'chain exhausted: nobody acknowledged' : 'not acknowledged';
  const label = `${incident.severity === 'page' ? 'Page' : 'Ticket'} ${incident.alarmName}${incident.slo ? ` (${incident.slo})` : ''}: opened ${timeText(incident.openedAt)}, `
    + `${answer}, level ${incident.highestLevel + 1} of ${incident.levels}${incident.resolvedAt ? `, resolved ${timeText(incident.resolvedAt)}` : ''}`;
  return `${span}<path class="mark incident ${incident.severity} ${state}" d="${shape}${cross}"><title>${esc(label)}</title></path>`;
}

const VERDICT_FILL: Record<ExperimentRun['verdict'], string> = {
  passed: GREEN,
  finding: 'url(#p-finding)',
  failed: 'url(#p-failed)',
  'stopped-by-person': 'url(#p-noverdict)',
  cancelled: 'url(#p-noverdict)',
  inconclusive: 'url(#p-noverdict)',
  running: 'url(#p-running)',
};

function runMark(run: ExperimentRun, axis: TimeAxis, y: number): string {
  const from = axis.x(timeOf(run.startedAt));
  const ended = timeOf(run.endedAt);
  const to = axis.x(Number.isFinite(ended) ? ended : axis.end);
  const width = Math.max(5, to - from);
  const label = `${run.experiment} (${run.scheduled ? 'scheduled game day' : 'started by a person'}): ${run.verdict}, FIS ${run.state}`
    + `${run.stopConditionFired ? ', a stop condition fired' : ''}; ${timeText(run.startedAt)} to ${run.endedAt ? timeText(run.endedAt) : 'still running'}`
    + (run.reason ? `; ${run.reason}` : '');
  const fill = VERDICT_FILL[run.verdict] ?? VERDICT_FILL.running;
  return `<rect class="mark run ${esc(run.verdict)}" x="${coord(Math.min(from, WIDTH - RIGHT - width))}" y="${y - 7}" width="${coord(width)}" height="14" fill="${fill}"><title>${esc(label)}</title></rect>`;
}
