/**
 * Validation rules for SLO props: pure functions that say what is wrong, or `undefined`.
 * Messages name the value received and what is allowed; the construct adds its path and the prop.
 */
import { describeValue as describeInput, quote } from '../private/describe';
import { formatWindow, MINUTE_SECONDS } from './windows';
import { formatDecimal } from '../private/format';

/**
 * Objectives under this many percent are read as a fraction written by mistake (`0.999` for
 * 99.9 %). Such an SLO promises that fewer than 1 % of events are good: its error budget exceeds
 * 99 %, so even 100 % errors burn at most 1 / 0.99 = 1.01x, and no page tier of any policy (the
 * Workbook's burn at 14.4x and 6x) could fire; today it would synthesize with one warning per
 * tier left out. A genuinely low objective (50 %, 90 % for a best-effort batch) is 1 or more and
 * is accepted as before.
 */
export const FRACTION_OBJECTIVE_LIMIT = 1;

/** The objective is a percentage of good events, strictly between 0 and 100, and not a fraction. */
export function objectiveProblem(objective: unknown): string | undefined {
  if (typeof objective !== 'number' || !Number.isFinite(objective) || objective <= 0 || objective >= 100) {
    return `must be a number > 0 and < 100 (percent of good events, e.g. 99.9), got ${describeInput(objective)}`;
  }
  if (objective < FRACTION_OBJECTIVE_LIMIT) {
    const percent = objective * 100;
    const guess = percent >= FRACTION_OBJECTIVE_LIMIT ? `, did you mean ${formatDecimal(percent)}?` : '';
    return `is a percentage of good events (99.9 for 99.9 %), not a fraction: got ${describeInput(objective)}${guess} `
      + `(an objective under ${FRACTION_OBJECTIVE_LIMIT} % promises that fewer than 1 % of events are good, and no alert tier could ever fire)`;
  }
  return undefined;
}

/** The SLO window is a whole number of minutes, at least one hour. */
export function sloWindowProblem(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || seconds < 3_600 || seconds % MINUTE_SECONDS !== 0) {
    return `must be a whole number of minutes and at least 1 hour (typically 28 or 30 days), got ${Number.isFinite(seconds) ? formatWindow(seconds) : String(seconds)}`;
  }
  return undefined;
}

/**
 * The low-traffic guard is a positive whole number of events, at most 2^53 - 1: larger numbers are
 * written with an exponent (`1e+21`), which CloudWatch metric math does not read.
 */
export function minimumEventsProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    return `must be a whole number of events >= 1, got ${describeInput(value)}`;
  }
  if (value > Number.MAX_SAFE_INTEGER) {
    return `must be at most ${Number.MAX_SAFE_INTEGER} (larger numbers are written with an exponent, which CloudWatch metric math does not read), got ${describeInput(value)}`;
  }
  return undefined;
}

/** Runbook links must be absolute https URLs: they end up in pages read at 3 a.m. */
export function runbookUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return `must be an https:// URL, got ${describeInput(value)}`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be an https:// URL, got ${quote(value)}`;
  }
  if (url.protocol !== 'https:') {
    return `must be an https:// URL, got ${quote(value)}`;
  }
  // the URL parser silently drops tabs and line breaks, but the text given is what alarm descriptions repeat
  if (/[\s\p{Cc}]/u.test(value) || !isWellFormed(value)) {
    return `must be an https:// URL without spaces, line breaks or control characters (it is repeated in alarm descriptions and pages), got ${quote(value)}`;
  }
  if (value.length > 512) {
    return `must be at most 512 characters (it is repeated in every alarm description, which CloudWatch limits to 1024), got ${value.length}`;
  }
  return undefined;
}

/** Whether `value` is an object that is not a list (false for anything that throws when asked, e.g. a revoked proxy). */
export function isRecord(value: unknown): value is object {
  try {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** `value[key]`, or `undefined` when there is none or reading it throws (a throwing getter, a revoked proxy). */
export function safeMember(value: unknown, key: string): unknown {
  try {
    return (typeof value === 'object' || typeof value === 'function') && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `text` is well-formed UTF-16: no half of a surrogate pair on its own (`String.prototype.isWellFormed`, ES2024). */
export function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/**
 * Why `value` cannot be a one-line text shown to people (an owner, an SLI description), or
 * `undefined` when it can: a string, not empty, at most `maxLength` characters, without control
 * characters (line breaks included), surrounding spaces or broken surrogate pairs (CloudFormation
 * templates and CloudWatch need well-formed Unicode). Tokens are accepted as they are.
 */
export function textProblem(value: unknown, maxLength: number, isToken: (text: string) => boolean = () => false): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return `must be a non-empty string, got ${describeInput(value)}`;
  }
  if (isToken(value)) {
    return undefined;
  }
  if (value.length > maxLength) {
    return `must be at most ${maxLength} characters, got ${value.length}: ${quote(value)}`;
  }
  if (/\p{Cc}/u.test(value)) {
    return `must be one line without control characters (line breaks, tabs, escapes), got ${quote(value)}`;
  }
  if (!isWellFormed(value)) {
    return `must be well-formed Unicode (it holds half of a surrogate pair, which templates cannot carry), got ${quote(value)}`;
  }
  if (value !== value.trim()) {
    return `must not start or end with spaces, got ${quote(value)}`;
  }
  return undefined;
}

