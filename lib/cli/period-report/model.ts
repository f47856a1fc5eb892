/**
 * What `review --since` reports: per service and SLO, what the period's live data says about the
 * reliability policy — attainment and error budget, pages and tickets, experiments run — and a
 * plain-language summary. Pure types: the JSON output is this structure (`schemaVersion` 1), the
 * Markdown and HTML renderers read only this structure.
 *
 * Conventions: times are ISO 8601 UTC strings; durations are seconds; percentages are 0–100
 * (`99.95`), fractions are named `...Fraction`; `null` means "not known" (no data), never 0.
 * A section that could not be read carries `available: false` and a `reason` a person can act on,
 * so a report never looks healthy because a source was missing.
 */

/** The version of this structure; bumped on any incompatible change. */
export const PERIOD_REPORT_SCHEMA_VERSION = 1;

/** The whole report. */
export interface PeriodReport {
  readonly schemaVersion: typeof PERIOD_REPORT_SCHEMA_VERSION;
  /** When the report was made. */
  readonly generatedAt: string;
  /**
   * The period reported on: [start, end), end is the report's "now" aligned down to the minute
   * (`review` aligns both ends down to the hour, as it reads 1-hour metric sums).
   */
  readonly period: ReportPeriod;
  /** The AWS Region read. */
  readonly region: string;
  /** The CloudFormation stack names read, as in the cloud assembly. */
  readonly stacks: readonly string[];
  /**
   * The plain-language summary, one sentence per line, for a reader who never opens a dashboard
   * (e.g. "checkout kept 99.95 % against 99.9 %; 2 pages, both acknowledged within 4 minutes").
   */
  readonly summary: readonly string[];
  readonly services: readonly ServiceReport[];
  /** What limits the report as a whole (retention, missing permissions, partial data). */
  readonly caveats: readonly string[];
  /** The AWS API calls the report made, per API (e.g. `cloudwatch:GetMetricData` → 3). */
  readonly apiCalls: Readonly<Record<string, number>>;
}

/** The period reported on. */
export interface ReportPeriod {
  readonly start: string;
  readonly end: string;
  readonly seconds: number;
  /** As asked, e.g. `30d`. */
  readonly label: string;
}

/** One service (a `ReliableService`). */
export interface ServiceReport {
  readonly service: string;
  /** The CloudFormation stack that holds it. */
  readonly stack: string;
  /** One sentence on the service (the same words the report's summary uses). */
  readonly summary: string;
  readonly slos: readonly SloPeriodReport[];
  readonly incidents: IncidentSection;
  readonly experiments: ExperimentSection;
}

/** How an SLO's data reads (as `budget` reports it). */
export type ReportDataStatus =
  /** Events (or slices) were counted: attainment and budget are known. */
  | 'ok'
  /** The metrics have datapoints but no event happened: attainment unknown, budget unchanged. */
  | 'no-traffic'
  /** No datapoint at all, or the SLO could not be read: nothing known. */
  | 'no-data';

/** Attainment over one range. */
export interface Attainment {
  readonly start: string;
  readonly end: string;
  readonly status: ReportDataStatus;
  /** Why there is no data, or what limits it. @default - nothing to explain */
  readonly reason?: string;
  /**
   * Bad and total events over the range (ratio SLIs), or bad and total slices (time-slice SLIs);
   * null without data.
   */
  readonly bad: number | null;
  readonly total: number | null;
  /** 100 × (1 − bad / max(total, bad)); null without events. */
  readonly attainmentPercent: number | null;
  /**
   * Error budget left at the end of the range, as a percent of the budget of an SLO window:
   * 100 × (1 − (bad / max(total, bad)) / (1 − objective)); negative when overspent; null without data.
   */
  readonly budgetRemainingPercent: number | null;
  /**
   * The span, in seconds, whose events `budgetRemainingPercent` is measured against, when it is
   * shorter than the range: the part CloudWatch still keeps (a 1-minute-slice SLO's 30-day window
   * read over 15 days: its budget left is that of the 15 days read, not of a whole window).
   * @default - the whole range
   */
  readonly budgetBasisSeconds?: number;
  /** Part of the range with no datapoint, as a fraction of the range (0: complete). */
  readonly missingFraction: number;
}

/** One SLO of a service over the period. */
export interface SloPeriodReport {
  readonly slo: string;
  /** `ratio` (good events / all events) or `time-slice` (good slices / all slices). */
  readonly kind: 'ratio' | 'time-slice';
  /** The unit counted: `requests`, `invocations`, `messages`, `1-minute slices`... */
  readonly unit: string;
  /** Percent, e.g. 99.9. */
  readonly objectivePercent: number;
  /** The SLO window, e.g. `30d`, and its seconds. */
  readonly window: string;
  readonly windowSeconds: number;
  /** Over the report's period. */
  readonly period: Attainment;
  /** Over the SLO window ending at the period's end (the budget the alarms protect). */
  readonly slidingWindow: Attainment;
  /** Met over the period: attainment ≥ objective; null without data. */
  readonly met: boolean | null;
  /**
   * The budget over the period, one point per day (UTC) at the day's end: the SLO window's
   * budget remaining at that moment, and that day's own bad and total.
   */
  readonly burnDown: readonly BurnDownPoint[];
  /** The days that spent the most budget (at most 3, worst first; days with no bad event are left out). */
  readonly worstDays: readonly WorstDay[];
  /** The alarms of this SLO that went to ALARM in the period (from alarm history), by severity. */
  readonly alerts: AlertCounts;
}

/** One day of a burn-down. */
export interface BurnDownPoint {
  /** `2026-11-02` (UTC). */
  readonly day: string;
  /** The end of the day (or the period's end for the last, partial day). */
  readonly at: string;
  /** Budget remaining of the SLO window ending at `at`; null without data. */
  readonly budgetRemainingPercent: number | null;
  /**
   * What `budgetRemainingPercent` is measured against (seconds), when the window is clipped to the
   * data CloudWatch keeps (`Attainment.budgetBasisSeconds`). @default - the whole SLO window
   */
  readonly budgetBasisSeconds?: number;
  readonly bad: number | null;
  readonly total: number | null;
}

/** A day that spent budget, and what burned it. */
export interface WorstDay {
  readonly day: string;
  readonly bad: number;
  readonly total: number;
  /** That day's attainment. */
  readonly attainmentPercent: number;
  /**
   * Bad events of the day as a percent of one whole SLO window's budget at the traffic of the
   * part of the period read (not of the budget of a clipped window: see `budgetBasisSeconds`).
   */
  readonly budgetSpentPercent: number;
  /** What burned it, most first: the SLI's bad metrics' shares, and incidents/experiments that overlapped the day. */
  readonly causes: readonly BurnCause[];
}

/** One cause of a worst day. */
export interface BurnCause {
  /** `metric` (a bad-events metric of the SLI), `incident` (a page or ticket open that day), `experiment` (a run that day). */
  readonly kind: 'metric' | 'incident' | 'experiment';
  /** A metric's label (`5XXError`), an alarm name, or an experiment's name. */
  readonly label: string;
  /** For metrics: the share of the day's bad events, 0–100. @default - not a metric */
  readonly sharePercent?: number;
}

/** Alarm transitions to ALARM in the period. */
export interface AlertCounts {
  readonly available: boolean;
  /** @default - available */
  readonly reason?: string;
  readonly pages: number;
  readonly tickets: number;
}

/** The escalation policy's incidents in the period. */
export interface IncidentSection {
  /** False when the service has no escalation policy or its records could not be read (see `reason`). */
  readonly available: boolean;
  /** @default - available */
  readonly reason?: string;
  readonly pages: number;
  readonly tickets: number;
  /** Pages acknowledged by a person. */
  readonly acknowledged: number;
  /** Pages whose chain was exhausted: nobody answered at any level. */
  readonly exhausted: number;
  /** Time to acknowledge over acknowledged pages, seconds; null when none was acknowledged. */
  readonly medianSecondsToAcknowledge: number | null;
  readonly maxSecondsToAcknowledge: number | null;
  /** Who acknowledged, with counts, most first. */
  readonly responders: readonly Responder[];
  /** Every incident opened in the period, oldest first. */
  readonly incidents: readonly IncidentRecord[];
}

/** Who acknowledged pages. */
export interface Responder {
  readonly name: string;
  readonly acknowledged: number;
}

/** One page or ticket. */
export interface IncidentRecord {
  readonly alarmName: string;
  readonly severity: 'page' | 'ticket';
  /** The SLO the alarm belongs to. @default - not an SLO alarm */
  readonly slo?: string;
  readonly openedAt: string;
  /** @default - not acknowledged */
  readonly acknowledgedAt?: string;
  /** @default - not acknowledged */
  readonly acknowledgedBy?: string;
  /** @default - not acknowledged */
  readonly secondsToAcknowledge?: number;
  /** The highest escalation level notified (0: the first responder). */
  readonly highestLevel: number;
  /** Levels in the chain. */
  readonly levels: number;
  readonly exhausted: boolean;
  /** @default - still open at the period's end */
  readonly resolvedAt?: string;
}

/** The FIS experiments of the service in the period. */
export interface ExperimentSection {
  readonly available: boolean;
  /** @default - available */
  readonly reason?: string;
  /** Runs that completed with the steady state held. */
  readonly passed: number;
  /**
   * Stopped by a stop condition (one of the SLO alarms, or an alarm of the user's own), a stop
   * condition fired, or the service did not recover: the experiment worked as a test and found harm.
   */
  readonly findings: number;
  /** Failed to run: an FIS error (`state.error`), or the steady state not met before the fault. */
  readonly failed: number;
  /** Stopped by a person or a program (StopExperiment) while no stop condition fired: no verdict. */
  readonly stoppedByPerson: number;
  /** Cancelled by FIS before it ran. */
  readonly cancelled: number;
  /** Stopped, but whether a stop condition stopped it cannot be told (its alarm history not read), or an unknown state. */
  readonly inconclusive: number;
  /** Every run started in the period, oldest first. */
  readonly runs: readonly ExperimentRun[];
}

/** One experiment run. */
export interface ExperimentRun {
  /** The experiment's name in the service (`slow-handler`). */
  readonly experiment: string;
  /** The FIS experiment id. */
  readonly id: string;
  readonly startedAt: string;
  /** @default - still running */
  readonly endedAt?: string;
  /** FIS's final state: `completed`, `stopped`, `failed`, `cancelled`, or `running`. */
  readonly state: string;
  /** A stop-condition alarm stopped it. */
  readonly stopConditionFired: boolean;
  /**
   * The game-day verdict, as `gameday` judges: `passed`; `finding` (a stop condition stopped it or
   * fired, ours or the user's, or the service did not recover); `failed` (failed to run: an FIS
   * error, or the steady state not met before the fault); `stopped-by-person` (StopExperiment, no
   * stop condition fired); `cancelled`; `inconclusive` (stopped, and the stop conditions' history
   * cannot tell by what); `running`.
   */
  readonly verdict: 'passed' | 'finding' | 'failed' | 'stopped-by-person' | 'cancelled' | 'inconclusive' | 'running';
  /** FIS's reason or the stop condition's alarm. @default - nothing to add */
  readonly reason?: string;
  /** Started by the scheduled game day (not by a person). */
  readonly scheduled: boolean;
}
