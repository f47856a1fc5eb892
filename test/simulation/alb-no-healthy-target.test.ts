/**
 * An example of the failure-mode scenarios on a synthesized template: an Application Load Balancer
 * whose targets are all gone. Every request gets an ELB 503: `HTTPCode_ELB_5XX_Count` counts them,
 * but `RequestCount` counts only requests for which a target was chosen, so it stops. The alarms'
 * `IF(total0 > 0, …)` then yields no datapoint, and CloudWatch judges each window on the most
 * recent datapoint of its evaluation range that exists: one that still holds healthy traffic.
 *
 * This test reproduces today's alarms faithfully (the page clears half an hour into the outage);
 * the alarm fix changes its expectations.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ReliableService } from '../../lib/service/reliable-service';
import { Sli } from '../../lib/sli/sli';
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
  const timeline = AlertTimeline.of(alarms, outage, { minutes: OUTAGE + 60 });

  test('reads the ELB and target 5XX counts as bad and RequestCount as total', () => {
    const metrics = Object.values(alarms.windowAlarms[0].metrics).map((m) => `${m.namespace} ${m.metricName} ${m.statistic}`).sort();
    expect(metrics).toEqual([
      'AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum', 'AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum', 'AWS/ApplicationELB RequestCount Sum',
    ]);
    expect(alarms.windowAlarms[0].metrics.total0.dimensions).toEqual({ LoadBalancer: '${Lb1928D9D6.LoadBalancerFullName}' });
  });

  test('reproduces: the page fires when the first outage minute arrives, then clears 30 minutes into the outage, which goes on', () => {
    expect(timeline.firstPage()).toBe(3); // minute 0's data, 2 minutes late
    // at 30 the 30m window's newest datapoint has no RequestCount, and the one before it is the
    // healthy half hour before the outage: the 6h/30m tier's short window goes OK, and the 1h/5m
    // tier's 5m window has run out of datapoints in its range already (OK since 15)
    expect(timeline.pageClearedAt()).toBe(30);
    expect(timeline.stateAt('web-availability-page-1h-5m-short', 14)).toBe('ALARM');
    expect(timeline.stateAt('web-availability-page-1h-5m-short', 15)).toBe('OK');
    expect(timeline.pageHeldThrough(29)).toBe(true);
    expect(timeline.pageHeldThrough(30)).toBe(false);
    // it pages again while older windows straddle the start of the outage, and is OK from 90, when
    // the 30m window's evaluation range holds no datapoint at all (TreatMissingData notBreaching),
    // while every request still fails; once the targets are back (240), the windows hold the
    // outage's 503s over the first new requests, and it pages after the outage is over
    expect(timeline.intervals('page')).toEqual([{ from: 3, to: 30 }, { from: 31, to: 60 }, { from: 61, to: 90 }, { from: 243, to: 270 }]);
    expect(timeline.alertingAt('page', OUTAGE - 1)).toBe(false);
  });
});
