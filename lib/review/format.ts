/**
 * Review-specific figures of a reliability policy: `14.4x`, `$2.60`, `43 min/30 d`, and the two
 * styles the review writes its durations and percentages in. The formatters themselves are the
 * library's (`lib/private/format.ts`). Pure and deterministic (no locale, no clock).
 */
import { DERIVED, DurationFormat, formatDecimal, formatDuration } from '../private/format';

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

/** Windows and delays the user declared, to the second: `30 d`, `1 h 30 min`. */
export const AS_DECLARED: DurationFormat = { exact: true };

/** A burn rate: `14.4x`, `0.9333x`. */
export function formatBurnRate(burnRate: number): string {
  return `${formatDecimal(burnRate, DERIVED.significantDigits)}x`;
}

/** US dollars: `$2.60`. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

/** How many times larger `after` is than `before`: `5x`, `2.5x`, `1.11x` (3 significant digits). */
export function formatFactor(before: number, after: number): string {
  const factor = after >= before ? after / before : before / after;
  return `${formatDecimal(factor, 3)}x`;
}

/** The full outage an error budget allows over its window: `43 min/30 d` for 99.9 % over 30 days. */
export function formatOutageBudget(errorBudget: number, windowSeconds: number): string {
  return `${formatDuration(errorBudget * windowSeconds)}/${formatDuration(windowSeconds, AS_DECLARED)}`;
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
