/**
 * The window alarms of an SLO as synthesized, and what they do: the low-traffic guard proven on the
 * template with the simulator, the expressions evaluated on the windows of an outage in which a
 * metric stops, and the single statement about the metrics' own periods.
 */
import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { IMetric, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AlertPolicy, ISli, ReliableService, Severity, Sli, SliBinding, SloProps } from '../../lib';
import { evaluateMetricMath } from '../../lib/simulation/metric-math';
import { simulate, TrafficProfile } from '../../lib/simulation/simulator';
import { sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';
import { availability, counts, newStack } from '../service/helpers';

const PAGE = 'checkout-availability-page';
const TICKET = 'checkout-availability-ticket';
const HOUR = 60;
const DAY = 24 * HOUR;

function synthesize(slo: Partial<SloProps> = {}) {
  const stack = newStack();
  new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability(slo) as SloProps] });
  return { stack, model: sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability') };
}

/** One event every `every` minutes (also before minute 0: the windows start with that history), bad where `bad(m)`. */
function sparse(every: number, bad: (minute: number) => boolean, stopsAt = Infinity): TrafficProfile {
  return {
    eventsPerMinute: (m) => (m < stopsAt && ((m % every) + every) % every === 0 ? 1 : 0),
    errorRatio: (m) => (bad(m) ? 1 : 0),
  };
}

/** Minutes at which an alarm went into ALARM, and back to OK. */
function history(result: ReturnType<typeof simulate>, alarm: string): string[] {
  return result.transitions.filter((t) => t.alarm === alarm).map((t) => `${t.minute} ${t.state}`);
}

describe('the low-traffic guard (99.5 % over 28 days, minimumEvents 20, 5 events an hour)', () => {
  const { model } = synthesize({ objective: 99.5, window: Duration.days(28), minimumEvents: 20 });

  test('one failed event neither pages nor tickets, at any tier, over three days', () => {
    const result = simulate(model, sparse(12, (m) => m === 0), 3 * DAY);
    expect(result.notifications).toEqual([]);
    // the short windows see it (they are not guarded); no long window does, so no tier fires
    expect(result.transitions.filter((t) => t.state === 'ALARM').map((t) => t.alarm)).toEqual([
      'checkout-availability-page-1h-5m-short', 'checkout-availability-page-6h-30m-short',
      'checkout-availability-ticket-1d-2h-short', 'checkout-availability-ticket-3d-6h-short',
    ]);
  });

  test('without minimumEvents the single-failure floor alone keeps one failed event from paging or ticketing', () => {
    const { model: floorOnly } = synthesize({ objective: 99.5, window: Duration.days(28) });
    expect(simulate(floorOnly, sparse(12, (m) => m === 0), 3 * DAY).notifications).toEqual([]);
  });

  test('a sustained failure pages at its second failed event (12 minutes after the first) and the page holds while it lasts', () => {
    // every event from minute 0 on fails for 6 hours; the events come every 12 minutes
    const result = simulate(model, sparse(12, (m) => m >= 0 && m < 6 * HOUR), 8 * HOUR);
    // the 6h/30m tier: its long window needs 2 failed events of a guard of 36 (2/36 = 5.6 % > 2.8 %), its 30-minute short
    // window always holds an event: it fires when the second failed event (minute 12) reaches CloudWatch, 2 minutes late
    // (simulate's default ingestion delay; 13 in the ideal model), and holds until 30 minutes after the last failed event
    // (minute 348)
    expect(history(result, PAGE)).toEqual(['15 ALARM', '379 OK']);
  });

  test('what remains: when the gap between two events is longer than 30 minutes, the page clears and fires again at the next failed event', () => {
    // events every 12 minutes, except none between minute 60 and minute 108 (a 48-minute gap); every event from 0 on fails
    const gap: TrafficProfile = {
      eventsPerMinute: (m) => ((m > 60 && m < 108) ? 0 : (((m % 12) + 12) % 12 === 0 ? 1 : 0)),
      errorRatio: (m) => (m >= 0 ? 1 : 0),
    };
    const result = simulate(model, gap, 3 * HOUR);
    // both page tiers' short windows (5 and 30 minutes) hold no event from minute 91 to 108: no event is no evidence of errors;
    // each failed event pages once it reaches CloudWatch, 2 minutes late (simulate's default ingestion delay)
    expect(history(result, PAGE)).toEqual(['15 ALARM', '91 OK', '111 ALARM']);
  });
});

describe('after the traffic stops', () => {
  test('a page raised by an outage clears within one short window once no event arrives, instead of staying stale', () => {
    const { model } = synthesize();
    // 1000 events a minute, all bad from minute 0 to 10; no traffic at all from minute 10 on
    const stops: TrafficProfile = { eventsPerMinute: (m) => (m < 10 ? 1_000 : 0), errorRatio: (m) => (m >= 0 && m < 10 ? 1 : 0) };
    const result = simulate(model, stops, 3 * HOUR);
    // it pages when minute 0's errors arrive (2 minutes late, simulate's default ingestion delay); the 30-minute short window of
    // the 6h tier holds no error from minute 40 on, and its explicit 0 clears the page (the delay does not move it: the window
    // it reads holds no event either way)
    expect(history(result, PAGE)).toEqual(['3 ALARM', '40 OK']);
    // every window alarm evaluates to an explicit 0 (not breaching) when no metric has a datapoint
    for (const alarm of model.windowAlarms) {
      expect(evaluateMetricMath(alarm.expression, () => undefined)).toBe(0);
    }
  });
});

describe('an ALB whose targets are all gone: RequestCount stops, every request is an ELB 503', () => {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc });
  lb.addListener('Http', { port: 80 }).addTargets('App', { port: 80 });
  new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [{ name: 'availability', objective: 99.9, sli: Sli.loadBalancerAvailability(lb) }] });
  const model = sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability');
  const idOf = (alarm: (typeof model.windowAlarms)[number], metricName: string) =>
    Object.entries(alarm.metrics).find(([, m]) => m.metricName === metricName)![0];

  test('every window of every tier burns at the maximum while only ELB 5XX is published: the page holds for the whole outage', () => {
    for (const alarm of model.windowAlarms) {
      const elb = idOf(alarm, 'HTTPCode_ELB_5XX_Count');
      const value = evaluateMetricMath(alarm.expression, (id) => (id === elb ? 60 * alarm.periodSeconds / 60 : undefined));
      expect([alarm.name, value]).toEqual([alarm.name, 1000]);
      expect(value).toBeGreaterThan(alarm.threshold);
    }
  });

  test('a long window that still holds the traffic from before the outage burns at refused / (requests + refused)', () => {
    const alarm = model.windowAlarms.find((a) => a.name === 'checkout-availability-page-1h-5m-long')!;
    const values: Record<string, number> = { [idOf(alarm, 'RequestCount')]: 30_000, [idOf(alarm, 'HTTPCode_ELB_5XX_Count')]: 30_000 };
    // half an hour of 1000 requests a minute before, half an hour of 1000 refused requests a minute since: RequestCount
    // counts only the first half, so the ratio is read as 30 000 / 30 000 (the divisor is the larger of total and bad)
    expect(evaluateMetricMath(alarm.expression, (id) => values[id])).toBe(1000);
  });
});

describe('metrics with their own period', () => {
  const withPeriod = (m: Metric) => m.with({ period: Duration.minutes(1) });

  test('are read at each alarm\'s window, stated once as information instead of aws-cdk-lib\'s warning per alarm', () => {
    const { errors, requests } = counts();
    const { stack } = synthesize({ sli: Sli.ratio({ bad: withPeriod(errors), total: withPeriod(requests) }) });
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('overridden'))).toEqual([]);
    const infos = annotations.findInfo('*', Match.stringLikeRegexp('period'));
    expect(infos.map((i) => i.entry.data)).toEqual([
      'checkout/availability: the SLI\'s metrics were given a period of 1m; it is not used: each alarm evaluates its alert window as '
      + 'the period (5m, 30m, 1h, 2h, 6h, 1d, 3d), as CloudWatch reads every metric of a math alarm with the alarm\'s period.',
    ]);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'checkout-availability-ticket-3d-6h-long',
      Metrics: Match.arrayWith([Match.objectLike({ Id: 'total0', MetricStat: Match.objectLike({ Period: 259_200 }) })]),
    });
  });

  test('given by an ISli implemented elsewhere are handled the same way', () => {
    const requests = new Metric({ namespace: 'Shop', metricName: 'Requests', statistic: 'Sum', period: Duration.minutes(1) });
    const errors = new Metric({ namespace: 'Shop', metricName: 'Errors', statistic: 'Sum', period: Duration.minutes(1) });
    const custom: ISli = {
      kind: 'ratio',
      validate: () => [],
      bind: (): SliBinding => ({
        usingMetrics: { e: errors as IMetric, r: requests as IMetric }, badEvents: 'FILL(e, 0)', totalEvents: 'FILL(r, 0)', metricCount: 2, description: 'custom',
      }),
    };
    const { stack } = synthesize({ sli: custom });
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('overridden'))).toEqual([]);
    expect(annotations.findInfo('*', Match.stringLikeRegexp('given a period of 1m'))).toHaveLength(1);
  });

  test('metrics without a period of their own add no information', () => {
    const { stack } = synthesize();
    expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('period'))).toEqual([]);
  });
});

describe('windows shorter than the ingestion delay', () => {
  test('a short window under 5 minutes is warned about once per SLO: its newest minutes hold no data yet and read 0', () => {
    const alerting = AlertPolicy.fromTiers([
      { severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.minutes(24) }, // default short window: 2m
      { severity: Severity.PAGE, budgetSpentPercent: 5, longWindow: Duration.hours(6) },
    ]);
    const { stack } = synthesize({ alerting });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('ingestion-delay'));
    expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringMatching(
      /^checkout\/availability: the tier page 24m\/2m uses a window shorter than 5 minutes\. AWS service metrics arrive 1-3 minutes late/)]);
  });

  test('the Workbook\'s tiers (shortest window 5 minutes) get no such warning', () => {
    const { stack } = synthesize();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('ingestion-delay'))).toEqual([]);
  });
});

describe('statistics', () => {
  test('a ratio metric whose statistic counts no events is refused at construction, naming the SLO, the metric and what is allowed', () => {
    const { errors, requests } = counts();
    expect(() => synthesize({ sli: Sli.ratio({ bad: errors, total: requests.with({ statistic: 'p99' }) }) })).toThrow(
      /^Shop\/Checkout\/availability: sli: Sli.ratio `total` \(Shop Requests\) uses the statistic p99, which does not count events: use Sum .* or SampleCount/);
  });

  test('a latency SLI on a count metric is refused at construction', () => {
    const count = new Metric({ namespace: 'AWS/ApiGateway', metricName: 'Count', dimensionsMap: { ApiName: 'shop' } });
    expect(() => synthesize({ sli: Sli.latency({ metric: count, threshold: Duration.millis(300) }) })).toThrow(
      /^Shop\/Checkout\/availability: sli: Sli.latency `metric` AWS\/ApiGateway Count counts events, it does not measure time/);
  });
});

describe('the alarms of a default SLO', () => {
  test('leave no window alarm waiting for data: TreatMissingData is notBreaching, and the expression never yields none', () => {
    const { model } = synthesize();
    expect(new Set(model.windowAlarms.map((a) => a.treatMissingData))).toEqual(new Set(['notBreaching']));
    // bad events without a total: errors, at the maximum burn once they outnumber every long window's guard (1001 events)
    expect(model.windowAlarms.map((a) => evaluateMetricMath(a.expression, (id) => (id === 'bad0' ? 5_000 : undefined)))).toEqual(Array(8).fill(1000));
  });

  test('ticket: a single failure among a handful of events a day opens no ticket either', () => {
    const { model } = synthesize();
    const result = simulate(model, sparse(HOUR, (m) => m === 0), 3 * DAY);
    expect(result.notifications.filter((n) => n.alarm === TICKET || n.alarm === PAGE)).toEqual([]);
  });
});
