/**
 * A rate published as an `Average` (CloudFront's `5xxErrorRate`, percent) beside a count
 * (`Requests`, `Sum`): how traffic becomes the two metrics (`trafficScenario`), and how the
 * evaluator reads an `Average` over a window of several minutes: CloudWatch's Sum / SampleCount of
 * the period's samples, the mean of the minutes' rates for one datapoint a minute.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { ReliableService, Sli } from '../../lib';
import { MetricIdentity, metricIdentityKey } from '../../lib/simulation/evaluator';
import { AlertTimeline } from '../../lib/simulation/outcome';
import { constantTraffic, eventShares, trafficScenario } from '../../lib/simulation/scenario';
import { sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';

const stack = new Stack(new App(), 'Edge', { env: { account: '111111111111', region: 'us-east-1' } });
const distribution = new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('origin.example.com') } });
new ReliableService(stack, 'Checkout', { serviceName: 'checkout', dashboard: false, slos: [{ name: 'availability', objective: 99.9, sli: Sli.distributionAvailability(distribution) }] });
const model = sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability');
const metric = (name: string): MetricIdentity => {
  const found = Object.values(model.windowAlarms[0].metrics).find((m) => m.metricName === name)!;
  return { ...found, key: metricIdentityKey(found) };
};

describe('a rate times a count (CloudFront) from traffic', () => {
  test('Requests counts every request, 5xxErrorRate publishes the minute\'s share of 5xx in percent', () => {
    const shares = eventShares(model);
    expect(shares.get(metric('Requests').key)).toEqual({ events: 1, bad: 0 });
    expect(shares.get(metric('5xxErrorRate').key)).toEqual({ events: 0, bad: 0, rate: 100 });
    const scenario = trafficScenario(model, constantTraffic(1_000, 0.02));
    expect(scenario(metric('Requests'), 0)).toBe(1_000);
    expect(scenario(metric('5xxErrorRate'), 0)).toBeCloseTo(2);
  });

  test('a minute without requests publishes neither metric', () => {
    const scenario = trafficScenario(model, constantTraffic(0, 1));
    expect([scenario(metric('Requests'), 0), scenario(metric('5xxErrorRate'), 0)]).toEqual([undefined, undefined]);
  });
});

describe('an Average over a window of several minutes', () => {
  // 10 requests all failing in minute 0, then 1 000 good ones a minute: 10 of 4 010 requests (0.25 %)
  // failed in minutes 0-4, but the mean of the 5 minutes' rates is 100 / 5 = 20 %
  const scenario = (m: MetricIdentity, minute: number) => {
    if (m.metricName === 'Requests') {
      return minute === 0 ? 10 : 1_000;
    }
    return minute === 0 ? 100 : 0;
  };

  test('is the mean of its minutes\' rates, not weighted by their requests: the 5-minute short window reads 20 % and fires', () => {
    const timeline = AlertTimeline.of(model, scenario, { minutes: 10, delayMinutes: 0 });
    expect(timeline.stateAt('checkout-availability-page-1h-5m-short', 4)).toBe('ALARM');
    // 20 % of the window's 4 010 requests: 802 counted bad for 10, over the 1h tier's 1.44 % on its long window too (100 / 60 = 1.7 %)
    expect(timeline.stateAt('checkout-availability-page-1h-5m-long', 4)).toBe('ALARM');
  });

  test('is 0 once the failed minute has left the window', () => {
    const timeline = AlertTimeline.of(model, scenario, { minutes: 10, delayMinutes: 0 });
    expect(timeline.stateAt('checkout-availability-page-1h-5m-short', 9)).toBe('OK');
  });
});
