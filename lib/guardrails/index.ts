export {
  ACKNOWLEDGEMENT_RULE_ID, acknowledgementProblems, applicableAcknowledgement, MIN_REASON_LENGTH, PLUGIN_NAME, readAcknowledgements, reasonProblem,
} from './acknowledgements';
export type { AcknowledgementProblem, AcknowledgementRecord } from './acknowledgements';
export * from './collect-facts';
export * from './evaluate';
export * from './exclusions';
export * from './facts';
export { ReliabilityChecks } from './reliability-checks';
export type { ReliabilityChecksProps } from './reliability-checks';
export { RuleLevel } from './rule';
export type { ReliabilityRule, RuleFinding } from './rule';
export * from './rules';
