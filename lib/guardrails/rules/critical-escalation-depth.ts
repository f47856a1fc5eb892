import { ReliabilityFacts } from '../facts';
import { locationOf, IReliabilityRule, RuleFinding, RuleLevel } from '../rule';

/** RELIABILITY-006: a critical service escalates through more than one level, and the chain repeats. */
export const criticalEscalationDepth: IReliabilityRule = {
  id: 'RELIABILITY-006',
  name: 'critical-escalation-depth',
  level: RuleLevel.WARNING,
  summary: 'a critical service\'s escalation policy has more than one level and repeats',
  explanation: 'With a single level, a page the on-call engineer misses (asleep, phone on silent, in a tunnel) reaches nobody else; '
    + 'without a repeat, the chain ends after one pass while the incident goes on.',
  fix: 'Give the escalation policy a second level with a delay (levels: [{ notify }, { after: Duration.minutes(15), notify }]) and repeat: 1 or more.',
  check(facts: ReliabilityFacts): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const service of facts.services.filter((s) => s.critical && s.escalation !== undefined)) {
      const { name, levels, repeat } = service.escalation!;
      const problems = [
        ...(levels !== undefined && levels < 2 ? [`has a single level`] : []),
        ...(repeat !== undefined && repeat < 1 ? ['does not repeat'] : []),
      ];
      if (problems.length > 0) {
        findings.push({
          subject: locationOf(service),
          message: `critical service '${service.name}': escalation policy '${name}' ${problems.join(' and ')}, so a missed page may reach nobody`,
        });
      }
    }
    return findings;
  },
};
