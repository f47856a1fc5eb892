import { ReliabilityFacts } from '../facts';
import { locationOf, IReliabilityRule, RuleFinding, RuleLevel } from '../rule';

/**
 * RELIABILITY-005: every FIS experiment template in the templates has a CloudWatch alarm as stop
 * condition. `ChaosExperiment` already refuses experiments without one; this checks what was
 * synthesized, including templates declared with the L1 `CfnExperimentTemplate`.
 */
export const experimentStopConditions: IReliabilityRule = {
  id: 'RELIABILITY-005',
  name: 'experiment-stop-conditions',
  level: RuleLevel.ERROR,
  summary: 'every FIS experiment template in the templates has a CloudWatch alarm as stop condition',
  explanation: 'An experiment that nothing halts keeps injecting faults while customers are hurt. '
    + 'A stop condition on the service\'s page alarm ends it the moment the error budget burns fast.',
  fix: 'Give the template StopConditions with Source aws:cloudwatch:alarm (service.addExperiment() uses the service\'s page alarms).',
  check(facts: ReliabilityFacts): RuleFinding[] {
    return facts.experimentTemplates
      .filter((template) => template.alarmStopConditions === 0)
      .map((template) => ({
        subject: locationOf(template),
        message: `FIS experiment template ${template.logicalId} has no CloudWatch alarm as stop condition: nothing halts it while customers are hurt`,
        locations: ['Properties/StopConditions'],
      }));
  },
};
