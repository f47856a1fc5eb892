import { ReliabilityFacts } from '../facts';
import { locationOf, quoted, IReliabilityRule, RuleFinding, RuleLevel } from '../rule';

/**
 * RELIABILITY-002: every service pages someone. At least one SLO has a page alarm, and every page
 * alarm has an alarm action in its template: the service's escalation policy, or actions wired by hand.
 */
export const serviceHasPageEscalation: IReliabilityRule = {
  id: 'RELIABILITY-002',
  name: 'service-has-page-escalation',
  level: RuleLevel.ERROR,
  summary: 'every service pages someone: at least one page alarm, and every page alarm has an alarm action (its escalation policy, or one wired by hand)',
  explanation: 'A page alarm that notifies nobody changes state in silence: the budget burns at 14x and nobody is woken. '
    + 'Alarm actions fire once per state change, so the page must reach an escalation policy that re-notifies and moves up a chain.',
  fix: 'Pass escalation (an EscalationPolicy) to the ReliableService, or wire service.slo(name).pageAlarm.addAlarmAction(...); '
    + 'give at least one SLO a page tier (AlertPolicy.workbook() has two).',
  check(facts: ReliabilityFacts): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const service of facts.services) {
      if (service.slos.length === 0) {
        continue; // RELIABILITY-001
      }
      const pages = service.slos.flatMap((slo) => slo.pageAlarm ? [slo.pageAlarm] : []);
      if (pages.length === 0) {
        findings.push({
          subject: locationOf(service),
          message: `service '${service.name}' has no page alarm: its SLOs (${quoted(service.slos.map((s) => s.name))}) only open tickets, so nobody is paged when the budget burns fast`,
        });
        continue;
      }
      const silent = pages.filter((alarm) => alarm.alarmActions === 0);
      if (silent.length > 0) {
        const why = service.escalation === undefined ? 'it has no escalation policy and ' : `its escalation policy '${service.escalation.name}' is not wired and `;
        findings.push({
          subject: locationOf(service),
          message: `service '${service.name}' pages nobody: ${why}page alarm${silent.length > 1 ? 's' : ''} ${quoted(silent.map((a) => a.alarmName))} `
            + `ha${silent.length > 1 ? 've' : 's'} no alarm action`,
        });
      }
    }
    return findings;
  },
};
