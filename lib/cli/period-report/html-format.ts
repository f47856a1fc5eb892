/**
 * Text for the period report's HTML page: escaping and the numbers, times and percentages as the
 * page writes them. Every string that comes from a report (service, SLO, alarm and experiment
 * names come from pull requests, reasons from AWS) goes through `esc` before it reaches markup.
 * Pure: no clock, no locale.
 */
import { wellFormed } from '../../private/describe';
import { formatDecimal, formatDuration, formatPercent } from '../../private/format';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made safe for HTML and SVG, in element content and in double-quoted attributes alike:
 * the five markup characters as entities, control characters (but tab and newline) and lone
 * surrogates replaced, so a name can never open a tag, close an attribute or garble the page.
 */
export function esc(text: unknown): string {
  return wellFormed(String(text))
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** `—`, what a table cell shows for a value nobody knows (the model's `null`). */
export const UNKNOWN = '—';

function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * An attainment, rounded DOWN to 3 decimals so that it never reads better than it is
 * (99.9996 → `99.999 %`), trailing zeros dropped (`99.95 %`, `100 %`).
 */
export function attainmentText(percent: number | null | undefined): string {
  if (!finite(percent)) {
    return UNKNOWN;
  }
  return formatPercent(percent, { decimalsDown: 3 }).replace(/\.?0+ %$/, ' %');
}

/** A budget remaining, rounded down to one decimal (`42.1 %`, `-12.5 %`). */
export function budgetText(percent: number | null | undefined): string {
  if (!finite(percent)) {
    return UNKNOWN;
  }
  return formatPercent(percent, { decimalsDown: 1 }).replace(/\.0 %$/, ' %');
}

/** A declared percentage as written: `99.9 %`. */
export function objectiveText(percent: number): string {
  return finite(percent) ? formatPercent(percent) : UNKNOWN;
}

/** A count with thousands separators: `1,204,311`; `—` when unknown. */
export function countText(count: number | null | undefined): string {
  if (!finite(count)) {
    return UNKNOWN;
  }
  return formatDecimal(count, 15).replace(/^(-?\d+)/, (int) => int.replace(/\B(?=(\d{3})+$)/g, ','));
}

/** A span for people: `4 min 19 s`, `3 h 36 min`; `—` when unknown. */
export function durationText(seconds: number | null | undefined): string {
  return finite(seconds) ? formatDuration(seconds) : UNKNOWN;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Milliseconds since the epoch of an ISO time; NaN when it does not parse. */
export function timeOf(iso: string | undefined): number {
  return iso === undefined ? NaN : Date.parse(iso);
}

/** `2026-11-02 14:03 UTC`; `—` when absent or not a time. */
export function timeText(iso: string | undefined): string {
  const ms = timeOf(iso);
  return Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC` : UNKNOWN;
}

/** `Nov 2` (UTC). */
export function dayText(ms: number): string {
  const date = new Date(ms);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}`;
}

/** A day of the model (`2026-11-02`) as `Mon Nov 2`, or as given when it does not parse. */
export function dayLabel(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(ms)) {
    return day;
  }
  return `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(ms).getUTCDay()]} ${dayText(ms)}`;
}

/** `14:00` (UTC). */
export function hourText(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** A coordinate for SVG: one decimal, no exponent, never NaN. */
export function coord(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}
