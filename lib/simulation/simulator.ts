/**
 * Simulating an SLO's alarms on traffic: events per minute and the share that is bad, spread over
 * the SLI's metrics (`trafficScenario`) and evaluated as CloudWatch does (`evaluateAlarms`, with its
 * evaluation range, missing-data rules and ingestion delay). The entry point of the `simulate`
 * command and of the tests that compare the alarms with the Workbook's formulas. Pure.
 */
import { AlarmStateName } from './alarm-rule';
import { evaluateAlarms, EvaluationOptions, SimulationResult } from './evaluator';
import { TrafficProfile, trafficScenario, TrafficScenarioOptions } from './scenario';
import { SloAlarmModel } from './template-alarms';

export type { Notification, SimulationResult, Transition } from './evaluator';
export type { IncidentOptions, TrafficProfile } from './scenario';
export { incident } from './scenario';

/** Options of `simulate`: how to evaluate (but the length, given apart) and how to spread the events. */
export interface SimulateOptions extends Omit<EvaluationOptions, 'minutes'>, TrafficScenarioOptions {}

/**
 * Simulates `minutes` minutes of the profile: in each minute with events, every metric of the SLI
 * publishes its share of them; the alarms are evaluated as CloudWatch does, with an ingestion delay
 * of 2 minutes unless `options.delayMinutes` says otherwise (0 is the ideal model of the formulas).
 */
export function simulate(model: SloAlarmModel, profile: TrafficProfile, minutes: number, options: SimulateOptions = {}): SimulationResult {
  const { events, badMetric, totalMetric, ...evaluation } = options;
  const scenario = trafficScenario(model, profile, {
    ...(events ? { events } : {}),
    ...(badMetric !== undefined ? { badMetric } : {}),
    ...(totalMetric !== undefined ? { totalMetric } : {}),
  });
  return evaluateAlarms(model, scenario, { ...evaluation, minutes });
}

/** Minute of the first transition of `alarm` to `state`, or undefined. */
export function firstTransition(result: SimulationResult, alarm: string, state: AlarmStateName = 'ALARM'): number | undefined {
  return result.transitions.find((t) => t.alarm === alarm && t.state === state)?.minute;
}
