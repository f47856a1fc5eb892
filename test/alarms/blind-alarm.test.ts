/**
 * The opt-in "SLI went blind" alert: its alarm as synthesized, how it joins the SLO's composites
 * (names and tags the escalation function reads stay as they are), its cost, and its behaviour
 * proven on the synthesized template: it pages once the SLI has counted nothing for `after`, clears
 * with the first events, and stays quiet on sparse but steady traffic.
 */
import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AlertPolicy, BlindAlertProps, EscalationPolicy, Notify, ReliableService, Severity, Sli, SloProps } from '../../lib';
import { blindAlarmDescription, blindAlarmExpression, blindCondition, describeBlindCondition } from '../../lib/alarms/blind-alarm';
import { compositeAlarmDescription } from '../../lib/alarms/descriptions';
import { firstTransition, simulate, TrafficProfile } from '../../lib/simulation/simulator';
import { sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';
import { availability, newStack } from '../service/helpers';

const PAGE = 'checkout-availability-page';
const TICKET = 'checkout-availability-ticket';
const BLIND = 'checkout-availability-blind';

function service(slo: Partial<SloProps>, stack = newStack()) {
  const svc = new ReliableService(stack, 'Checkout', { serviceName: 'checkout', runbookUrl: 'https://wiki.example.com/checkout', slos: [availability(slo) as SloProps] });
  return { stack, svc, slo: svc.slo('availability'), template: Template.fromStack(stack) };
}

function compositeRule(template: Template, name: string): string {
  const found = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm', { Properties: { AlarmName: name } }));
  expect(found).toHaveLength(1);
  const rule = found[0].Properties.AlarmRule;
  return typeof rule === 'string' ? rule : rule['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : `<${(p as any)['Fn::GetAtt'][0]}>`)).join('');
}

/** `rate` events a minute before `stopAt` and from `resumeAt` on, none in between. */
function silence(stopAt: number, resumeAt: number, rate = 1_000): TrafficProfile {
  return { eventsPerMinute: (m) => (m >= stopAt && m < resumeAt ? 0 : rate), errorRatio: () => 0 };
}

describe('the blind alarm as synthesized', () => {
  test('is off by default: no blind alarm, composites unchanged', () => {
    const { template, slo } = service({});
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmName: BLIND }, 0);
    expect(slo.blindAlarm).toBeUndefined();
    expect(compositeRule(template, PAGE)).not.toMatch(/blind/);
  });

  test('FILL(total, 0) < expected events over one period of `after`, missing data breaching, reading only the total', () => {
    const { template } = service({ blindAlert: { after: Duration.minutes(20), expectedEvents: 5 } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: BLIND,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 5,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'breaching',
      Metrics: [
        Match.objectLike({ Expression: 'FILL(total0, 0)', ReturnData: true }),
        { Id: 'total0', ReturnData: false, MetricStat: Match.objectLike({ Period: 1_200, Stat: 'Sum', Metric: Match.objectLike({ MetricName: 'Requests' }) }) },
      ],
    });
  });

  test('joins the page composite: (tiers) OR ALARM(blind), with the composite\'s name, suppression of the ticket and escalation tags unchanged', () => {
    const stack = newStack();
    const escalation = new EscalationPolicy(stack, 'OnCall', { levels: [{ notify: [Notify.email('oncall@example.com')] }] });
    const svc = new ReliableService(stack, 'Checkout', { serviceName: 'checkout', escalation, slos: [availability({ blindAlert: {} }) as SloProps] });
    const template = Template.fromStack(stack);
    const rule = compositeRule(template, PAGE);
    expect(rule).toMatch(/^\(\(ALARM\("<Checkoutavailabilitypage1h5mlong\w+>"\) AND ALARM\("<\w+>"\)\) OR \(ALARM\("<Checkoutavailabilitypage6h30mlong\w+>"\) AND ALARM\("<\w+>"\)\) OR ALARM\("<Checkoutavailabilityblind\w+>"\)\)$/);
    expect(compositeRule(template, TICKET)).not.toMatch(/blind/);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: PAGE,
      Tags: Match.arrayWith([{ Key: 'cdk-reliability:severity', Value: 'page' }, { Key: 'cdk-reliability:slo', Value: 'availability' }]),
      AlarmActions: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmName: TICKET, ActionsSuppressor: { 'Fn::GetAtt': [Match.stringLikeRegexp('Checkoutavailabilitypage'), 'Arn'] } });
    // the blind alarm itself notifies nobody: only its composite does
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: BLIND, AlarmActions: Match.absent() });
    expect(svc.slo('availability').pageAlarm).toBeDefined();
  });

  test('severity ticket joins the ticket composite instead', () => {
    const { template } = service({ blindAlert: { severity: Severity.TICKET } });
    expect(compositeRule(template, TICKET)).toMatch(/OR ALARM\("<Checkoutavailabilityblind\w+>"\)\)$/);
    expect(compositeRule(template, PAGE)).not.toMatch(/blind/);
  });

  test('a ticket blind alert on an SLO without ticket tiers gets a ticket composite of its own, muted while the page fires', () => {
    const { template, slo } = service({ alerting: AlertPolicy.workbook({ tickets: false }), blindAlert: { severity: Severity.TICKET } });
    expect(compositeRule(template, TICKET)).toMatch(/^ALARM\("<Checkoutavailabilityblind\w+>"\)$/);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: TICKET,
      ActionsSuppressor: { 'Fn::GetAtt': [Match.stringLikeRegexp('Checkoutavailabilitypage'), 'Arn'] },
      ActionsSuppressorWaitPeriod: 60,
      ActionsSuppressorExtensionPeriod: 60,
      AlarmDescription: Match.stringLikeRegexp('^Ticket for SLO checkout/availability: ALARM while the SLI is blind: fewer than 1 event over the last 15m'),
    });
    expect(slo.ticketAlarm).toBeDefined();
  });

  test('a page blind alert on an SLO whose page tiers cannot fire gets a page composite, and the ticket is muted by it', () => {
    // 80 %: 100 % errors burn at most 5x, under both page tiers (14.4x, 6x); the ticket tiers (3x, 1x) remain
    const { template, slo } = service({ objective: 80, blindAlert: {} });
    expect(compositeRule(template, PAGE)).toMatch(/^ALARM\("<Checkoutavailabilityblind\w+>"\)$/);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: TICKET, ActionsSuppressor: { 'Fn::GetAtt': [Match.stringLikeRegexp('Checkoutavailabilitypage'), 'Arn'] }, ActionsSuppressorWaitPeriod: 60,
    });
    expect(slo.pageAlarm).toBeDefined();
    // 4 ticket window alarms reading 2 metrics, the blind alarm reading 1, and 2 composites
    expect(slo.estimatedMonthlyCostUsd).toBeCloseTo(8 * 0.1 + 0.1 + 2 * 0.5, 10);
  });

  test('descriptions say what it watches, what to check, where it notifies, and keep the runbook', () => {
    const { template } = service({ blindAlert: {} });
    const blind = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: BLIND } }))[0].Properties.AlarmDescription;
    expect(blind).toMatch(/^SLI blind \(page\): ALARM when the SLI of SLO checkout\/availability counts fewer than 1 event over the last 15m \(FILL\(total0, 0\); no data at all is breaching\)/);
    expect(blind).toMatch(/Notifies only through checkout-availability-page\./);
    expect(blind).toMatch(/ Runbook: https:\/\/wiki.example.com\/checkout$/);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: PAGE,
      AlarmDescription: Match.stringLikeRegexp('\\(5% of the budget in 6h\\)\\. Also ALARM while the SLI is blind: fewer than 1 event over the last 15m \\(checkout-availability-blind\\)\\. SLO checkout/availability: .* Runbook: https://wiki.example.com/checkout$'),
    });
  });

  test('costs $0.10 per metric of the total and no composite when it joins one', () => {
    const off = service({}).slo.estimatedMonthlyCostUsd;
    expect(service({ blindAlert: {} }).slo.estimatedMonthlyCostUsd).toBeCloseTo(off + 0.1, 10);
    // Lambda: Invocations + Throttles
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
    const without = new ReliableService(stack, 'A', { serviceName: 'a', slos: [{ name: 'availability', objective: 99.9, sli: Sli.lambdaAvailability(fn) }] });
    const withBlind = new ReliableService(stack, 'B', { serviceName: 'b', slos: [{ name: 'availability', objective: 99.9, sli: Sli.lambdaAvailability(fn), blindAlert: {} }] });
    expect(withBlind.slo('availability').estimatedMonthlyCostUsd).toBeCloseTo(without.slo('availability').estimatedMonthlyCostUsd + 0.2, 10);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'b-availability-blind',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL((FILL(total0, 0) + FILL(total1, 0)), 0)' })]),
    });
  });

  test('a latency SLI counts its samples', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
    new ReliableService(stack, 'A', { serviceName: 'a', slos: [{ name: 'latency', objective: 99, sli: Sli.lambdaLatency(fn, { threshold: Duration.millis(300) }), blindAlert: {} }] });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'a-latency-blind',
      Metrics: [Match.objectLike({ Expression: 'FILL(total0, 0)' }), Match.objectLike({ Id: 'total0', MetricStat: Match.objectLike({ Stat: 'SampleCount' }) })],
    });
  });

  test('the service dashboard shows its state beside the composites', () => {
    const { template } = service({ blindAlert: {} });
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(JSON.stringify(dashboard.Properties.DashboardBody)).toMatch(/Checkoutavailabilityblind\w+/);
  });

  test('the service\'s experiments stop on the page composite that now also reads the blind alarm', () => {
    const { svc, slo } = service({ blindAlert: {} });
    expect(slo.pageAlarm).toBeDefined();
    expect(svc.slos.flatMap((s) => (s.pageAlarm ? [s.pageAlarm] : []))).toContain(slo.pageAlarm);
  });
});

describe('the blind alert\'s props are checked', () => {
  const build = (blindAlert: unknown) => () => service({ blindAlert: blindAlert as BlindAlertProps });

  test.each([
    [null, /blindAlert: must be \{ severity\?, after\?, expectedEvents\? \} \(an empty object turns it on with the defaults\), got null/],
    [true, /blindAlert: must be \{ severity\?, after\?, expectedEvents\? \}.*got true/],
    [{ severity: 'critical' }, /blindAlert.severity: must be Severity.PAGE or Severity.TICKET, got "critical"/],
    [{ after: Duration.minutes(2) }, /blindAlert.after: must be at least 5 minutes: service metrics reach CloudWatch 1-3 minutes late.*got 2m/],
    [{ after: Duration.seconds(330) }, /blindAlert.after: must be a whole number of minutes/],
    [{ after: Duration.days(8) }, /blindAlert.after: must be at most 7 days/],
    [{ after: 900 }, /blindAlert.after: must be a Duration \(e.g. Duration.minutes\(15\)\), got 900 \(a number\)/],
    [{ after: Duration.minutes(Token.asNumber({ Ref: 'M' })) }, /blindAlert.after: must be a concrete Duration/],
    [{ expectedEvents: 0 }, /blindAlert.expectedEvents: must be a whole number of events >= 1, got 0/],
    [{ expectedEvents: 2.5 }, /blindAlert.expectedEvents: must be a whole number of events >= 1, got 2.5/],
  ])('%p', (blindAlert, message) => {
    expect(build(blindAlert)).toThrow(message);
  });

  test('every problem at once, with the construct path', () => {
    expect(build({ severity: 'x', expectedEvents: -1 })).toThrow(/^Shop\/Checkout\/availability: 2 problems:\n {2}- blindAlert.severity: .*\n {2}- blindAlert.expectedEvents: /);
  });
});

describe('the blind alert\'s behaviour on the synthesized alarms', () => {
  const model = (blindAlert: BlindAlertProps) => sloAlarmsFromTemplate(service({ blindAlert }).template.toJSON(), 'checkout', 'availability');

  test('steady traffic never wakes anyone', () => {
    const result = simulate(model({}), silence(Infinity, Infinity), 24 * 60);
    expect(result.notifications).toEqual([]);
  });

  test('when the SLI counts nothing (traffic stops, or its metric does), it pages after `after` and clears with the first events back', () => {
    const result = simulate(model({}), silence(0, 60), 120);
    expect(firstTransition(result, BLIND)).toBe(15);
    expect(result.notifications).toEqual([
      { minute: 15, alarm: PAGE, state: 'ALARM' },
      // the first events back (minute 60) reach CloudWatch 2 minutes late (simulate's default ingestion delay)
      { minute: 63, alarm: PAGE, state: 'OK' },
    ]);
  });

  test('without it, the same silence alerts nobody: the burn-rate tiers read no traffic as healthy', () => {
    const stack = newStack();
    new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability() as SloProps] });
    const result = simulate(sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability'), silence(0, 600), 720);
    expect(result.notifications).toEqual([]);
  });

  test('`after` sets the delay', () => {
    expect(firstTransition(simulate(model({ after: Duration.minutes(45) }), silence(0, 600), 120), PAGE)).toBe(45);
  });

  test('sparse traffic (one event every 10 minutes) keeps a 15-minute window busy; a higher expectedEvents sees the drop', () => {
    const sparse: TrafficProfile = { eventsPerMinute: (m) => (((m % 10) + 10) % 10 === 0 ? 1 : 0), errorRatio: () => 0 };
    expect(simulate(model({}), sparse, 24 * 60).notifications).toEqual([]);
    expect(firstTransition(simulate(model({ expectedEvents: 3 }), sparse, 60), PAGE)).toBeDefined();
  });

  test('a ticket blind alert opens a ticket instead', () => {
    const result = simulate(model({ severity: Severity.TICKET }), silence(0, 60), 120);
    expect(result.notifications).toEqual([
      // each a minute late: the ticket waits the suppressor's 60 s wait period, in which the page did not fire
      { minute: 16, alarm: TICKET, state: 'ALARM' },
      { minute: 64, alarm: TICKET, state: 'OK' }, // and the events back are seen 2 minutes late (ingestion delay)
    ]);
  });
});

describe('pure parts', () => {
  test('the expression reads only the metrics of the total, whatever the SLI binds', () => {
    const binding = availability().sli.bind();
    const blind = blindAlarmExpression(binding);
    expect(blind.expression).toBe('FILL(total0, 0)');
    expect(Object.keys(blind.usingMetrics)).toEqual(['total0']);
    expect(blind.metricCount).toBe(1);
  });

  test('conditions read as people say them', () => {
    expect(describeBlindCondition({ severity: Severity.PAGE, afterSeconds: 900, expectedEvents: 1 })).toBe('fewer than 1 event over the last 15m');
    expect(describeBlindCondition({ severity: Severity.PAGE, afterSeconds: 3_600, expectedEvents: 20 })).toBe('fewer than 20 events over the last 1h');
  });

  const facts = {
    serviceName: 'checkout', sloName: 'availability', objective: 99.9, sloWindowSeconds: 2_592_000, errorBudget: 0.001,
    sliDescription: `${'x'.repeat(1_000)}😀 tail`, runbookUrl: 'https://wiki.example.com/rb',
  };

  test('a long description is cut before the runbook, never inside a surrogate pair, at 1 024 characters', () => {
    const text = blindAlarmDescription(facts, { severity: Severity.PAGE, afterSeconds: 900, expectedEvents: 1 }, 'total0');
    expect(text.length).toBeLessThanOrEqual(1_024);
    expect(text).toMatch(/… Runbook: https:\/\/wiki.example.com\/rb$/);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  test('the composite sentence goes after the tiers, before the suppression, the SLO summary and the runbook', () => {
    const config = { severity: Severity.TICKET, afterSeconds: 900, expectedEvents: 1 };
    const short = { ...facts, sliDescription: 'requests' };
    const tier = service({}).slo.tiers.find((t) => t.severity === Severity.TICKET)!;
    expect(compositeAlarmDescription(short, Severity.TICKET, [tier], 'checkout-availability-page', [blindCondition(short, config)]))
      .toBe('Ticket for SLO checkout/availability: ALARM while the error budget burns at 3x over 1d and 2h (10% of the budget in 1d). '
        + 'Also ALARM while the SLI is blind: fewer than 1 event over the last 15m (checkout-availability-blind). '
        + 'Actions are suppressed while checkout-availability-page is in ALARM; a ticket still burning when the page clears is raised then. '
        + 'SLO checkout/availability: 99.9% good over 30d (error budget 0.1%); SLI: requests. Runbook: https://wiki.example.com/rb');
  });

  test('a composite of the blind alarm alone says so', () => {
    const short = { ...facts, sliDescription: 'requests' };
    expect(compositeAlarmDescription(short, Severity.PAGE, [], undefined, [blindCondition(short, { severity: Severity.PAGE, afterSeconds: 900, expectedEvents: 1 })]))
      .toBe('Page for SLO checkout/availability: ALARM while the SLI is blind: fewer than 1 event over the last 15m (checkout-availability-blind). '
        + 'No page tier of this SLO is configured or can fire. SLO: 99.9% good over 30d; SLI: requests. Runbook: https://wiki.example.com/rb');
  });
});

test('an app with a blind alert synthesizes', () => {
  const app = new App();
  const stack = new Stack(app, 'Shop');
  new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability({ blindAlert: { severity: Severity.TICKET, after: Duration.hours(1), expectedEvents: 10 } }) as SloProps] });
  expect(() => app.synth()).not.toThrow();
  Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
});
