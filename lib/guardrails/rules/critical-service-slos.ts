import { ReliabilityFacts, SloCategory } from '../facts';
import { locationOf, IReliabilityRule, RuleFinding, RuleLevel } from '../rule';

/** RELIABILITY-003: a critical service has an availability SLO and a latency SLO. */
export const criticalServiceSlos: IReliabilityRule = {
  id: 'RELIABILITY-003',
  name: 'critical-service-slos',
  level: RuleLevel.ERROR,
  summary: 'a critical service has an availability SLO and a latency SLO',
  explanation: 'Customers of a critical service are hurt by errors and by slowness alike: an availability SLO alone stays green '
    + 'while every request takes ten seconds, a latency SLO alone does not count failed requests.',
  fix: 'Add an availability SLO (Sli.ratio or an availability preset) and a latency SLO (Sli.latency or a latency preset, '
    + 'or a counted-events SLI in an SLO named for latency).',
  check(facts: ReliabilityFacts): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const service of facts.services.filter((s) => s.critical && s.slos.length > 0)) {
      const missing = [SloCategory.AVAILABILITY, SloCategory.LATENCY].filter((category) => !service.slos.some((slo) => slo.category === category));
      if (missing.length > 0) {
        const has = service.slos.map((slo) => `${slo.name} (${slo.category})`).join(', ');
        findings.push({
          subject: locationOf(service),
          message: `critical service '${service.name}' has no ${missing.join(' and no ')} SLO; it has ${has}`,
        });
      }
    }
    return findings;
  },
};
