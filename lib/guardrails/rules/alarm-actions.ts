import { AlarmResourceType, ReliabilityFacts } from '../facts';
import { locationOf, IReliabilityRule, RuleFinding, RuleLevel } from '../rule';

/**
 * RELIABILITY-007: every alarm in the templates either has an alarm action or is read by
 * something that acts on its state. The SLO window alarms have no actions on purpose: they are
 * building blocks of the page and ticket composites, whose rules read them. Page composites of
 * services are left to RELIABILITY-002, which reports them with their service.
 */
export const alarmActions: IReliabilityRule = {
  id: 'RELIABILITY-007',
  name: 'alarm-actions',
  level: RuleLevel.WARNING,
  summary: 'every alarm has an alarm action, unless a composite alarm, FIS stop condition, CodeDeploy or ECS deployment, Route 53 health check or AppConfig monitor reads it',
  explanation: 'An alarm without actions changes state and nobody hears it: it costs money and gives a false sense of coverage. '
    + 'An alarm that something else reads and acts on is a building block, like the SLO window alarms the page and ticket composites read.',
  fix: 'Add an alarm action (alarm.addAlarmAction(new SnsAction(topic))), read the alarm from a composite alarm that has one, or delete it.',
  check(facts: ReliabilityFacts): RuleFinding[] {
    const key = (a: { templatePath?: string; logicalId?: string }) => `${a.templatePath}#${a.logicalId}`;
    const pages = new Set(facts.services.flatMap((s) => s.slos.flatMap((slo) => slo.pageAlarm ? [key(slo.pageAlarm)] : [])));
    return facts.alarms
      .filter((alarm) => alarm.alarmActions === 0 && alarm.consumers.length === 0 && !pages.has(key(alarm)))
      .map((alarm) => {
        const kind = alarm.resourceType === AlarmResourceType.COMPOSITE_ALARM ? 'composite alarm' : 'alarm';
        const name = alarm.alarmName !== undefined ? `'${alarm.alarmName}'` : alarm.logicalId;
        const why = alarm.actionsEnabled ? 'has no alarm action' : 'has its actions disabled (ActionsEnabled: false)';
        return {
          subject: locationOf(alarm),
          message: `${kind} ${name} ${why} and nothing reads its state, so it notifies nobody`,
          locations: [alarm.actionsEnabled ? 'Properties/AlarmActions' : 'Properties/ActionsEnabled'],
        };
      });
  },
};
