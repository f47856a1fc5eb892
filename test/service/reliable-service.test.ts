import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AlertPolicy, ReliableService, Severity, Sli, TierWindow } from '../../lib';
import { burnRateExpression } from '../../lib/alarms/expression';
import { availability, counts, newStack } from './helpers';

describe('ReliableService with the default policy', () => {
  const stack = newStack();
  const checkout = new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability()] });
  const template = Template.fromStack(stack);

  test('creates 8 window alarms and 2 composites per SLO', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 2);
  });

  test('exposes the page and ticket composites under their stable names', () => {
    const slo = checkout.slo('availability');
    expect(stack.resolve(slo.pageAlarm!.alarmName)).toEqual({ Ref: expect.any(String) });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmName: 'checkout-availability-page' });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmName: 'checkout-availability-ticket' });
  });

  test.each([
    ['page-1h-5m-long', 3_600, 14.4, 70], ['page-1h-5m-short', 300, 14.4, 1],
    ['page-6h-30m-long', 21_600, 6, 167], ['page-6h-30m-short', 1_800, 6, 1],
    ['ticket-1d-2h-long', 86_400, 3, 334], ['ticket-1d-2h-short', 7_200, 3, 1],
    ['ticket-3d-6h-long', 259_200, 1, 1001], ['ticket-3d-6h-short', 21_600, 1, 1],
  ])('alarm checkout-availability-%s has Period %i, burn-rate threshold %d and judges fewer events as %i', (suffix, period, threshold, guard) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `checkout-availability-${suffix}`,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: burnRateExpression({ badEvents: 'FILL(bad0, 0)', totalEvents: 'FILL(total0, 0)' }, 0.001, guard), ReturnData: true }),
        Match.objectLike({ Id: 'total0', MetricStat: Match.objectLike({ Period: period, Stat: 'Sum' }), ReturnData: false }),
        Match.objectLike({ Id: 'bad0', MetricStat: Match.objectLike({ Period: period, Stat: 'Sum' }), ReturnData: false }),
      ]),
    });
  });

  test('the page composite is OR over page tiers of (long AND short)', () => {
    const composite = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm', { Properties: { AlarmName: 'checkout-availability-page' } }))[0];
    const rule = composite.Properties.AlarmRule['Fn::Join'][1].map((p: unknown) => typeof p === 'string' ? p : `<${(p as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]}>`).join('');
    expect(rule).toMatch(/^\(\(ALARM\("<Checkoutavailabilitypage1h5mlong\w+>"\) AND ALARM\("<Checkoutavailabilitypage1h5mshort\w+>"\)\) OR \(ALARM\("<Checkoutavailabilitypage6h30mlong\w+>"\) AND ALARM\("<Checkoutavailabilitypage6h30mshort\w+>"\)\)\)$/);
  });

  test('the ticket composite is muted while the page composite is in ALARM', () => {
    const pageId = stack.getLogicalId(checkout.slo('availability').pageAlarm!.node.defaultChild as never);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'checkout-availability-ticket',
      ActionsSuppressor: { 'Fn::GetAtt': [pageId, 'Arn'] },
      ActionsSuppressorWaitPeriod: 60,
      ActionsSuppressorExtensionPeriod: 60,
    });
  });

  test('every alarm describes its SLO, tier and window', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'checkout-availability-ticket-3d-6h-long',
      AlarmDescription: Match.stringLikeRegexp('^ticket tier 3d/6h, long window: ALARM when the burn rate over the last 3d exceeds 1x'),
    });
  });

  test('reports thresholds and an estimated cost of $2.60 per month', () => {
    const slo = checkout.slo('availability');
    expect(slo.tiers.map((t) => t.burnRate)).toEqual([14.4, 6, 3, 1]);
    expect(slo.errorBudget).toBe(0.001);
    expect(slo.estimatedMonthlyCostUsd).toBe(2.6);
    expect(slo.windowAlarms).toHaveLength(8);
  });

  test('names each window alarm after its tier and TierWindow, long before short', () => {
    const slo = checkout.slo('availability');
    expect(slo.windowAlarms.slice(0, 2).map((w) => [w.tier.id, w.window, w.windowSeconds])).toEqual([['page-1h-5m', TierWindow.LONG, 3600], ['page-1h-5m', TierWindow.SHORT, 300]]);
    expect(slo.windowAlarms.map((w) => w.alarm.node.id)).toEqual(slo.windowAlarms.map((w) => `${w.tier.id}-${w.window}`));
    expect(Object.values(TierWindow)).toEqual(['long', 'short']);
  });

  test('without an escalation policy, warns only that its alarms notify nobody', () => {
    // a service with no escalation still synthesizes; the one warning says who is not paged
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    expect(warnings.map((w) => w.id)).toEqual(['/Shop/Checkout']);
    expect(String(warnings[0].entry.data)).toMatch(/^Shop\/Checkout: service 'checkout' has no escalation policy, so its page and ticket alarms notify nobody\..*\[ack: cdk-reliability:no-escalation\]$/s);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 0);
  });
});

describe('ReliableService options', () => {
  test('a 28-day window derives 13.44 / 5.6 / 2.8 / 0.93 from the formula', () => {
    const stack = newStack();
    const svc = new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability({ window: Duration.days(28) })] });
    expect(svc.slo('availability').tiers.map((t) => Number(t.burnRate.toFixed(2)))).toEqual([13.44, 5.6, 2.8, 0.93]);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'checkout-availability-page-1h-5m-long', Threshold: 13.44 });
  });

  test('tickets can be turned off', () => {
    const stack = newStack();
    const svc = new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability({ alerting: AlertPolicy.workbook({ tickets: false }) })] });
    expect(svc.slo('availability').ticketAlarm).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    expect(Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'))[0].Properties.ActionsSuppressor).toBeUndefined();
  });

  test('custom tiers get their own thresholds and names', () => {
    const stack = newStack();
    new ReliableService(stack, 'Checkout', {
      serviceName: 'checkout',
      slos: [availability({
        alerting: AlertPolicy.fromTiers([
          { severity: Severity.PAGE, budgetSpentPercent: 5, longWindow: Duration.hours(2) },
          { severity: Severity.TICKET, budgetSpentPercent: 20, longWindow: Duration.days(2), shortWindow: Duration.hours(1) },
        ]),
      })],
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'checkout-availability-page-2h-10m-short', Threshold: 18 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'checkout-availability-ticket-2d-1h-long', Threshold: 3 });
  });

  test('the low-traffic guard applies to long windows only, each at max(minimumEvents, its single-failure floor)', () => {
    const stack = newStack();
    new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability({ minimumEvents: 100 })] });
    const template = Template.fromStack(stack);
    const counted = { badEvents: 'FILL(bad0, 0)', totalEvents: 'FILL(total0, 0)' };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'checkout-availability-page-1h-5m-long',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: burnRateExpression(counted, 0.001, 100) })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'checkout-availability-page-6h-30m-long',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: burnRateExpression(counted, 0.001, 167) })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'checkout-availability-page-1h-5m-short',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: burnRateExpression(counted, 0.001) })]),
    });
  });

  test('the runbook of the service reaches every description; an SLO may override it', () => {
    const stack = newStack();
    const { errors, requests } = counts();
    new ReliableService(stack, 'Checkout', {
      serviceName: 'checkout',
      runbookUrl: 'https://runbooks.example.com/checkout',
      slos: [
        availability(),
        { name: 'latency', objective: 99, sli: Sli.ratio({ bad: errors, total: requests }), runbookUrl: 'https://runbooks.example.com/latency' },
      ],
    });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.filter((a) => a.Properties.AlarmDescription.endsWith('Runbook: https://runbooks.example.com/checkout'))).toHaveLength(8);
    expect(alarms.filter((a) => a.Properties.AlarmDescription.endsWith('Runbook: https://runbooks.example.com/latency'))).toHaveLength(8);
  });

  test('addSlo adds an SLO after construction; slos lists them in order', () => {
    const stack = newStack();
    const svc = new ReliableService(stack, 'Checkout', { serviceName: 'checkout' });
    svc.addSlo(availability());
    svc.addSlo(availability({ name: 'availability-eu' }));
    expect(svc.slos.map((s) => s.name)).toEqual(['availability', 'availability-eu']);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::CompositeAlarm', 4);
  });

  test('burnRateMetric exposes the alarm expression for any window', () => {
    const stack = newStack();
    const svc = new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability()] });
    const config = svc.slo('availability').burnRateMetric(Duration.hours(1)).toMetricConfig().mathExpression!;
    expect(config.expression).toBe(burnRateExpression({ badEvents: 'FILL(bad0_1h, 0)', totalEvents: 'FILL(total0_1h, 0)' }, 0.001));
    expect(Object.keys(config.usingMetrics).sort()).toEqual(['bad0_1h', 'total0_1h']);
    expect(config.period).toBe(3_600);
  });

  test('an objective that some tiers cannot reach warns and leaves those tiers out', () => {
    const stack = newStack();
    const svc = new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability({ objective: 90 })] });
    expect(svc.slo('availability').tiers.map((t) => t.id)).toEqual(['page-6h-30m', 'ticket-1d-2h', 'ticket-3d-6h']);
    Annotations.fromStack(stack).hasWarning('/Shop/Checkout/availability',
      Match.stringLikeRegexp('the page tier 1h/5m needs a burn rate of 14.4x \\(error ratio 144%\\), but with objective 90% even 100% errors burn at most 10x. The tier is left out'));
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 6);
  });

  test('an objective low enough to lose every page tier has no page alarm', () => {
    const stack = newStack();
    const svc = new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability({ objective: 80 })] });
    expect(svc.slo('availability').pageAlarm).toBeUndefined();
    expect(svc.slo('availability').ticketAlarm).toBeDefined();
    expect(svc.slo('availability').severityAlarm(Severity.TICKET)).toBe(svc.slo('availability').ticketAlarm);
  });
});
