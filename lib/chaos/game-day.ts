/**
 * When an experiment runs by itself: an EventBridge Scheduler schedule with a time zone. Pure
 * description plus validation; the experiment creates the schedule and its role.
 */
import { describeValue, readProperty } from '../private/describe';
import { Problem } from '../private/problems';

/** Days of the week; the values are EventBridge cron expressions' names. */
export enum WeekDay {
  /** Monday. */
  MONDAY = 'MON',
  /** Tuesday. */
  TUESDAY = 'TUE',
  /** Wednesday. */
  WEDNESDAY = 'WED',
  /** Thursday. */
  THURSDAY = 'THU',
  /** Friday. */
  FRIDAY = 'FRI',
  /** Saturday. */
  SATURDAY = 'SAT',
  /** Sunday. */
  SUNDAY = 'SUN',
}

const WEEK_DAYS: readonly string[] = Object.values(WeekDay);

/** Options of every game day. */
export interface GameDayOptions {
  /** IANA time zone the schedule is read in, e.g. `Europe/Berlin` (daylight saving time included). */
  readonly timeZone: string;
  /**
   * Whether the schedule is enabled. Declare it disabled to review it (and its role) first.
   * @default true
   */
  readonly enabled?: boolean;
}

/** Options of `GameDay.weekly`. */
export interface WeeklyGameDayOptions extends GameDayOptions {
  /** Day of the week, in `timeZone`. */
  readonly weekDay: WeekDay;
  /** Hour of the day, 0-23, in `timeZone`. */
  readonly hour: number;
  /**
   * Minute of the hour, 0-59.
   * @default 0
   */
  readonly minute?: number;
}

/** Options of `GameDay.cron`. */
export interface CronGameDayOptions extends GameDayOptions {
  /** An EventBridge Scheduler cron expression: `cron(0 10 ? * TUE#1 *)` (first Tuesday of the month). */
  readonly expression: string;
}

/** Options of `GameDay.once`. */
export interface OnceGameDayOptions extends GameDayOptions {
  /** Local date and time in `timeZone`, `YYYY-MM-DDThh:mm` or `YYYY-MM-DDThh:mm:ss`. */
  readonly at: string;
}

/** A schedule that starts an experiment. */
export class GameDay {
  /** Every week on `weekDay` at `hour:minute` in `timeZone`. */
  public static weekly(options: WeeklyGameDayOptions): GameDay {
    const read = readOptions(options, ['weekDay', 'hour', 'minute', 'timeZone', 'enabled']);
    if ('problem' in read) {
      return GameDay.unreadable(read.problem);
    }
    const { weekDay, hour } = read.values;
    const minute = read.values.minute ?? 0;
    const problems: Problem[] = [];
    if (!WEEK_DAYS.includes(weekDay as string)) {
      problems.push({ prop: 'gameDay.weekDay', message: `must be one of ${WEEK_DAYS.join(', ')}, got ${describeValue(weekDay)}` });
    }
    if (!Number.isInteger(hour) || (hour as number) < 0 || (hour as number) > 23) {
      problems.push({ prop: 'gameDay.hour', message: `must be a whole hour from 0 to 23, got ${describeValue(hour)}` });
    }
    if (!Number.isInteger(minute) || (minute as number) < 0 || (minute as number) > 59) {
      problems.push({ prop: 'gameDay.minute', message: `must be a whole minute from 0 to 59, got ${describeValue(minute)}` });
    }
    return new GameDay(`cron(${text(minute)} ${text(hour)} ? * ${text(weekDay)} *)`,
      `every ${text(weekDay)} at ${pad(hour)}:${pad(minute)} ${text(read.values.timeZone)}`, read.values, problems);
  }

  /** A cron expression of EventBridge Scheduler: `cron(minutes hours day-of-month month day-of-week year)`. */
  public static cron(options: CronGameDayOptions): GameDay {
    const read = readOptions(options, ['expression', 'timeZone', 'enabled']);
    if ('problem' in read) {
      return GameDay.unreadable(read.problem);
    }
    const problems: Problem[] = [];
    const expression = read.values.expression;
    const fields = typeof expression === 'string' ? /^cron\((.*)\)$/.exec(expression.trim())?.[1]?.trim().split(/\s+/) : undefined;
    const invalidField = fields?.length === 6 ? CRON_FIELDS.find((f, i) => !cronFieldIsValid(fields[i], f)) : undefined;
    if (!fields || fields.length !== 6) {
      problems.push({ prop: 'gameDay.expression', message: `must be cron(minutes hours day-of-month month day-of-week year), six fields, e.g. 'cron(0 10 ? * TUE#1 *)', got ${describeValue(expression)}` });
    } else if (fields[2] !== '?' && fields[4] !== '?') {
      problems.push({ prop: 'gameDay.expression', message: `must leave day-of-month or day-of-week as '?' (EventBridge cron rule), got ${describeValue(expression)}` });
    } else if (fields[2] === '?' && fields[4] === '?') {
      problems.push({ prop: 'gameDay.expression', message: `must set day-of-month or day-of-week; only the other may be '?' (EventBridge cron rule), got ${describeValue(expression)}` });
    } else if (invalidField) {
      problems.push({ prop: 'gameDay.expression', message: `has an invalid ${invalidField.name} field ${describeValue(fields[CRON_FIELDS.indexOf(invalidField)])} `
        + `(${invalidField.allowed}), got ${describeValue(expression)}` });
    } else if ((expression as string).trim().length > 256) {
      problems.push({ prop: 'gameDay.expression', message: `must be at most 256 characters (Scheduler's limit), got ${(expression as string).trim().length}` });
    } else if (fields[0] === '*' || fields[0].includes('/') || fields[1] === '*') {
      problems.push({ prop: 'gameDay.expression', message: `starts an experiment more than once an hour; a game day is a planned event, pick fixed minutes and hours, got ${describeValue(expression)}` });
    }
    // fields separated by single spaces, as Scheduler reads them
    const normalized = fields?.length === 6 ? `cron(${fields.join(' ')})` : typeof expression === 'string' ? expression.trim() : text(expression);
    return new GameDay(normalized, `${normalized} ${text(read.values.timeZone)}`, read.values, problems);
  }

  /** Once, at a local date and time in `timeZone`. */
  public static once(options: OnceGameDayOptions): GameDay {
    const read = readOptions(options, ['at', 'timeZone', 'enabled']);
    if ('problem' in read) {
      return GameDay.unreadable(read.problem);
    }
    const problems: Problem[] = [];
    const given = read.values.at;
    const match = typeof given === 'string' ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:[0-5]\d)?$/.exec(given) : null;
    if (!match || !isCalendarDate(match[1])) {
      problems.push({ prop: 'gameDay.at', message: `must be a local date and time YYYY-MM-DDThh:mm[:ss], e.g. '2026-12-01T10:00', got ${describeValue(given)}` });
    }
    const at = match ? `${match[1]}${match[2] ?? ':00'}` : text(given);
    return new GameDay(`at(${at})`, `once at ${at} ${text(read.values.timeZone)}`, read.values, problems);
  }

  /** A game day whose options could not be read (a getter or a Proxy threw). */
  private static unreadable(problem: string): GameDay {
    return new GameDay('cron(unreadable)', 'unreadable options', undefined, [{ prop: 'gameDay', message: problem }]);
  }

  /** Whether the schedule is enabled. */
  public readonly enabled: boolean;
  /** IANA time zone. */
  public readonly timeZone: string;

  private constructor(
    /** The Scheduler expression: `cron(...)` or `at(...)`. */
    public readonly expression: string,
    /** In words, for descriptions and the plan. */
    public readonly summary: string,
    options: Record<string, unknown> | undefined,
    private readonly own: Problem[],
  ) {
    this.enabled = (options?.enabled ?? true) as boolean;
    this.timeZone = options?.timeZone as string;
  }

  /** @internal What is wrong with this schedule. */
  public _problems(): Problem[] {
    const problems = [...this.own];
    if (problems.some((p) => p.prop === 'gameDay')) {
      return problems; // the options could not be read at all
    }
    if (!isTimeZone(this.timeZone)) {
      problems.push({ prop: 'gameDay.timeZone', message: `must be an IANA time zone such as 'Europe/Berlin' or 'UTC', got ${describeValue(this.timeZone)}` });
    }
    if (typeof this.enabled !== 'boolean') {
      problems.push({ prop: 'gameDay.enabled', message: `must be true or false, got ${describeValue(this.enabled)}` });
    }
    return problems;
  }
}

/** The six fields of an EventBridge Scheduler cron expression: their ranges, names and special values. */
const CRON_FIELDS: readonly { name: string; min: number; max: number; names?: readonly string[]; special?: RegExp; allowed: string }[] = [
  { name: 'minutes', min: 0, max: 59, allowed: '0-59 and , - * /' },
  { name: 'hours', min: 0, max: 23, allowed: '0-23 and , - * /' },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|([1-9]|[12]\d|3[01])W)$/, allowed: '1-31 and , - * ? / L W' },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], allowed: '1-12 or JAN-DEC and , - * /' },
  {
    name: 'day-of-week', min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
    special: /^(\?|L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(#[1-5]|L))$/, allowed: '1-7 or SUN-SAT and , - * ? L #',
  },
  { name: 'year', min: 1970, max: 2199, allowed: '1970-2199 and , - * /' },
];

/** Whether `field` is a valid cron field: comma-separated `*`, values, ranges, steps, or the field's special values. */
function cronFieldIsValid(field: string, spec: typeof CRON_FIELDS[number]): boolean {
  const value = (v: string) => (spec.names ?? []).includes(v) || (/^\d{1,4}$/.test(v) && Number(v) >= spec.min && Number(v) <= spec.max);
  const item = (i: string) => {
    if (spec.special?.test(i)) {
      return i !== '?' || field === '?';
    }
    const [base, step, extra] = i.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d{0,3}$/.test(step))) {
      return false;
    }
    const range = base.split('-');
    return base === '*' || (range.length <= 2 && range.every(value));
  };
  return field.split(',').every(item);
}

/** `2026-02-31T10:00` is not a date: Date would roll it over to March. */
function isCalendarDate(localDateTime: string): boolean {
  const parsed = new Date(`${localDateTime}:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(localDateTime);
}

function pad(n: unknown): string {
  return text(n).padStart(2, '0');
}

/** A value in an expression or summary: as is when a string or number, else described (only ever shown with a problem). */
function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : describeValue(value);
}

/** The options a factory reads, each read once; a problem when one cannot be read. */
function readOptions(options: unknown, keys: string[]): { values: Record<string, unknown> } | { problem: string } {
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    const read = readProperty(options, key);
    if (!read.ok) {
      return { problem: read.problem };
    }
    values[key] = read.value;
  }
  return { values };
}

/** IANA zone names Node knows (the same database EventBridge Scheduler uses), and UTC. */
function isTimeZone(zone: unknown): boolean {
  if (typeof zone !== 'string' || zone === '') {
    return false;
  }
  if (zone === 'UTC') {
    return true;
  }
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    // Intl accepts any letter case (europe/berlin), Scheduler the database's spelling; links (US/Pacific) resolve to another name
    const spelledAsTheDatabase = resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
    return spelledAsTheDatabase && zone.includes('/');
  } catch {
    return false;
  }
}
