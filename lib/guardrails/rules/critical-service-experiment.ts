import { ReliabilityFacts } from '../facts';
import { locationOf, IReliabilityRule, RuleFinding, RuleLevel } from '../rule';

/** RELIABILITY-004: a critical service runs at least one chaos experiment. */
export const criticalServiceExperiment: IReliabilityRule = {
  id: 'RELIABILITY-004',
  name: 'critical-service-experiment',
  level: RuleLevel.ERROR,
  summary: 'a critical service has at least one chaos experiment',
  explanation: 'A reliability policy that is never exercised is a guess: only an experiment shows that the alarms fire, '
    + 'the pager answers and the service recovers before customers find out.',
  fix: 'Declare one with service.addExperiment(name, { fault, duration }), ideally with a gameDay schedule.',
  check(facts: ReliabilityFacts): RuleFinding[] {
    return facts.services
      .filter((service) => service.critical && service.experiments.length === 0)
      .map((service) => ({
        subject: locationOf(service),
        message: `critical service '${service.name}' has no chaos experiment, so its alarms, escalation and recovery are untested`,
      }));
  },
};
