/**
 * PagerDuty Events API v2 bodies: `trigger` on an alarm, `acknowledge` on acknowledgement,
 * `resolve` on recovery (and when the incident is closed because it was replaced or its alarm
 * deleted), all with the incident's stable `dedup_key`. "Nobody answered" notices are not sent to
 * PagerDuty (its own escalation policy runs). Pure.
 */
import { createHash } from 'crypto';
import { headline, Notice, subjectName, tierSentence } from './notice';
import { truncate } from './untrusted';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** `policy/alarm/incidentStart`, hashed past PagerDuty's 255 characters. */
export function dedupKey(policy: string, alarmName: string, incidentStart: string): string {
  const key = `${policy}/${alarmName}/${incidentStart}`;
  return key.length <= 255 ? key : `${Array.from(policy).slice(0, 100).join('')}/${createHash('sha256').update(key).digest('hex')}`;
}

export function pagerDutyAction(n: Notice): 'trigger' | 'acknowledge' | 'resolve' {
  return n.kind === 'alarm' || n.kind === 'exhausted' ? 'trigger' : n.kind === 'acknowledged' ? 'acknowledge' : 'resolve';
}

export function pagerDutyEvent(n: Notice, routingKey: string): Record<string, unknown> {
  const action = pagerDutyAction(n);
  if (action !== 'trigger') {
    return { routing_key: routingKey, event_action: action, dedup_key: n.dedupKey };
  }
  const f = n.facts;
  const tier = f.firedTiers[0];
  const links = [
    ...(n.ackUrl ? [{ href: n.ackUrl, text: 'Acknowledge (stops the cdk-reliability escalation)' }] : []),
    ...(f.runbook ? [{ href: f.runbook, text: 'Runbook' }] : []),
    ...(f.alarmUrl ? [{ href: f.alarmUrl, text: `CloudWatch alarm ${f.alarmName}` }] : []),
    ...(f.dashboardUrl ? [{ href: f.dashboardUrl, text: `Dashboard ${f.dashboard}` }] : []),
  ];
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: n.dedupKey,
    payload: {
      summary: truncate(headline(n), 1024),
      source: truncate(f.service ?? subjectName(n), 255),
      severity: f.severity === 'page' ? 'critical' : 'warning',
      timestamp: n.incidentStart,
      component: f.service,
      group: f.slo,
      class: tier ? `${tier.severity}-${tier.longWindow}-${tier.shortWindow}` : f.severity,
      custom_details: {
        alarm: f.alarmName,
        policy: n.policy,
        objective: f.objective ? `${f.objective}% over ${f.window ?? '?'}` : undefined,
        error_budget: f.errorBudget,
        tiers: (f.firedTiers.length > 0 ? f.firedTiers : f.tiers).map(tierSentence),
        reason: f.reason,
        level: n.level + 1,
        cycle: n.cycle + 1,
      },
    },
    client: `cdk-reliability (${n.policy})`,
    ...(f.alarmUrl ? { client_url: f.alarmUrl } : {}),
    links,
  };
}
