/**
 * The evaluator on the default policy's synthesized alarms: what CloudWatch's documented rules do
 * to detection and clearing (the ingestion delay, the evaluation range after metrics stop, FILL
 * over a series without datapoints), the result API, and what it refuses.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { ReliableService, SloProps } from '../../lib';
import { evaluateAlarms, Scenario } from '../../lib/simulation/evaluator';
import { parseMetricMath } from '../../lib/simulation/metric-math';
import { AlertTimeline } from '../../lib/simulation/outcome';
import { constantTraffic, incident, publishedOnlyWhenNonZero, trafficScenario, trafficStopsAt } from '../../lib/simulation/scenario';
import { SloAlarmModel, sloAlarmsFromTemplate, WindowAlarmModel } from '../../lib/simulation/template-alarms';
import { availability, newStack } from '../service/helpers';

function synthesize(slo: Partial<SloProps> = {}): SloAlarmModel {
  const stack = newStack();
  new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability(slo) as SloProps] });
  return sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability');
}

const model = synthesize();
const run = (scenario: Scenario, minutes: number, delayMinutes?: number) =>
  AlertTimeline.of(model, scenario, { minutes, ...(delayMinutes === undefined ? {} : { delayMinutes }) });
const traffic = (profile: Parameters<typeof trafficScenario>[1]) => trafficScenario(model, profile);

describe('the ingestion delay', () => {
  test('a total outage pages when its first minute\'s metrics arrive: at 1 without delay, at 3 with the default 2 minutes', () => {
    const outage = traffic(incident({ errorRatio: 1, durationMinutes: 60 }));
    expect(run(outage, 60, 0).firstPage()).toBe(1);
    expect(run(outage, 60).firstPage()).toBe(3);
    expect(run(outage, 60, 3).firstPage()).toBe(4);
  });

  test('10 % errors page after 8.64 minutes in the formula, 10.4 with metrics 2 minutes late (windows 2 minutes shorter on both ends)', () => {
    // the 1h window then reads minutes t-60 .. t-3: (t - 2) x 10 % / 58 min > 1.44 % at t > 10.35
    const errors = traffic(incident({ errorRatio: 0.1, durationMinutes: 60 }));
    expect(run(errors, 60, 0).firstPage()).toBe(9);
    expect(run(errors, 60).firstPage()).toBe(11);
  });
});

describe('the evaluation range when metrics stop', () => {
  // the expression every window alarm had before the guarded divisor (lib/alarms/expression.ts):
  // no datapoint at all once `total0` stops
  const blankWhenIdle: SloAlarmModel = {
    ...model,
    windowAlarms: model.windowAlarms.map((a): WindowAlarmModel => ({ ...a, expression: parseMetricMath('IF(total0 > 0, FILL(bad0, 0) / total0, 0) / 0.001') })),
  };

  test('an expression that goes blank when traffic stops holds a 10-minute outage\'s page until 100, not 40 (CloudWatch judges on the most recent existing datapoint)', () => {
    const stops = traffic(trafficStopsAt(incident({ errorRatio: 1, durationMinutes: 10 }), 10));
    const ideal = AlertTimeline.of(blankWhenIdle, traffic(incident({ errorRatio: 1, durationMinutes: 10 })), { minutes: 200 });
    expect(ideal.pageClearedAt()).toBe(40); // the 30m window is clean 30 minutes after the last error
    const stale = AlertTimeline.of(blankWhenIdle, stops, { minutes: 200 });
    // from 40 the 30m window's newest datapoint is empty (no traffic); the one before holds the
    // outage until 69, the one before that until 99; at 100 the whole range is empty and
    // TreatMissingData (notBreaching) applies
    expect(stale.firstPage()).toBe(3);
    expect(stale.pageHeldThrough(99)).toBe(true);
    expect(stale.pageClearedAt()).toBe(100);
    expect(stale.stateAt('checkout-availability-page-6h-30m-short', 99)).toBe('ALARM');
  });

  test.each([false, true])('the synthesized alarms (every metric FILLed, divisor max(T, B, N)) clear that page at 40, as if traffic went on (fillEmptySeries %p)', (fillEmptySeries) => {
    // FILL fills the newest, empty window while the evaluation range still holds the outage: an
    // explicit 0; once the range is empty too, TreatMissingData (notBreaching) applies. Neither
    // reading of FILL over an all-empty series leaves a stale page.
    const stops = traffic(trafficStopsAt(incident({ errorRatio: 1, durationMinutes: 10 }), 10));
    const timeline = AlertTimeline.of(model, stops, { minutes: 200, fillEmptySeries });
    expect(timeline.intervals('page')).toEqual([{ from: 3, to: 40 }]);
  });

  test('with no datapoint retrieved beyond the evaluation period, the same page would clear at 40, as if traffic went on', () => {
    const stops = traffic(trafficStopsAt(incident({ errorRatio: 1, durationMinutes: 10 }), 10));
    expect(AlertTimeline.of(blankWhenIdle, stops, { minutes: 200, extraRangeDatapoints: 0 }).pageClearedAt()).toBe(40);
  });

  test('no traffic at all never alerts', () => {
    expect(run(traffic(constantTraffic(0)), 4 * 1_440).result.transitions).toEqual([]);
  });
});

describe('FILL over a series with no datapoint in the evaluation range', () => {
  // an alarm whose expression is FILL(bad0, 0) + 1 > 0.5: ALARM exactly when FILL gives a value
  const probe: SloAlarmModel = {
    ...model,
    windowAlarms: model.windowAlarms.map((a): WindowAlarmModel => ({ ...a, expression: parseMetricMath('FILL(bad0, 0) + 1'), threshold: 0.5 })),
  };
  // healthy traffic, bad0 (Errors) published only when not zero: it has no datapoint at all
  const healthy = publishedOnlyWhenNonZero(trafficScenario(model, constantTraffic(100)), 'Errors');

  test('gives no datapoint by default (AWS does not document it: the conservative model)', () => {
    expect(evaluateAlarms(probe, healthy, { minutes: 10 }).transitions).toEqual([]);
  });

  test('fills it when fillEmptySeries says FILL fills the whole range', () => {
    const result = evaluateAlarms(probe, healthy, { minutes: 10, fillEmptySeries: true });
    expect(result.transitions.filter((t) => t.alarm === 'checkout-availability-page')).toEqual([{ minute: 1, alarm: 'checkout-availability-page', state: 'ALARM' }]);
  });

  test('a FILL around FILLed metrics (the blind alarm\'s shape) has a series where a metric inside has one', () => {
    // FILL(FILL(bad0, 0) + FILL(bad0, 0), 0) + 1 > 0.5: ALARM exactly when the outer FILL gives a value
    const nested: SloAlarmModel = {
      ...probe,
      windowAlarms: probe.windowAlarms.map((a): WindowAlarmModel => ({ ...a, expression: parseMetricMath('FILL(FILL(bad0, 0) + FILL(bad0, 0), 0) + 1') })),
    };
    expect(evaluateAlarms(nested, healthy, { minutes: 10 }).transitions).toEqual([]);
    const withErrors = trafficScenario(model, constantTraffic(100, 0.5));
    expect(evaluateAlarms(nested, withErrors, { minutes: 10 }).transitions).toContainEqual({ minute: 1, alarm: 'checkout-availability-page', state: 'ALARM' });
  });
});

describe('the result in people\'s terms', () => {
  const outage = run(traffic(incident({ errorRatio: 1, durationMinutes: 10 })), 600);

  test('first page, page cleared, page held through a minute', () => {
    expect([outage.firstPage(), outage.pageClearedAt()]).toEqual([3, 40]);
    expect([outage.pageHeldThrough(39), outage.pageHeldThrough(40), outage.pageHeldThrough(2)]).toEqual([true, false, false]);
    expect([outage.alertingAt('page', 39), outage.alertingAt('page', 40)]).toEqual([true, false]);
    expect(outage.compositeName('page')).toBe('checkout-availability-page');
  });

  test('a ticket muted by the page goes to ALARM at 7 and is opened when the page clears (+ 1 min extension)', () => {
    expect([outage.firstTicketAlarm(), outage.ticketOpenedAt()]).toEqual([7, 41]);
    expect(outage.notifications('ticket').map((n) => [n.minute, n.state])).toEqual([[41, 'ALARM'], [371, 'OK']]);
  });

  test('the state of any alarm after a minute\'s evaluation', () => {
    expect(outage.stateAt('checkout-availability-page-1h-5m-short', 2)).toBe('OK');
    expect(outage.stateAt('checkout-availability-page-1h-5m-short', 3)).toBe('ALARM');
  });
});

describe('what the evaluator refuses, saying why', () => {
  const healthy = traffic(constantTraffic(100));
  const changed = (change: Partial<WindowAlarmModel>): SloAlarmModel => ({ ...model, windowAlarms: model.windowAlarms.map((a) => ({ ...a, ...change })) });

  test.each<[string, SloAlarmModel, object, string]>([
    // M out of N datapoints of any whole-minute period are modelled (time-slice SLIs), but not over FILL
    ['M out of N datapoints over an expression with FILL', changed({ evaluationPeriods: 3, datapointsToAlarm: 2 }), {},
      'alarm checkout-availability-page-1h-5m-long: FILL in an alarm on M out of N datapoints; the simulator models such alarms without FILL only'],
    ['M out of N datapoints of a percentile over more than a minute', {
      ...model,
      windowAlarms: model.windowAlarms.map((a) => ({
        ...a, evaluationPeriods: 3, datapointsToAlarm: 2, expression: parseMetricMath('IF(total0 < 5, 0, 1)'), metrics: { total0: { ...a.metrics.total0, statistic: 'p99' } },
      })),
    }, {}, 'alarm checkout-availability-page-1h-5m-long: total0 (Shop Requests) uses the statistic p99; the simulator models count statistics'],
    ['a high-resolution period', changed({ periodSeconds: 30 }), {},
      'alarm checkout-availability-page-1h-5m-long: period 30 s; the simulator models periods of whole minutes only'],
    ['an unknown TreatMissingData', changed({ treatMissingData: 'sometimes' }), {},
      'alarm checkout-availability-page-1h-5m-long: TreatMissingData sometimes is not one of missing, notBreaching, breaching, ignore'],
    // Average over several minutes is modelled for CloudFront's 5xxErrorRate only (the mean of its minutes,
    // test/simulation/average-rate.test.ts): nothing says another Average is one sample a minute
    ['an Average that is not CloudFront\'s 5xxErrorRate', {
      ...model,
      windowAlarms: model.windowAlarms.map((a) => ({ ...a, metrics: { ...a.metrics, bad0: { ...a.metrics.bad0, statistic: 'Average' } } })),
    }, {}, 'alarm checkout-availability-page-1h-5m-long: bad0 (Shop Errors) uses the statistic Average; the simulator models count statistics '
      + '(Sum, SampleCount, TC(:x)) only: they add up minute by minute'],
    ['a statistic that is not a count', {
      ...model,
      windowAlarms: model.windowAlarms.map((a) => ({ ...a, metrics: { ...a.metrics, total0: { ...a.metrics.total0, statistic: 'Maximum' } } })),
    }, {}, 'alarm checkout-availability-page-1h-5m-long: total0 (Shop Requests) uses the statistic Maximum; the simulator models count statistics '
      + '(Sum, SampleCount, TC(:x)) only: they add up minute by minute'],
    ['an expression reading an unknown id', changed({ expression: parseMetricMath('nope / 2') }), {},
      'alarm checkout-availability-page-1h-5m-long: expression reads nope, which is not one of its metrics'],
    ['expressions in a cycle', changed({ expression: parseMetricMath('e1'), expressions: { e1: 'e2 + 1', e2: 'e1' } }), {},
      'alarm checkout-availability-page-1h-5m-long: the math expressions e1 -> e2 -> e1 refer to each other in a cycle'],
    ['a fractional delay', model, { delayMinutes: 1.5 }, 'delayMinutes must be a whole number of minutes, 0 or more, got 1.5'],
    ['no minutes', model, { minutes: 0 }, 'minutes must be a whole number of at least 1, got 0'],
  ])('%s', (_, m, options, message) => {
    expect(() => evaluateAlarms(m, healthy, { minutes: 10, ...options })).toThrow(message);
  });

  test('a scenario value that is not a count', () => {
    const negative: Scenario = (metric) => (metric.metricName === 'Errors' ? -1 : 100);
    expect(() => evaluateAlarms(model, negative, { minutes: 10 })).toThrow(
      /^the scenario gave -1 for Shop Errors Sum at minute -\d+: a count is a finite number of 0 or more, or undefined for no datapoint$/);
  });
});
