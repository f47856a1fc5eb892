import { Duration } from 'aws-cdk-lib';
import { describeValue, readList, readProperty } from '../private/describe';
import { readDuration } from '../private/duration-input';
import { Severity, TierInput } from './tiers';

/** Why a tier's windows must be concrete. */
const ALARM_PERIODS_FIXED = 'alarm periods are fixed at synth time';

/** One alert tier: fire when `budgetSpentPercent` of the error budget burns within `longWindow`. */
export interface AlertTier {
  /** Page (a human now) or ticket (working hours). */
  readonly severity: Severity;

  /**
   * Percent of the SLO's error budget that may be spent within the long window before the tier
   * fires (2 for 2 %). The burn-rate threshold is derived from it: budget x SLO window / long window.
   */
  readonly budgetSpentPercent: number;

  /** The window over which the budget spend is measured; a whole number of minutes, at most 7 days. */
  readonly longWindow: Duration;

  /**
   * The window that must also burn above the threshold; it makes the tier clear soon after the
   * errors stop. Must be shorter than the long window.
   * @default - one twelfth of the long window, rounded down to whole minutes
   */
  readonly shortWindow?: Duration;
}

/** Options for the Workbook's default policy. */
export interface WorkbookPolicyOptions {
  /**
   * Whether to include the two ticket tiers (10 % in 1 day, 10 % in 3 days).
   * @default true
   */
  readonly tickets?: boolean;
}

/**
 * Which tiers alert on an SLO. The default is the SRE Workbook's (ch. 5, table 5-8):
 *
 * | severity | budget spent | long window | short window | burn rate (30-day SLO) |
 * |---|---|---|---|---|
 * | page   | 2 %  | 1 h | 5 m  | 14.4 |
 * | page   | 5 %  | 6 h | 30 m | 6    |
 * | ticket | 10 % | 1 d | 2 h  | 3    |
 * | ticket | 10 % | 3 d | 6 h  | 1    |
 *
 * Burn rates are derived from the SLO window, never hard-coded.
 */
export class AlertPolicy {
  /**
   * The Workbook's four tiers, as a starting point for your own (`AlertPolicy.fromTiers([...])`).
   * The list and its tiers are frozen: copy them to change one.
   */
  public static readonly WORKBOOK_TIERS: AlertTier[] = Object.freeze([
    { severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.hours(1), shortWindow: Duration.minutes(5) },
    { severity: Severity.PAGE, budgetSpentPercent: 5, longWindow: Duration.hours(6), shortWindow: Duration.minutes(30) },
    { severity: Severity.TICKET, budgetSpentPercent: 10, longWindow: Duration.days(1), shortWindow: Duration.hours(2) },
    { severity: Severity.TICKET, budgetSpentPercent: 10, longWindow: Duration.days(3), shortWindow: Duration.hours(6) },
  ].map((tier) => Object.freeze(tier))) as AlertTier[];

  /** The Workbook's tiers: two page tiers and, unless turned off, two ticket tiers. */
  public static workbook(options: WorkbookPolicyOptions = {}): AlertPolicy {
    const read = readProperty(options, 'tickets');
    if (!read.ok) {
      throw new Error(`AlertPolicy.workbook(): tickets ${read.problem}`);
    }
    const tickets = read.value ?? true;
    if (typeof tickets !== 'boolean') {
      // Refused here rather than read as truthy: 'no' must not keep the ticket tiers.
      throw new Error(`AlertPolicy.workbook(): tickets must be true or false, got ${describeValue(tickets)}`);
    }
    return new AlertPolicy(AlertPolicy.WORKBOOK_TIERS.filter((t) => tickets || t.severity !== Severity.TICKET));
  }

  /**
   * Your own tiers. Each (severity, long window, short window) may appear once.
   *
   * ```ts
   * AlertPolicy.fromTiers([
   *   { severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.hours(1) },
   *   { severity: Severity.TICKET, budgetSpentPercent: 10, longWindow: Duration.days(1) },
   * ]);
   * ```
   */
  public static fromTiers(tiers: AlertTier[]): AlertPolicy {
    // A list whose reading throws (a Proxy) is reported by the SLO that uses the policy, with its path.
    const list = readList(tiers);
    return list.ok
      ? new AlertPolicy((list.value as AlertTier[] | undefined) ?? tiers)
      : new AlertPolicy(tiers, list.problem);
  }

  /** The tiers as declared; the SLO derives each one's burn-rate threshold from its own window. */
  public readonly tiers: AlertTier[];

  /**
   * @param tiers the tiers, copied when they are a list
   * @param _tiersProblem why the tiers could not be read, reported by the SLO that uses the policy
   */
  private constructor(tiers: AlertTier[], private readonly _tiersProblem?: string) {
    this.tiers = tiers;
  }

  /** @internal why the list of tiers could not be read (e.g. a Proxy whose traps throw), if so. */
  public _unreadableTiers(): string | undefined {
    return this._tiersProblem;
  }

  /**
   * @internal the tiers with windows in seconds, for the pure resolver; `undefined` when the
   * tiers are not a list. Entries that are not objects become tiers the resolver refuses.
   */
  public _toTierInputs(): TierInput[] | undefined {
    if (!Array.isArray(this.tiers)) {
      return undefined;
    }
    return this.tiers.map((t: unknown) => {
      // each field read once, guarded: a getter or Proxy trap that throws becomes the tier's problem
      const read = (key: keyof AlertTier) => readProperty(t, key);
      const fields = { severity: read('severity'), budgetSpentPercent: read('budgetSpentPercent'), longWindow: read('longWindow'), shortWindow: read('shortWindow') };
      const value = (k: keyof typeof fields) => {
        const r = fields[k];
        return r.ok ? r.value : undefined;
      };
      const failed = (Object.keys(fields) as (keyof typeof fields)[]).map((k) => [k, fields[k]] as const).find(([, r]) => !r.ok);
      const longWindow = readDuration(value('longWindow'), { example: 'Duration.hours(1)', concreteBecause: ALARM_PERIODS_FIXED });
      const shortWindow = value('shortWindow') === undefined ? undefined
        : readDuration(value('shortWindow'), { example: 'Duration.minutes(5)', concreteBecause: ALARM_PERIODS_FIXED });
      return {
        severity: value('severity') as Severity,
        budgetSpentPercent: value('budgetSpentPercent') as number,
        longWindowSeconds: longWindow.ok ? longWindow.seconds : NaN,
        shortWindowSeconds: shortWindow === undefined ? undefined : shortWindow.ok ? shortWindow.seconds : NaN,
        longWindowProblem: longWindow.ok ? undefined : longWindow.problem,
        shortWindowProblem: shortWindow === undefined || shortWindow.ok ? undefined : shortWindow.problem,
        unreadable: failed && !failed[1].ok ? failed[1].problem.replace(/^could not be read: reading it threw /, `could not be read: reading ${failed[0]} threw `) : undefined,
      };
    });
  }
}
