import { IReliabilityRule } from '../rule';
import { alarmActions } from './alarm-actions';
import { criticalEscalationDepth } from './critical-escalation-depth';
import { criticalServiceExperiment } from './critical-service-experiment';
import { criticalServiceSlos } from './critical-service-slos';
import { experimentStopConditions } from './experiment-stop-conditions';
import { serviceHasPageEscalation } from './service-has-page-escalation';
import { serviceHasSlo } from './service-has-slo';
import { sloCoverage } from './slo-coverage';

export * from './alarm-actions';
export * from './critical-escalation-depth';
export * from './critical-service-experiment';
export * from './critical-service-slos';
export * from './experiment-stop-conditions';
export * from './service-has-page-escalation';
export * from './service-has-slo';
export * from './slo-coverage';

/** Every rule `ReliabilityChecks` runs, in id order. */
export const RELIABILITY_RULES: readonly IReliabilityRule[] = [
  serviceHasSlo,
  serviceHasPageEscalation,
  criticalServiceSlos,
  criticalServiceExperiment,
  experimentStopConditions,
  criticalEscalationDepth,
  alarmActions,
  sloCoverage,
];
