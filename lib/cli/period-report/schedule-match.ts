/**
 * Whether an experiment was started by its game-day schedule: EventBridge Scheduler starts it at a
 * time the schedule's expression names (retrying up to 15 minutes, `maximumEventAgeInSeconds`), a
 * person at any other time. FIS records no starter, so the start time is matched against the
 * expression in its time zone. Pure.
 *
 * Supported: `cron(minutes hours day-of-month month day-of-week year)` with `*`, `?`, numbers,
 * names (`JAN`, `TUE`), ranges, lists, steps (`0/15`) and `#n` (the n-th weekday of the month),
 * and `at(yyyy-mm-ddThh:mm:ss)`. `L`, `W` and `rate()` cannot be matched: such runs count as manual.
 */
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** How late after its time Scheduler may still start the experiment. */
export const SCHEDULE_TOLERANCE_MINUTES = 15;

interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** 1 = Sunday, as cron counts. */
  readonly weekday: number;
}

function localTime(ms: number, timeZone: string): LocalTime | undefined {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short', hourCycle: 'h23',
    }).formatToParts(new Date(ms));
  } catch {
    return undefined;
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')) % 24,
    minute: Number(get('minute')),
    weekday: DAYS.indexOf(get('weekday').toUpperCase().slice(0, 3)) + 1,
  };
}

function value(text: string, names: readonly string[], offset: number): number {
  const index = names.indexOf(text.toUpperCase());
  return index >= 0 ? index + offset : Number(text);
}

/** Whether `actual` matches one cron field; undefined when the field uses what cannot be matched. */
function fieldMatches(field: string, actual: number, names: readonly string[] = [], offset = 0, nth?: number): boolean | undefined {
  if (field === '*' || field === '?') {
    return true;
  }
  for (const part of field.split(',')) {
    if (/[LW]/i.test(part.replace(/[A-Z]{3}/gi, (m) => (names.includes(m.toUpperCase()) ? '' : m)))) {
      return undefined;
    }
    const [rangeText, stepText] = part.split('/');
    const [rangeOnly, nthText] = rangeText.split('#');
    const [lowText, highText] = rangeOnly.split('-');
    const low = rangeOnly === '*' ? -Infinity : value(lowText, names, offset);
    const high = highText !== undefined ? value(highText, names, offset) : stepText !== undefined || rangeOnly === '*' ? Infinity : low;
    const step = stepText !== undefined ? Number(stepText) : 1;
    if ([low, high, step].some((n) => Number.isNaN(n))) {
      return undefined;
    }
    const inRange = actual >= low && actual <= high && (step === 1 || (actual - (Number.isFinite(low) ? low : 0)) % step === 0);
    if (inRange && (nthText === undefined || Number(nthText) === nth)) {
      return true;
    }
  }
  return false;
}

/** Whether the expression names the minute `ms` in `timeZone`; undefined when it cannot be told. */
export function scheduleNames(expression: string, timeZone: string, ms: number): boolean | undefined {
  const local = localTime(ms, timeZone);
  if (!local) {
    return undefined;
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?\)$/.exec(expression.trim());
  if (at) {
    const [year, month, day, hour, minute] = at.slice(1).map(Number);
    return local.year === year && local.month === month && local.day === day && local.hour === hour && local.minute === minute;
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  const fields = cron?.[1].trim().split(/\s+/);
  if (!fields || fields.length !== 6) {
    return undefined;
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
  const checks = [
    fieldMatches(minutes, local.minute),
    fieldMatches(hours, local.hour),
    fieldMatches(dayOfMonth, local.day),
    fieldMatches(month, local.month, MONTHS, 1),
    fieldMatches(dayOfWeek, local.weekday, DAYS, 1, Math.floor((local.day - 1) / 7) + 1),
    fieldMatches(year, local.year),
  ];
  return checks.some((c) => c === undefined) ? undefined : checks.every(Boolean);
}

/** Started by the schedule: the expression names a minute at most 15 minutes before `startedAt`. */
export function startedBySchedule(expression: string, timeZone: string, startedAt: number): boolean {
  const minute = Math.floor(startedAt / 60_000) * 60_000;
  for (let back = 0; back <= SCHEDULE_TOLERANCE_MINUTES; back++) {
    if (scheduleNames(expression, timeZone, minute - back * 60_000) === true) {
      return true;
    }
  }
  return false;
}
