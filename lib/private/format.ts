/**
 * Numbers, durations and percentages as every part of the library writes them for people: the
 * review report and diff, the command line's output, error messages, chaos action descriptions.
 * One formatter each, so that a span reads the same in a diff, a plan and an error:
 *
 * - durations: `45 s`, `4 min 19 s`, `43 min`, `3 h 36 min`, `1 d 12 h` (or compact: `1h 30m`)
 * - percentages: `99.9 %`, `0.4667 %`
 * - decimals: `0.0000001`, never with an exponent
 *
 * Alarm names and tier ids use `formatWindow` (`lib/slo/windows.ts`) instead: a label that must
 * never change for a given window, not text for people.
 *
 * Pure, deterministic (no locale, no clock) and free of package imports, so the command line can
 * load it without aws-cdk-lib.
 */

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

/** Significant digits kept by default: enough for any figure a user declares, none of binary noise (0.1 + 0.2). */
const EXACT_DIGITS = 12;

/**
 * A number in plain decimal notation, never with an exponent (`1e-7` reads `0.0000001`),
 * rounded to `significantDigits` significant digits, which also drops binary noise
 * (`0.05 * 720 / 6` reads `6`). CloudWatch metric math and statistics such as `TC(:x)` do not
 * read exponents, so templates use this too.
 */
export function formatDecimal(value: number, significantDigits = EXACT_DIGITS): string {
  const rounded = value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(significantDigits));
  const text = String(rounded);
  if (!/e/i.test(text)) {
    return text;
  }
  if (Math.abs(rounded) >= 1e21) {
    // toFixed() itself switches to an exponent from 1e21 on; a whole number that large is exact as a BigInt
    return BigInt(rounded).toString();
  }
  const exponent = Math.floor(Math.log10(Math.abs(rounded)));
  const digits = Math.min(100, Math.max(0, significantDigits - 1 - exponent));
  return rounded.toFixed(digits).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** How a duration is written. */
export interface DurationFormat {
  /**
   * Units without spaces, for terminal columns and progress lines: `1h 30m`, `45s`, `2d 1h`.
   * @default false - `1 h 30 min`, `45 s`, `2 d 1 h`
   */
  readonly compact?: boolean;
  /**
   * Every unit down to the second (`1 h 1 min 1 s`), for what the user declared or the service
   * will do to the second (an FIS action, an expected run time). Fractions of a second are rounded.
   * @default false - rounded to the units that matter: seconds under 10 minutes, minutes under
   * a day, hours beyond (`4 min 19 s`, `43 min`, `3 h 36 min`, `1 d 12 h`)
   */
  readonly exact?: boolean;
}

/**
 * A span of time as people read it: `45 s`, `4 min 19 s`, `43 min`, `3 h 36 min`, `1 d 12 h`,
 * `30 d` (see `DurationFormat` for the compact and the exact forms); `never` for Infinity,
 * negative spans as zero.
 */
export function formatDuration(seconds: number, format: DurationFormat = {}): string {
  if (!Number.isFinite(seconds)) {
    return 'never';
  }
  const total = Math.round(Math.max(0, seconds));
  const parts = format.exact ? exactParts(total) : roundedParts(Math.max(0, seconds));
  const units = format.compact ? COMPACT_UNITS : LONG_UNITS;
  const shown = parts.filter(([count]) => count !== 0);
  return (shown.length ? shown : [[0, 's'] as Part]).map(([count, unit]) => `${count}${units[unit]}`).join(' ');
}

type Unit = 'd' | 'h' | 'min' | 's';
type Part = readonly [number, Unit];
const LONG_UNITS: Record<Unit, string> = { d: ' d', h: ' h', min: ' min', s: ' s' };
const COMPACT_UNITS: Record<Unit, string> = { d: 'd', h: 'h', min: 'm', s: 's' };

function exactParts(total: number): Part[] {
  return [
    [Math.floor(total / DAY), 'd'],
    [Math.floor((total % DAY) / HOUR), 'h'],
    [Math.floor((total % HOUR) / MINUTE), 'min'],
    [total % MINUTE, 's'],
  ];
}

/** Two units at most, the smaller rounded: precision where it matters, not `3 h 36 min 12 s`. */
function roundedParts(seconds: number): Part[] {
  const s = Math.round(seconds);
  if (s < 10 * MINUTE) {
    return [[Math.floor(s / MINUTE), 'min'], [s % MINUTE, 's']];
  }
  const minutes = Math.round(seconds / MINUTE);
  if (minutes < 60) {
    return [[minutes, 'min']];
  }
  if (minutes < 24 * 60) {
    return [[Math.floor(minutes / 60), 'h'], [minutes % 60, 'min']];
  }
  const hours = Math.round(seconds / HOUR);
  return [[Math.floor(hours / 24), 'd'], [hours % 24, 'h']];
}

/** How a percentage is written. */
export interface PercentFormat {
  /**
   * Significant digits kept, for derived figures whose exact value is noise (an error ratio of
   * `0.4667 %` rather than `0.466666666667 %`).
   * @default 12 - exact for anything a user declares (`99.999 %`), binary noise dropped
   */
  readonly significantDigits?: number;
  /**
   * Decimals kept, rounded DOWN, trailing zeros included: for measurements that must never read
   * better than they are (an SLI of 99.9996 % shown with 3 decimals is `99.999 %`, not `100.000 %`).
   * Takes precedence over `significantDigits`.
   * @default - significant digits, not fixed decimals
   */
  readonly decimalsDown?: number;
}

/** For figures derived from others (error ratios, burn rates), which need reading, not all their digits: `0.4667 %`. */
export const DERIVED: PercentFormat = { significantDigits: 4 };

/** A percentage (`99.9` for 99.9 %) as written: `99.9 %`, `0.1 %`, `-12.5 %`; never with an exponent. */
export function formatPercent(percent: number, format: PercentFormat = {}): string {
  if (format.decimalsDown !== undefined) {
    return `${floorFixed(percent, format.decimalsDown)} %`;
  }
  return `${formatDecimal(percent, format.significantDigits)} %`;
}

/** Rounds down to `digits` decimals, so that 99.9996 is not shown as 100 and -0.01 not as 0. */
function floorFixed(value: number, digits: number): string {
  const factor = 10 ** digits;
  const text = (Math.floor(value * factor + 1e-9) / factor).toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
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
