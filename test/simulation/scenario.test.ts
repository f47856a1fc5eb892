/**
 * Scenarios: traffic spread over an SLI's metrics by the role each plays in its bad and total
 * expressions, and the modifiers the failure-mode scenarios are built from.
 */
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { ISli, ReliableService, Sli, SloProps } from '../../lib';
import { MetricIdentity, metricIdentityKey } from '../../lib/simulation/evaluator';
import { constantTraffic, eventShares, incident, incidentWindow, matchesMetric, overrideMetric, publishedOnlyWhenNonZero, spreadTraffic, stopMetric, trafficScenario, trafficStopsAt } from '../../lib/simulation/scenario';
import { SloAlarmModel, sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';
import { availability, newStack } from '../service/helpers';

function model(sli: ISli, slo: Partial<SloProps> = {}): SloAlarmModel {
  const stack = newStack();
  new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability({ sli, ...slo }) as SloProps] });
  return sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability');
}

const metric = (metricName: string) => new Metric({ namespace: 'Shop', metricName, dimensionsMap: { Service: 'checkout' } });

/** Each metric's value in a minute of 1000 events, 20 of them bad, by metric name (and statistic when not Sum). */
function valuesAt(m: SloAlarmModel, options = {}): Record<string, number | undefined> {
  const scenario = trafficScenario(m, constantTraffic(1_000, 0.02), options);
  const out: Record<string, number | undefined> = {};
  for (const metricModel of Object.values(m.windowAlarms[0].metrics)) {
    const identity: MetricIdentity = { ...metricModel, key: metricIdentityKey(metricModel) };
    const name = metricModel.statistic === 'Sum' ? metricModel.metricName : `${metricModel.metricName} ${metricModel.statistic}`;
    out[name] = scenario(identity, 0);
  }
  return out;
}

describe('spreading traffic over the SLI\'s metrics', () => {
  test('one bad and one total metric: the bad events and all events', () => {
    expect(valuesAt(model(Sli.ratio({ bad: metric('Errors'), total: metric('Requests') })))).toEqual({ Errors: 20, Requests: 1000 });
  });

  test('several bad metrics: the first carries the bad events, unless another is named', () => {
    const m = model(Sli.ratio({ badMetrics: [metric('ELB5XX'), metric('Target5XX')], total: metric('Requests') }));
    expect(valuesAt(m)).toEqual({ ELB5XX: 20, Target5XX: 0, Requests: 1000 });
    expect(valuesAt(m, { badMetric: 'Target5XX' })).toEqual({ ELB5XX: 0, Target5XX: 20, Requests: 1000 });
  });

  test('a bad metric that is also a total (Lambda throttles) carries the bad events; the other total the rest', () => {
    const m = model(Sli.ratio({ badMetrics: [metric('Errors'), metric('Throttles')], totalMetrics: [metric('Invocations'), metric('Throttles')] }));
    expect(valuesAt(m)).toEqual({ Errors: 0, Throttles: 20, Invocations: 980 });
    // or the function's errors, when the scenario says so
    expect(valuesAt(m, { badMetric: 'Errors' })).toEqual({ Errors: 20, Throttles: 0, Invocations: 1000 });
  });

  test('a bad metric that is one of several totals, alone (the regression of issue 10, item 7)', () => {
    const m = model(Sli.ratio({ bad: metric('Rejected'), totalMetrics: [metric('Accepted'), metric('Rejected')] }));
    expect(valuesAt(m)).toEqual({ Rejected: 20, Accepted: 980 });
  });

  test('good events: the total carries all events, the good metric the good ones', () => {
    expect(valuesAt(model(Sli.ratio({ good: metric('Successes'), total: metric('Requests') })))).toEqual({ Successes: 980, Requests: 1000 });
    expect(valuesAt(model(Sli.ratio({ good: metric('Successes'), totalMetrics: [metric('Requests'), metric('Retries')] })))).toEqual(
      { Successes: 980, Requests: 1000, Retries: 0 });
  });

  test('a latency SLI: SampleCount counts every request, TC(:threshold) the fast ones', () => {
    const m = model(Sli.latency({ metric: metric('Latency'), threshold: Duration.millis(300) }));
    expect(valuesAt(m)).toEqual({ 'Latency SampleCount': 1000, 'Latency TC(:300)': 980 });
  });

  test('a math expression inside the SLI: its metrics carry the events', () => {
    const bad = new MathExpression({ expression: 'e1 + e2', usingMetrics: { e1: metric('Errors'), e2: metric('Timeouts') } });
    expect(valuesAt(model(Sli.ratio({ bad, total: metric('Requests') })))).toEqual({ Errors: 20, Timeouts: 0, Requests: 1000 });
  });

  test('the manifest\'s bad and total expressions give the roles when given', () => {
    const m = model(Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }));
    expect(valuesAt(m, { events: { badEvents: 'FILL(bad0, 0)', totalEvents: 'total0' } })).toEqual({ Errors: 20, Requests: 1000 });
    expect(() => eventShares(m, { events: { badEvents: 'IF(bad0 > 1, 1, 0)', totalEvents: 'total0' } })).toThrow(
      'alarm checkout-availability-page-1h-5m-long: cannot tell which metrics count bad and total events (IF(...) is not a sum of counts); '
        + 'give the value of each metric (a Scenario) instead of traffic');
  });

  test('refuses expressions whose events it cannot tell apart', () => {
    const m = model(Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }));
    // bad events counted twice: no split of the events makes both expressions right
    expect(() => eventShares(m, { events: { badEvents: 'total0 + FILL(bad0, 0)', totalEvents: 'total0' } })).toThrow(
      /cannot distribute events over the SLI's metrics so that its bad and total expressions count them \(bad: Requests \+ Errors; total: Requests\)/);
    const notBurnRate: SloAlarmModel = { ...m, windowAlarms: m.windowAlarms.map((a) => ({ ...a, expression: { kind: 'id', id: 'bad0' } })) };
    expect(() => eventShares(notBurnRate)).toThrow(/no alarm expression divides bad by total events/);
  });

  test('a metric the bad and total expressions do not read is refused, unless the scenario gives its values', () => {
    const m = model(Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }));
    const hosts: MetricIdentity = { namespace: 'AWS/ApplicationELB', metricName: 'HealthyHostCount', dimensions: {}, statistic: 'Sum', key: 'h' };
    const scenario = trafficScenario(m, constantTraffic(100));
    expect(() => scenario(hosts, 0)).toThrow(
      'AWS/ApplicationELB HealthyHostCount (Sum) counts neither the SLI\'s bad nor its total events, so traffic does not say what it publishes: '
        + 'give its values (overrideMetric) or a Scenario');
    expect(overrideMetric(scenario, 'HealthyHostCount', () => 2)(hosts, 0)).toBe(2);
  });

  test('a minute without events publishes nothing; a 100 % error ratio leaves no negative good count', () => {
    const m = model(Sli.latency({ metric: metric('Latency'), threshold: Duration.millis(300) }));
    const scenario = trafficScenario(m, incident({ errorRatio: 1, durationMinutes: 10, eventsPerMinute: 3 }));
    const good = Object.values(m.windowAlarms[0].metrics).find((x) => x.statistic === 'TC(:300)')!;
    const identity = { ...good, key: metricIdentityKey(good) };
    expect([scenario(identity, -1), scenario(identity, 0), scenario(identity, 10)]).toEqual([3, 0, 3]);
    expect(trafficScenario(m, constantTraffic(0))(identity, 0)).toBeUndefined();
  });
});

describe('building scenarios', () => {
  const requests: MetricIdentity = { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: 'app/x' }, statistic: 'Sum', key: 'r' };
  const errors: MetricIdentity = { ...requests, metricName: 'HTTPCode_ELB_5XX_Count', key: 'e' };
  const base = (m: MetricIdentity, minute: number) => (m === requests ? 100 : minute % 2);

  test('matches metrics by name, by fields or by a predicate', () => {
    expect(matchesMetric('RequestCount', requests)).toBe(true);
    expect(matchesMetric({ namespace: 'AWS/ApplicationELB', dimensions: { LoadBalancer: 'app/x' } }, errors)).toBe(true);
    expect(matchesMetric({ metricName: 'RequestCount', statistic: 'SampleCount' }, requests)).toBe(false);
    expect(matchesMetric((m) => m.metricName.startsWith('HTTPCode_'), errors)).toBe(true);
  });

  test('a metric that stops publishing for a while, the others unchanged', () => {
    const s = stopMetric(base, 'RequestCount', 10, 20);
    expect([s(requests, 9), s(requests, 10), s(requests, 19), s(requests, 20), s(errors, 15)]).toEqual([100, undefined, undefined, 100, 1]);
  });

  test('a metric published only when it is not zero', () => {
    const s = publishedOnlyWhenNonZero(base, 'HTTPCode_ELB_5XX_Count');
    expect([s(errors, 1), s(errors, 2), s(requests, 2)]).toEqual([1, undefined, 100]);
  });

  test('a metric with values of its own', () => {
    const s = overrideMetric(base, errors.metricName, (minute, original) => (minute >= 5 ? 50 : original()));
    expect([s(errors, 3), s(errors, 5), s(requests, 5)]).toEqual([1, 50, 100]);
  });

  test('low traffic as whole events: 5 an hour is one every 12 minutes, the first at minute 0', () => {
    const profile = spreadTraffic(5);
    const minutes = Array.from({ length: 60 }, (_, m) => profile.eventsPerMinute(m));
    expect(minutes.reduce((a, b) => a + b)).toBe(5);
    expect(minutes.map((n, m) => (n > 0 ? m : -1)).filter((m) => m >= 0)).toEqual([0, 12, 24, 36, 48]);
    expect(profile.eventsPerMinute(-12)).toBe(1);
    expect([0, 1, 59].map(spreadTraffic(150).eventsPerMinute)).toEqual([3, 2, 2]); // 2.5 a minute
    expect(() => spreadTraffic(0)).toThrow('spreadTraffic: eventsPerHour must be a number above 0, got 0');
  });

  test('an incident in any traffic, and traffic that stops', () => {
    const profile = trafficStopsAt(incidentWindow(constantTraffic(10, 0.001), 5, 8, 1), 30);
    expect([4, 5, 7, 8].map((m) => profile.errorRatio(m))).toEqual([0.001, 1, 1, 0.001]);
    expect([29, 30, 100].map((m) => profile.eventsPerMinute(m))).toEqual([10, 0, 0]);
  });
});
