/**
 * Validation rules for SLO props: pure functions that say what is wrong, or `undefined`.
 * Messages name the value received and what is allowed; the construct adds its path and the prop.
 */
import { Problem } from './tiers';
import { formatWindow, MINUTE_SECONDS } from './windows';

/** The objective is a percentage of good events, strictly between 0 and 100. */
export function objectiveProblem(objective: unknown): string | undefined {
  if (typeof objective !== 'number' || !Number.isFinite(objective) || objective <= 0 || objective >= 100) {
    return `must be a number > 0 and < 100 (percent of good events, e.g. 99.9), got ${describeInput(objective)}`;
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
    return `must be an https:// URL, got ${JSON.stringify(value)}`;
  }
  if (url.protocol !== 'https:') {
    return `must be an https:// URL, got ${JSON.stringify(value)}`;
  }
  if (value.length > 512) {
    return `must be at most 512 characters (it is repeated in every alarm description, which CloudWatch limits to 1024), got ${value.length}`;
  }
  return undefined;
}

/**
 * How a value received in a prop is shown in a message: numbers, booleans, `undefined` and `null`
 * as they are, the empty string as `""`, plain objects and arrays as (shortened) JSON, instances
 * of classes by their class — never `[object Object]`.
 */
export function describeInput(value: unknown): string {
  if (value === '') {
    return '""';
  }
  if (typeof value === 'function') {
    return 'a function';
  }
  if (typeof value !== 'object' || value === null) {
    return String(value);
  }
  const className = Object.getPrototypeOf(value)?.constructor?.name;
  if (className && className !== 'Object' && className !== 'Array') {
    return `a ${className}`;
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'an object';
  } catch {
    text = 'an object'; // circular
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** One error message for all problems: `<path>: <prop>: <message>`, a line each. */
export function formatProblems(where: string, problems: Problem[]): string {
  if (problems.length === 1) {
    return `${where}: ${problems[0].prop}: ${problems[0].message}`;
  }
  return `${where}: ${problems.length} problems:\n${problems.map((p) => `  - ${p.prop}: ${p.message}`).join('\n')}`;
}
