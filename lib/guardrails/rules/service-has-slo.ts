import { ReliabilityFacts } from '../facts';
import { locationOf, IReliabilityRule, RuleFinding, RuleLevel } from '../rule';

/**
 * RELIABILITY-001: every service has at least one SLO. `ReliableService` already refuses to
 * synthesize without one; the rule keeps the policy whole for services built by other means.
 */
export const serviceHasSlo: IReliabilityRule = {
  id: 'RELIABILITY-001',
  name: 'service-has-slo',
  level: RuleLevel.ERROR,
  summary: 'every service has at least one SLO',
  explanation: 'A service without an SLO has no definition of "good" and no burn-rate alarms: its customers notice an outage before anyone else does.',
  fix: 'Pass slos to the ReliableService, or call service.addSlo({ name, objective, sli }).',
  check(facts: ReliabilityFacts): RuleFinding[] {
    return facts.services
      .filter((service) => service.slos.length === 0)
      .map((service) => ({
        subject: locationOf(service),
        message: `service '${service.name}' has no SLO, so nothing alerts on its customers' experience`,
      }));
  },
};
