/**
 * What an SLO's alarms do during one incident, tier by tier, beside what the Workbook's formulas
 * predict: the simulator's minute-by-minute result (`simulate`) folded into when each tier (both
 * of its windows) and each composite fires and clears, and when notifications go out. Pure: the
 * `simulate` command prints it, the tests compare it with the formulas.
 */
import { detectionTimeSeconds, errorBudget, resetTimeSeconds, roundFigure } from '../slo/burn-rate';
import { formatWindow } from '../slo/windows';
import { RuleNode } from './alarm-rule';
import { DEFAULT_DELAY_MINUTES, Notification, SimulationResult } from './evaluator';
import { incident } from './scenario';
import { simulate, SimulateOptions } from './simulator';
import { SloAlarmModel, WindowAlarmModel } from './template-alarms';

/** One tier of an SLO as its alarms encode it: `ALARM(long) AND ALARM(short)` in a composite's rule. */
export interface ModelTier {
  /** `page-1h-5m`, as in the alarm names. */
  readonly id: string;
  /** `page` or `ticket` (from the composite's name); `alert` for a composite named otherwise. */
  readonly severity: string;
  /** Name of the composite alarm that ORs this tier. */
  readonly composite: string;
  readonly longAlarm: string;
  readonly shortAlarm: string;
  readonly longWindowSeconds: number;
  readonly shortWindowSeconds: number;
  /**
   * Burn-rate threshold: the window alarms' threshold (their expression is the burn rate); 0 for a
   * time-slice tier, whose alarms count bad slices (`slices`).
   */
  readonly burnRate: number;
  /**
   * A time-slice tier: its window alarms fire when M of their last N slices are bad.
   * @default - a burn-rate tier
   */
  readonly slices?: ModelTierSlices;
}

/** The M out of N slices of a time-slice tier's window alarms. */
export interface ModelTierSlices {
  /** The slice (the alarms' period), in seconds. */
  readonly sliceSeconds: number;
  readonly long: { readonly slices: number; readonly slicesToAlarm: number };
  readonly short: { readonly slices: number; readonly slicesToAlarm: number };
}

/** A time range in ALARM, in minutes from the start of the incident; `to` is absent when still in ALARM at the end. */
export interface AlarmInterval {
  readonly from: number;
  readonly to?: number;
}

/** The incident to simulate. */
export interface IncidentScenario {
  /** Fraction of bad events during the incident (0.02 for 2 %); for a latency SLI, of slow requests. */
  readonly errorRatio: number;
  /** Minutes from minute 0; fractions of a minute are allowed. */
  readonly durationMinutes: number;
  /** Events per minute, before, during and after; 0 is no traffic. */
  readonly eventsPerMinute: number;
  /** Fraction of bad events before and after the incident. */
  readonly baselineErrorRatio: number;
  /** Minutes to simulate from the start of the incident. */
  readonly minutes: number;
  /**
   * Ingestion delay in minutes: the data of a minute reaches the alarms this many minutes after
   * its end (0: the ideal model the formulas assume).
   * @default DEFAULT_DELAY_MINUTES (2)
   */
  readonly delayMinutes?: number;
}

/** What the formulas of `lib/slo/burn-rate.ts` predict for a tier, in minutes from the start. */
export interface TierFormula {
  /**
   * `detectionTimeSeconds` in minutes: when a constant error ratio on healthy traffic makes the
   * tier fire. Absent when the error ratio never exceeds the tier's threshold, or when the formula
   * does not apply (see `note`).
   */
  readonly firesAt?: number;
  /** True when `firesAt` is after the end of the incident: the tier does not fire. */
  readonly afterIncident?: boolean;
  /** End of the incident plus `resetTimeSeconds`: when the tier clears. Absent when it does not fire. */
  readonly clearsAt?: number;
  /** Why the formula says nothing: no traffic, or errors before the incident. @default - it applies */
  readonly note?: string;
}

/** A tier's simulated behaviour beside its formula. */
export interface TierOutcome extends ModelTier {
  /** Error-ratio threshold (burn rate x error budget), when the error budget is known. */
  readonly errorRatioThreshold?: number;
  /** When both windows were in ALARM. */
  readonly alarms: AlarmInterval[];
  /** First minute in ALARM. @default - never */
  readonly firesAt?: number;
  /** When that first ALARM ended. @default - never fired, or still in ALARM at the end */
  readonly clearsAt?: number;
  readonly formula: TierFormula;
}

/** A composite's simulated behaviour. */
export interface CompositeOutcome {
  readonly name: string;
  readonly severity: string;
  readonly alarms: AlarmInterval[];
  /** @default - never */
  readonly firesAt?: number;
  /** @default - never fired, or still in ALARM at the end */
  readonly clearsAt?: number;
  /** When its actions ran (to ALARM and back to OK). */
  readonly notifications: Notification[];
  /** Minutes at which it went to ALARM with its actions suppressed (a ticket while the page fires). */
  readonly suppressedAt: number[];
  /** Name of its actions suppressor. @default - none */
  readonly suppressor?: string;
}

/** Everything `simulateIncident` found. */
export interface IncidentReport {
  readonly scenario: IncidentScenario;
  /** The error budget the alarms divide by, read from their expression. @default - not recognisable */
  readonly errorBudget?: number;
  readonly objectivePercent?: number;
  readonly tiers: TierOutcome[];
  readonly composites: CompositeOutcome[];
  readonly simulation: SimulationResult;
  /** `page at 44 min (OK at 141 min), ticket never`, or `never alerts`. */
  readonly summary: string;
}

/**
 * `... / 0.001` -> 0.001: the error budget the burn-rate expressions divide by. Only the alarms of
 * the tiers count (an alarm that is not a burn rate, such as the blind alarm, divides by nothing);
 * when no composite names a tier, every window alarm must be a burn rate.
 */
export function errorBudgetOf(model: SloAlarmModel): number | undefined {
  const tierAlarms = new Set(tiersOf(model).flatMap((t) => [t.longAlarm, t.shortAlarm]));
  const alarms = tierAlarms.size > 0 ? model.windowAlarms.filter((a) => tierAlarms.has(a.name)) : model.windowAlarms;
  const budgets = new Set<number>();
  for (const alarm of alarms) {
    const e = alarm.expression;
    if (e.kind !== 'binary' || e.op !== '/' || e.right.kind !== 'number') {
      return undefined;
    }
    budgets.add(e.right.value);
  }
  return budgets.size === 1 ? [...budgets][0] : undefined;
}

/** `checkout-availability-page` -> `page`. */
function severityOf(compositeName: string): string {
  return /-(page|ticket)$/.exec(compositeName)?.[1] ?? 'alert';
}

/**
 * The `ALARM(a) AND ALARM(b)` terms of a rule that is an OR of them (or one of them), nested ORs
 * flattened; a single `ALARM(x)` term (the blind alarm: `(<tiers>) OR ALARM(blind)`) is no tier
 * and is skipped. Undefined when any other term appears.
 */
function tierPairs(rule: RuleNode): [string, string][] | undefined {
  const flatten = (node: RuleNode): RuleNode[] => (node.kind === 'or' ? node.operands.flatMap(flatten) : [node]);
  const pairs: [string, string][] = [];
  for (const term of flatten(rule)) {
    if (term.kind === 'state' && term.state === 'ALARM') {
      continue;
    }
    if (term.kind !== 'and' || term.operands.length !== 2) {
      return undefined;
    }
    const [a, b] = term.operands;
    if (a.kind !== 'state' || b.kind !== 'state' || a.state !== 'ALARM' || b.state !== 'ALARM') {
      return undefined;
    }
    pairs.push([a.alarm, b.alarm]);
  }
  return pairs;
}

/**
 * The tiers the composites encode, in rule order, pages first. A composite whose rule is not an OR
 * of `ALARM(long) AND ALARM(short)` contributes no tiers (its alarms are still simulated).
 */
export function tiersOf(model: SloAlarmModel): ModelTier[] {
  const byId = new Map<string, WindowAlarmModel>(model.windowAlarms.map((a) => [a.logicalId, a]));
  const tiers: ModelTier[] = [];
  const composites = [...model.composites].sort((a, b) => rank(severityOf(a.name)) - rank(severityOf(b.name)));
  for (const composite of composites) {
    for (const [x, y] of tierPairs(composite.rule) ?? []) {
      const a = byId.get(x);
      const b = byId.get(y);
      if (!a || !b) {
        continue;
      }
      // a window is its alarm's datapoints: one of the window for a burn rate, N slices for a time slice
      const windowOf = (alarm: WindowAlarmModel) => alarm.periodSeconds * alarm.evaluationPeriods;
      const [long, short] = windowOf(a) >= windowOf(b) ? [a, b] : [b, a];
      const severity = severityOf(composite.name);
      const sliced = long.evaluationPeriods > 1 || long.datapointsToAlarm > 1;
      tiers.push({
        id: `${severity}-${formatWindow(windowOf(long))}-${formatWindow(windowOf(short))}`,
        severity,
        composite: composite.name,
        longAlarm: long.name,
        shortAlarm: short.name,
        longWindowSeconds: windowOf(long),
        shortWindowSeconds: windowOf(short),
        burnRate: sliced ? 0 : long.threshold,
        ...(sliced ? {
          slices: {
            sliceSeconds: long.periodSeconds,
            long: { slices: long.evaluationPeriods, slicesToAlarm: long.datapointsToAlarm },
            short: { slices: short.evaluationPeriods, slicesToAlarm: short.datapointsToAlarm },
          },
        } : {}),
      });
    }
  }
  return tiers;
}

function rank(severity: string): number {
  return severity === 'page' ? 0 : severity === 'ticket' ? 1 : 2;
}

/** Intervals during which `inAlarm` held, from a sequence of (minute, state) changes. */
function intervals(changes: { minute: number; alarm: boolean }[]): AlarmInterval[] {
  const out: AlarmInterval[] = [];
  let open: number | undefined;
  for (const c of changes) {
    if (c.alarm && open === undefined) {
      open = c.minute;
    } else if (!c.alarm && open !== undefined) {
      out.push({ from: open, to: c.minute });
      open = undefined;
    }
  }
  if (open !== undefined) {
    out.push({ from: open });
  }
  return out;
}

/** When both alarms of a tier were in ALARM, replaying the window alarms' transitions minute by minute. */
function tierIntervals(result: SimulationResult, tier: ModelTier): AlarmInterval[] {
  let long = false;
  let short = false;
  let both = false;
  const changes: { minute: number; alarm: boolean }[] = [];
  const relevant = result.transitions.filter((t) => t.alarm === tier.longAlarm || t.alarm === tier.shortAlarm);
  for (let i = 0; i < relevant.length; i++) {
    const t = relevant[i];
    if (t.alarm === tier.longAlarm) {
      long = t.state === 'ALARM';
    } else {
      short = t.state === 'ALARM';
    }
    const lastOfMinute = i + 1 === relevant.length || relevant[i + 1].minute !== t.minute;
    if (lastOfMinute && (long && short) !== both) {
      both = long && short;
      changes.push({ minute: t.minute, alarm: both });
    }
  }
  return intervals(changes);
}

function minutes(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : roundFigure(seconds / 60);
}

function tierFormula(tier: ModelTier, scenario: IncidentScenario, objectivePercent: number | undefined): TierFormula {
  if (objectivePercent === undefined) {
    return { note: 'the error budget is not recognisable in the alarm expression' };
  }
  if (!(scenario.eventsPerMinute > 0)) {
    return { note: 'no traffic' };
  }
  if (scenario.baselineErrorRatio > 0) {
    return { note: 'the formula assumes no errors before the incident' };
  }
  const firesAt = minutes(detectionTimeSeconds(tier, objectivePercent, scenario.errorRatio));
  if (firesAt === undefined) {
    return {};
  }
  if (firesAt >= scenario.durationMinutes) {
    return { firesAt, afterIncident: true };
  }
  const reset = minutes(resetTimeSeconds(tier, objectivePercent, scenario.errorRatio))!;
  return { firesAt, clearsAt: roundFigure(scenario.durationMinutes + reset) };
}

/** `page at 44 min (OK at 141 min), ticket never`; `never alerts` when no composite fired. */
function summarize(composites: CompositeOutcome[]): string {
  if (composites.every((c) => c.firesAt === undefined)) {
    return 'never alerts';
  }
  return composites.map((c) => {
    if (c.firesAt === undefined) {
      return `${c.severity} never`;
    }
    const until = c.clearsAt === undefined ? 'still in ALARM at the end' : `OK at ${c.clearsAt} min`;
    if (c.suppressedAt.includes(c.firesAt)) {
      const raised = c.notifications.find((n) => n.state === 'ALARM');
      const suppressor = composites.find((o) => o.name === c.suppressor);
      const by = suppressor ? `the ${suppressor.severity}` : c.suppressor ?? 'its suppressor';
      if (raised) {
        return `${c.severity} at ${c.firesAt} min (muted while ${by} fired, raised at ${raised.minute} min; ${until})`;
      }
      const stillMuted = suppressor?.alarms.some((a) => a.to === undefined);
      return `${c.severity} at ${c.firesAt} min (muted by ${by}${stillMuted ? ' until the end' : ', and cleared before it did'})`;
    }
    return `${c.severity} at ${c.firesAt} min (${until})`;
  }).join(', ');
}

/**
 * Simulates `scenario` on the SLO's alarms and reports, per tier and per composite, when it fired
 * and cleared, beside the detection-time and reset-time formulas (which assume healthy traffic
 * before the incident and a constant error ratio during it).
 *
 * @param objectivePercent the SLO's objective, to compute the formulas with
 *   @default - derived from the error budget in the alarms' expression
 * @param options how to spread the events over the SLI's metrics (the manifest's bad and total
 *   expressions) and how CloudWatch's evaluation range and FILL are modelled
 */
export function simulateIncident(
  model: SloAlarmModel,
  scenario: IncidentScenario,
  objectivePercent?: number,
  options: Omit<SimulateOptions, 'delayMinutes'> = {},
): IncidentReport {
  const simulation = simulate(model, incident({
    errorRatio: scenario.errorRatio,
    durationMinutes: scenario.durationMinutes,
    eventsPerMinute: scenario.eventsPerMinute,
    baselineErrorRatio: scenario.baselineErrorRatio,
  }), scenario.minutes, { ...options, delayMinutes: scenario.delayMinutes ?? DEFAULT_DELAY_MINUTES });
  const budget = errorBudgetOf(model);
  const objective = objectivePercent ?? (budget === undefined ? undefined : roundFigure(100 - budget * 100));
  const budgetForThreshold = objective === undefined ? budget : errorBudget(objective);
  return incidentReport(model, scenario, simulation, {
    ...(budget === undefined ? {} : { errorBudget: budget }),
    ...(objective === undefined ? {} : { objectivePercent: objective }),
    ...(budgetForThreshold === undefined ? {} : { thresholdBudget: budgetForThreshold }),
    formula: (tier) => tierFormula(tier, scenario, objective),
  });
}

/** What `incidentReport` is told besides the simulation. */
export interface IncidentReportFacts {
  /** @default - not recognisable */
  readonly errorBudget?: number;
  /** @default - unknown */
  readonly objectivePercent?: number;
  /** The budget a tier's burn rate is multiplied by for its error-ratio threshold. @default - not shown */
  readonly thresholdBudget?: number;
  /** What the formulas predict for a tier. */
  formula(tier: ModelTier): TierFormula;
}

/** A simulation folded into tiers, composites and a summary (see `simulateIncident`). */
export function incidentReport<S extends IncidentScenario>(model: SloAlarmModel, scenario: S, simulation: SimulationResult,
  facts: IncidentReportFacts): IncidentReport & { readonly scenario: S } {
  const budgetForThreshold = facts.thresholdBudget;
  const tiers: TierOutcome[] = tiersOf(model).map((tier) => {
    const alarms = tierIntervals(simulation, tier);
    return {
      ...tier,
      ...(budgetForThreshold === undefined ? {} : { errorRatioThreshold: roundFigure(tier.burnRate * budgetForThreshold) }),
      alarms,
      firesAt: alarms[0]?.from,
      clearsAt: alarms[0]?.to,
      formula: facts.formula(tier),
    };
  });

  const names = new Map(model.composites.map((c) => [c.logicalId, c.name]));
  const composites: CompositeOutcome[] = [...model.composites]
    .sort((a, b) => rank(severityOf(a.name)) - rank(severityOf(b.name)))
    .map((c) => {
      const own = simulation.transitions.filter((t) => t.alarm === c.name);
      const alarms = intervals(own.map((t) => ({ minute: t.minute, alarm: t.state === 'ALARM' })));
      return {
        name: c.name,
        severity: severityOf(c.name),
        alarms,
        firesAt: alarms[0]?.from,
        clearsAt: alarms[0]?.to,
        notifications: simulation.notifications.filter((n) => n.alarm === c.name),
        suppressedAt: own.filter((t) => t.state === 'ALARM' && t.suppressed).map((t) => t.minute),
        ...(c.suppressor === undefined ? {} : { suppressor: names.get(c.suppressor) ?? c.suppressor }),
      };
    });

  return {
    scenario,
    ...(facts.errorBudget === undefined ? {} : { errorBudget: facts.errorBudget }),
    ...(facts.objectivePercent === undefined ? {} : { objectivePercent: facts.objectivePercent }),
    tiers,
    composites,
    simulation,
    summary: summarize(composites),
  };
}

/**
 * How long to simulate by default: the incident, then the longest window (a time-slice alarm's
 * window is its N slices, so that every window
 * alarm has seen the incident leave it), then `marginMinutes`; at most `capMinutes`.
 */
export function defaultSimulationMinutes(model: SloAlarmModel, durationMinutes: number, marginMinutes = 60, capMinutes = 7 * 1_440): number {
  const longest = Math.max(0, ...model.windowAlarms.map((a) => (a.periodSeconds * a.evaluationPeriods) / 60));
  return Math.min(capMinutes, Math.ceil(durationMinutes + longest + marginMinutes));
}
