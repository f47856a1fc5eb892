/**
 * An incident on a time-slice SLO (`Sli.timeSlice`): its condition's metric crosses the threshold
 * in a share of the minutes for a while (all of them: a queue that stays old for 20 minutes; one
 * in ten: a flapping canary), or stops publishing. Simulated by the faithful evaluator, whose
 * M-out-of-N alarms read each slice as CloudWatch does, and reported as `simulateIncident` reports
 * a ratio SLO's incident, with the slice formulas beside it. Pure.
 */
import { DEFAULT_DELAY_MINUTES, evaluateAlarms, Scenario } from './evaluator';
import { IncidentReport, IncidentScenario, incidentReport, ModelTier, TierFormula } from './incident-report';
import { SloAlarmModel } from './template-alarms';
import { meetsSliceCondition } from '../slo/time-slices';

/** The condition a good slice meets: `value < threshold` for `<`. */
export interface SliceConditionModel {
  /** `<`, `<=`, `>` or `>=`. */
  readonly comparison: string;
  readonly threshold: number;
}

/**
 * A time-slice incident: during it, `errorRatio` of the minutes (spread evenly; 1 is every minute)
 * have the metric at `badValue`, the others at `goodValue`; before and after, `baselineErrorRatio`
 * of them. `eventsPerMinute` is not read.
 */
export interface SliceIncidentScenario extends IncidentScenario {
  readonly condition: SliceConditionModel;
  /** The metric's value in a bad minute; undefined: it publishes nothing then. */
  readonly badValue?: number;
  /** The metric's value in a good minute. */
  readonly goodValue: number;
}

/**
 * Values of 0 or more (metrics the simulator feeds are) that meet and that break the condition:
 * half the threshold and the threshold for `<` 300; the threshold and 0 for `>=` 100. Undefined
 * where no such value exists (`< 0`: nothing of 0 or more is good).
 */
export function conditionValues(condition: SliceConditionModel): { good?: number; bad?: number } {
  const t = condition.threshold;
  const candidates: Record<string, { good: number; bad: number }> = {
    '<': { good: t / 2, bad: Math.max(t, 0) },
    '<=': { good: t / 2, bad: Math.max(t, 0) + Math.max(1, Math.abs(t)) },
    '>': { good: Math.max(t, 0) + Math.max(1, Math.abs(t)), bad: 0 },
    '>=': { good: Math.max(t, 0), bad: 0 },
  };
  const c = candidates[condition.comparison];
  if (!c) {
    return {};
  }
  return {
    ...(c.good >= 0 && meetsSliceCondition(c.good, condition) ? { good: c.good } : {}),
    ...(!meetsSliceCondition(c.bad, condition) ? { bad: c.bad } : {}),
  };
}

/** Whether minute `m` is bad at a share `ratio` of bad minutes, spread evenly (every minute at 1). */
function badMinute(m: number, ratio: number): boolean {
  return Math.floor((m + 1) * ratio + 1e-9) > Math.floor(m * ratio + 1e-9);
}

/** The metric's value in each minute of the scenario, for every metric of the alarms. */
export function sliceScenario(scenario: SliceIncidentScenario): Scenario {
  return (_, minute) => {
    const during = minute >= 0 && minute < scenario.durationMinutes;
    const bad = badMinute(minute, during ? scenario.errorRatio : scenario.baselineErrorRatio);
    return bad ? scenario.badValue : scenario.goodValue;
  };
}

/**
 * What the slice arithmetic predicts for a tier on metrics without delay, one evaluation per
 * slice, every minute of the incident bad: it fires once both windows hold M bad slices, after
 * max(M long, M short) slices, and clears once either window holds fewer than its M, N − M + 1
 * slices after the incident (the newest bad slices leave last).
 */
export function sliceTierFormula(tier: ModelTier, scenario: SliceIncidentScenario): TierFormula {
  const s = tier.slices;
  if (!s) {
    return { note: 'not a time-slice tier' };
  }
  if (scenario.errorRatio < 1 || scenario.baselineErrorRatio > 0) {
    return { note: 'the formula assumes every minute of the incident bad and none before' };
  }
  const slice = s.sliceSeconds / 60;
  const firesAt = Math.max(s.long.slicesToAlarm, s.short.slicesToAlarm) * slice;
  if (firesAt > scenario.durationMinutes) {
    return { firesAt, afterIncident: true };
  }
  const incidentSlices = Math.ceil(scenario.durationMinutes / slice);
  const clears = (w: { slices: number; slicesToAlarm: number }) => (Math.min(incidentSlices, w.slices) >= w.slicesToAlarm
    ? w.slices - w.slicesToAlarm + 1 : 0);
  return { firesAt, clearsAt: incidentSlices * slice + Math.min(clears(s.long), clears(s.short)) * slice };
}

/** Simulates `scenario` on a time-slice SLO's alarms: when each tier and composite fires and clears. */
export function simulateSliceIncident(model: SloAlarmModel, scenario: SliceIncidentScenario, objectivePercent?: number): IncidentReport & {
  readonly scenario: SliceIncidentScenario;
} {
  const simulation = evaluateAlarms(model, sliceScenario(scenario), { minutes: scenario.minutes, delayMinutes: scenario.delayMinutes ?? DEFAULT_DELAY_MINUTES });
  return incidentReport(model, scenario, simulation, {
    ...(objectivePercent === undefined ? {} : { objectivePercent, errorBudget: Math.round((100 - objectivePercent) * 1e9) / 1e11 }),
    formula: (tier) => sliceTierFormula(tier, scenario),
  });
}
