/**
 * Numbers and durations of a reliability policy as people read them in a review: `43 min`,
 * `3 h 36 min`, `99.9 %`, `14.4x`, `$2.60`. Pure and deterministic (no locale, no clock).
 */

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

/** Rounds to `digits` significant digits and drops binary noise: 13.44, 0.9333, 5. */
export function significant(value: number, digits = 4): number {
  if (value === 0 || !Number.isFinite(value)) {
    return value;
  }
  return Number(value.toPrecision(digits));
}

/** A number in plain notation with at most `digits` significant digits (no exponent). */
export function formatNumber(value: number, digits = 4): string {
  const rounded = significant(value, digits);
  const text = String(rounded);
  if (!/e/i.test(text)) {
    return text;
  }
  return rounded.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * A span of time in the largest units that matter, rounded to the smaller one:
 * `26 s`, `4 min 19 s`, `43 min`, `3 h 36 min`, `1 d 12 h`, `30 d`; `never` for Infinity.
 */
export function formatSpan(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return 'never';
  }
  const s = Math.max(0, seconds);
  if (Math.round(s) < MINUTE) {
    return `${Math.round(s)} s`;
  }
  if (Math.round(s) < 10 * MINUTE) {
    const total = Math.round(s);
    const rest = total % MINUTE;
    return rest ? `${Math.floor(total / MINUTE)} min ${rest} s` : `${total / MINUTE} min`;
  }
  if (Math.round(s / MINUTE) < 60) {
    return `${Math.round(s / MINUTE)} min`;
  }
  if (Math.round(s / MINUTE) < 24 * 60) {
    const minutes = Math.round(s / MINUTE);
    const rest = minutes % 60;
    return rest ? `${Math.floor(minutes / 60)} h ${rest} min` : `${minutes / 60} h`;
  }
  const hours = Math.round(s / HOUR);
  const rest = hours % 24;
  return rest ? `${Math.floor(hours / 24)} d ${rest} h` : `${hours / 24} d`;
}

/**
 * A window as declared: exact in one unit when it is one (`30 d`, `6 h`, `5 min`, `90 min`),
 * else as a span.
 */
export function formatWindowSpan(seconds: number): string {
  if (seconds > 0 && seconds % DAY === 0) return `${seconds / DAY} d`;
  if (seconds > 0 && seconds % HOUR === 0) return `${seconds / HOUR} h`;
  if (seconds > 0 && seconds % MINUTE === 0) return `${seconds / MINUTE} min`;
  return formatSpan(seconds);
}

/** A percentage as written: `99.9 %`, `0.1 %`; at most `digits` significant digits. */
export function formatPercent(percent: number, digits = 4): string {
  return `${formatNumber(percent, digits)} %`;
}

/** A fraction as a percentage: 0.0144 → `1.44 %`. */
export function formatFraction(fraction: number, digits = 4): string {
  return formatPercent(fraction * 100, digits);
}

/** A burn rate: `14.4x`, `0.9333x`. */
export function formatBurnRate(burnRate: number): string {
  return `${formatNumber(burnRate)}x`;
}

/** US dollars: `$2.60`. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

/** How many times larger `after` is than `before`: `5x`, `2.5x`, `1.11x` (3 significant digits). */
export function formatFactor(before: number, after: number): string {
  const factor = after >= before ? after / before : before / after;
  return `${formatNumber(factor, 3)}x`;
}

/** The full outage an error budget allows over its window: `43 min/30 d` for 99.9 % over 30 days. */
export function formatOutageBudget(errorBudget: number, windowSeconds: number): string {
  return `${formatSpan(errorBudget * windowSeconds)}/${formatWindowSpan(windowSeconds)}`;
}

/**
 * Seconds of an ISO 8601 duration as FIS writes them (`PT10M`, `PT1H30M`, `PT45S`, `P1D`), or
 * undefined when the text is not one.
 */
export function parseIsoDuration(text: string): number | undefined {
  const match = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T')) {
    return undefined;
  }
  const [, d, h, m, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return d * DAY + h * HOUR + m * MINUTE + s;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `1 SLO`, `2 SLOs`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
