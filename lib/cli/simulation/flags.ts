/**
 * The values `simulate` reads from its flags: error rates (`2%`, `0.02`), durations (`90s`, `45m`,
 * `2h`, `1d`, `1h30m`), traffic (`1000/min`, `50/s`, `3600/h`) and minute counts. Each parser
 * throws a `UsageError` naming the flag, the value and the forms it accepts. Pure.
 */
import { UsageError } from '../errors';
import { spanSeconds } from '../span';

const COMMAND = 'simulate';

/** The longest simulation: 7 days, the longest window CloudWatch evaluates. */
export const MAX_SIMULATION_MINUTES = 7 * 1_440;

const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;

/** `2%` or `0.02` (a fraction from 0 to 1) as a fraction. */
export function parseErrorRate(flag: string, value: string): number {
  const text = value.trim();
  const percent = new RegExp(`^(${NUMBER})\\s*%$`).exec(text);
  const fraction = new RegExp(`^${NUMBER}$`).test(text) ? Number(text) : undefined;
  const allowed = `a percentage from 0% to 100% (2%) or a fraction from 0 to 1 (0.02)`;
  if (/^-/.test(text)) {
    throw new UsageError(`--${flag} must not be negative; got '${value}': give ${allowed}`, COMMAND);
  }
  if (percent) {
    const ratio = Number(percent[1]) / 100;
    if (ratio > 1) {
      throw new UsageError(`--${flag} must be at most 100%; got '${value}'`, COMMAND);
    }
    return ratio;
  }
  if (fraction !== undefined) {
    if (fraction > 1) {
      throw new UsageError(`--${flag} must be a fraction from 0 to 1 or a percentage; got '${value}' (did you mean ${text}%?)`, COMMAND);
    }
    return fraction;
  }
  throw new UsageError(`--${flag} must be ${allowed}; got '${value}'`, COMMAND);
}

/** `90s`, `45m`, `2h`, `1d`, `1h30m`, `1.5h` as minutes (fractions of a minute kept); more than 0. */
export function parseDuration(flag: string, value: string): number {
  const allowed = 'a duration such as 90s, 45m, 2h, 1d or 1h30m';
  const seconds = spanSeconds(value, 'smhd', true);
  if (seconds === undefined) {
    throw new UsageError(`--${flag} must be ${allowed}; got '${value}'`, COMMAND);
  }
  if (!(seconds > 0)) {
    throw new UsageError(`--${flag} must be longer than 0; got '${value}'`, COMMAND);
  }
  const minutes = seconds / 60;
  if (minutes > MAX_SIMULATION_MINUTES) {
    throw new UsageError(`--${flag} must be at most 7d (the longest simulation); got '${value}'`, COMMAND);
  }
  return minutes;
}

const PER: Record<string, number> = {
  s: 60, sec: 60, second: 60,
  m: 1, min: 1, minute: 1,
  h: 1 / 60, hr: 1 / 60, hour: 1 / 60,
  d: 1 / 1_440, day: 1 / 1_440,
};

/** `1000/min`, `50/s`, `3600/h`, `20000/d` as events per minute; `0` (no traffic) needs no unit. */
export function parseTraffic(flag: string, value: string): number {
  const text = value.trim().toLowerCase();
  const allowed = 'events per unit of time, such as 1000/min, 50/s or 3600/h (0 for no traffic)';
  if (/^-/.test(text)) {
    throw new UsageError(`--${flag} must not be negative; got '${value}': give ${allowed}`, COMMAND);
  }
  if (new RegExp(`^0*\\.?0*$`).test(text) && text !== '' && text !== '.') {
    return 0;
  }
  const m = new RegExp(`^(${NUMBER})\\s*/\\s*([a-z]+)$`).exec(text);
  // a plural is the singular's unit (`mins`, `hours`); `ms` is not minutes
  const unit = m ? (PER[m[2]] ?? (m[2].length > 2 && m[2].endsWith('s') ? PER[m[2].slice(0, -1)] : undefined)) : undefined;
  if (!m || unit === undefined) {
    throw new UsageError(`--${flag} must be ${allowed}; got '${value}'`, COMMAND);
  }
  return Number(m[1]) * unit;
}

/** The longest ingestion delay `--delay` takes: an hour (AWS service metrics arrive within minutes). */
export const MAX_DELAY_MINUTES = 60;

/** `2`, `0`, `3m`, `3min`: a whole number of minutes from 0 to an hour. */
export function parseDelay(flag: string, value: string): number {
  const m = /^(\d+)\s*(m|min|mins|minutes?)?$/i.exec(value.trim());
  const minutes = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(minutes)) {
    throw new UsageError(`--${flag} must be a whole number of minutes from 0 to ${MAX_DELAY_MINUTES} (2, 0 or 3m); got '${value}'`, COMMAND);
  }
  if (minutes > MAX_DELAY_MINUTES) {
    throw new UsageError(`--${flag} must be at most ${MAX_DELAY_MINUTES} minutes; got '${value}'`, COMMAND);
  }
  return minutes;
}

/** A whole number of minutes from 1 to 7 days. */
export function parseMinutes(flag: string, value: string): number {
  const text = value.trim();
  const minutes = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(minutes) || minutes < 1) {
    throw new UsageError(`--${flag} must be a whole number of minutes, at least 1; got '${value}'`, COMMAND);
  }
  if (minutes > MAX_SIMULATION_MINUTES) {
    throw new UsageError(`--${flag} must be at most ${MAX_SIMULATION_MINUTES} (7 days); got '${value}'`, COMMAND);
  }
  return minutes;
}

/**
 * A time-slice metric's value (`900`, `0.5`), 0 or more: the simulator feeds metrics as CloudWatch
 * publishes them; with `allowMissing`, `missing` (undefined: the metric publishes nothing).
 */
export function parseMetricValue(flag: string, value: string, allowMissing = false): number | undefined {
  const text = value.trim().toLowerCase();
  if (allowMissing && text === 'missing') {
    return undefined;
  }
  if (!new RegExp(`^${NUMBER}$`).test(text)) {
    throw new UsageError(`--${flag} must be a number of 0 or more${allowMissing ? ' or `missing` (the metric publishes nothing)' : ''}; got '${value}'`, COMMAND);
  }
  return Number(text);
}
