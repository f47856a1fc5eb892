/**
 * An example of the failure-mode scenarios on a synthesized template: an Application Load Balancer
 * whose targets are all gone. Every request gets an ELB 503: `HTTPCode_ELB_5XX_Count` counts them,
 * but `RequestCount` counts only requests for which a target was chosen, so it stops. With the
 * earlier expression `IF(total0 > 0, …)` the alarms yielded no datapoint then, CloudWatch judged
 * each window on the most recent datapoint of its evaluation range that existed (one that still
 * held healthy traffic), and the page cleared half an hour into the outage. The guarded divisor
 * `bad / max(total, bad, N)` (lib/alarms/expression.ts) reads bad events without a total as
 * errors, so the page now holds for as long as the outage does.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ReliableService, Sli } from '../../lib';
import { AlertTimeline } from '../../lib/simulation/outcome';
import { incident, publishedOnlyWhenNonZero, stopMetric, trafficScenario } from '../../lib/simulation/scenario';
import { sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';
import { newStack } from '../service/helpers';

const OUTAGE = 240;

function model() {
  const stack: Stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc');
  const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc });
  new ReliableService(stack, 'Web', {
    serviceName: 'web',
    slos: [{ name: 'availability', objective: 99.9, sli: Sli.loadBalancerAvailability(lb) }],
  });
  return sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'web', 'availability');
}

describe('an ALB with no healthy target: every request an ELB 503, RequestCount stops', () => {
  const alarms = model();
  // 1000 requests a minute; from minute 0, all of them answered by the load balancer with a 503
  const traffic = trafficScenario(alarms, incident({ errorRatio: 1, durationMinutes: OUTAGE, eventsPerMinute: 1_000 }), {
    badMetric: 'HTTPCode_ELB_5XX_Count',
  });
  // the HTTPCode_* counts have no datapoint in a minute without such a response
  const outage = stopMetric(publishedOnlyWhenNonZero(traffic, (m) => m.metricName.startsWith('HTTPCode_')), 'RequestCount', 0, OUTAGE);

  test('reads the ELB and target 5XX counts as bad and RequestCount as total', () => {
    const metrics = Object.values(alarms.windowAlarms[0].metrics).map((m) => `${m.namespace} ${m.metricName} ${m.statistic}`).sort();
    expect(metrics).toEqual([
      'AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum', 'AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum', 'AWS/ApplicationELB RequestCount Sum',
    ]);
    expect(alarms.windowAlarms[0].metrics.total0.dimensions).toEqual({ LoadBalancer: '${Lb1928D9D6.LoadBalancerFullName}' });
  });

  test.each([false, true])('the page fires when the first outage minute arrives and holds until 30 minutes after the targets are back (fillEmptySeries %p)', (fillEmptySeries) => {
    const timeline = AlertTimeline.of(alarms, outage, { minutes: OUTAGE + 60, fillEmptySeries });
    expect(timeline.firstPage()).toBe(3); // minute 0's data, 2 minutes late
    // the windows read the ELB 503s with no RequestCount as 100 % errors (divisor max(total, bad, N));
    // the 6h/30m tier's short window is clean 30 minutes after the last 503
    expect(timeline.intervals('page')).toEqual([{ from: 3, to: OUTAGE + 30 }]);
    expect(timeline.pageHeldThrough(OUTAGE - 1)).toBe(true);
    // the ticket tiers burn too; their composite, muted while the page fires, notifies once it clears:
    // the incident's follow-up
    expect(timeline.ticketOpenedAt()).toBe(OUTAGE + 31);
  });
});
