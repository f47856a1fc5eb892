/**
 * The Lambda asynchronous-invocation preset: AsyncEventsDropped over AsyncEventsReceived, the burn
 * rate it gives, the alarms it synthesizes and how the faithful evaluator pages on dropped events.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ReliableService, Sli } from '../../lib';
import { AlertTimeline } from '../../lib/simulation/outcome';
import { newStack } from '../service/helpers';
import { burnRate, metricsOf, sloOn, windowAlarm } from './helpers';

const fn = (stack = newStack()) => lambda.Function.fromFunctionName(stack, 'Resize', 'resize-images');

describe('Sli.lambdaAsyncAvailability', () => {
  test('reads AsyncEventsDropped (Sum) over AsyncEventsReceived (Sum) by FunctionName', () => {
    const b = Sli.lambdaAsyncAvailability(fn()).bind();
    expect(metricsOf(b)).toEqual({
      bad0: 'AWS/Lambda AsyncEventsDropped Sum {FunctionName=<token>}',
      total0: 'AWS/Lambda AsyncEventsReceived Sum {FunctionName=<token>}',
    });
    expect(b.description).toBe('AsyncEventsDropped over AsyncEventsReceived of function Resize');
  });

  test('1 dropped event in 1000 received burns at 1, 1 in 100 at 10; drops without receipts read as all bad', () => {
    const b = Sli.lambdaAsyncAvailability(fn()).bind();
    expect(burnRate(b, { bad0: 1, total0: 1000 })).toBeCloseTo(1);
    expect(burnRate(b, { bad0: 10, total0: 1000 })).toBeCloseTo(10);
    expect(burnRate(b, { bad0: 5, total0: 0 })).toBeCloseTo(1000);
  });

  test('the alarms read the function by its reference; DestinationDeliveryFailures and DeadLetterErrors are not counted', () => {
    const { template } = sloOn((s) => Sli.lambdaAsyncAvailability(new lambda.Function(s, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1'),
    })));
    const metrics = windowAlarm(template, 'page-1h-5m-long').Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
    expect(metrics).toHaveLength(2);
    expect(metrics).toEqual(expect.arrayContaining([
      { Metric: { Namespace: 'AWS/Lambda', MetricName: 'AsyncEventsDropped', Dimensions: [{ Name: 'FunctionName', Value: { Ref: expect.stringMatching(/^Fn/) } }] }, Period: 3600, Stat: 'Sum' },
      { Metric: { Namespace: 'AWS/Lambda', MetricName: 'AsyncEventsReceived', Dimensions: [{ Name: 'FunctionName', Value: { Ref: expect.stringMatching(/^Fn/) } }] }, Period: 3600, Stat: 'Sum' },
    ]));
  });

  test('in the faithful evaluator, a function that drops every event for an hour pages within 5 minutes and a healthy one never alerts', () => {
    const { model } = sloOn((s) => Sli.lambdaAsyncAvailability(lambda.Function.fromFunctionName(s, 'Fn', 'resize-images')), 99.9);
    // AsyncEventsDropped is published only while events are dropped
    const dropping = (from: number, minutes: number) => (metric: { metricName: string }, minute: number) => {
      const during = minute >= from && minute < from + minutes;
      return metric.metricName === 'AsyncEventsReceived' ? 100 : during ? 100 : undefined;
    };
    const outage = AlertTimeline.of(model, dropping(10, 60), { minutes: 240 });
    expect(outage.firstPage()).toBeGreaterThanOrEqual(10);
    expect(outage.firstPage()).toBeLessThanOrEqual(15);
    const healthy = AlertTimeline.of(model, dropping(0, 0), { minutes: 1_500 });
    expect(healthy.intervals('page')).toEqual([]);
    expect(healthy.intervals('ticket')).toEqual([]);
  });

  test('a bad function is refused, naming the SLO', () => {
    const stack = newStack();
    expect(() => new ReliableService(stack, 'Svc', { serviceName: 'svc', dashboard: false, slos: [{ name: 'slo', objective: 99.9, sli: Sli.lambdaAsyncAvailability({} as never) }] }))
      .toThrow(/Svc\/slo.*Sli.lambdaAsyncAvailability: fn must be an IFunction/s);
  });
});
