/**
 * The handler contract of the alarms, end to end: the escalation function's `alarmFacts` reads the
 * names, descriptions and tags of a synthesized service's alarms, and every fact a notice shows
 * equals what the constructs configured. A change of wording on either side fails here.
 */
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AlertPolicy, ReliableService, ResolvedTier, ServiceLevelObjective, Severity, Sli } from '../../../../lib';
import { formatPercent } from '../../../../lib/alarms/descriptions';
import { formatDecimal } from '../../../../lib/private/format';
import { formatWindow } from '../../../../lib/slo/windows';
import { alarmFacts, tierFromAlarmName, tiersFromDescription, TierFacts } from '../../../../lambdas/escalation/alarm/facts';
import { counts } from '../../../service/helpers';
import { newStack, smallestPolicy } from '../../../escalation/helpers';

const REGION = 'eu-west-1';

// GIVEN a service wired to a policy: a ratio SLO on the workbook tiers with a runbook tag and a
// paging blind alert; a latency SLO with custom tiers of decimal budgets, a runbook that is not a
// valid tag value (only the description carries it) and a ticket blind alert; and an SLO whose
// ticket composite exists for its blind alarm alone
const stack = newStack();
const { errors, requests } = counts();
const api = lambda.Function.fromFunctionName(stack, 'Api', 'api');
const service = new ReliableService(stack, 'Checkout', {
  serviceName: 'checkout',
  runbookUrl: 'https://runbooks.example.com/checkout',
  escalation: smallestPolicy(stack),
  slos: [
    { name: 'availability', objective: 99.9, sli: Sli.ratio({ bad: errors, total: requests }), blindAlert: {} },
    {
      name: 'latency-p99',
      objective: 99.5,
      window: Duration.days(28),
      sli: Sli.lambdaLatency(api, { threshold: Duration.millis(250) }),
      runbookUrl: 'https://wiki.example.com/runbooks?page=latency',
      alerting: AlertPolicy.fromTiers([
        { severity: Severity.PAGE, budgetSpentPercent: 0.5, longWindow: Duration.minutes(30), shortWindow: Duration.minutes(5) },
        { severity: Severity.PAGE, budgetSpentPercent: 2.5, longWindow: Duration.hours(2) },
        { severity: Severity.TICKET, budgetSpentPercent: 7.5, longWindow: Duration.days(1) },
      ]),
      blindAlert: { severity: Severity.TICKET, after: Duration.minutes(30) },
    },
    {
      name: 'api.availability',
      objective: 99.95,
      sli: Sli.lambdaAvailability(api),
      alerting: AlertPolicy.workbook({ tickets: false }),
      blindAlert: { severity: Severity.TICKET },
    },
  ],
});
const template = Template.fromStack(stack);

interface Synthesized {
  readonly AlarmName: string;
  readonly AlarmDescription: string;
  readonly AlarmRule?: unknown;
  readonly Tags?: { Key: string; Value: string }[];
}

function synthesized(construct: { node: { defaultChild?: unknown } }): Synthesized {
  const id = stack.getLogicalId(construct.node.defaultChild as never);
  return template.toJSON().Resources[id].Properties as Synthesized;
}

/** The alarms a composite's rule reads, as synthesized (the names a triggered composite reports as children). */
function children(rule: unknown): Synthesized[] {
  const ids = [...JSON.stringify(rule).matchAll(/"Fn::GetAtt":\["(\w+)","Arn"\]/g)].map((m) => m[1]);
  expect(ids.length).toBeGreaterThan(0);
  return ids.map((id) => template.toJSON().Resources[id].Properties as Synthesized);
}

/** A tier as a notice shows it, from the construct's own values. */
function shown(tier: ResolvedTier): TierFacts {
  return {
    severity: tier.severity,
    longWindow: formatWindow(tier.longWindowSeconds),
    shortWindow: formatWindow(tier.shortWindowSeconds),
    burnRate: tier.burnRate,
    budgetPercent: tier.budgetSpentPercent,
  };
}

/** Every composite that notifies the policy, with its severity. */
const composites = service.slos.flatMap((slo) => [Severity.PAGE, Severity.TICKET].flatMap((severity) => {
  const alarm = slo.severityAlarm(severity);
  return alarm ? [{ slo, severity, alarm: synthesized(alarm) }] : [];
}));

function sloFacts(slo: ServiceLevelObjective) {
  return {
    service: 'checkout',
    slo: slo.name,
    objective: formatDecimal(slo.objective),
    window: formatWindow(slo.window.toSeconds()),
    errorBudget: formatPercent(slo.errorBudget),
    runbook: slo.runbookUrl ?? 'https://runbooks.example.com/checkout',
  };
}

test('the service has the composites this test is about: five tiered ones and one for a blind alarm alone', () => {
  expect(composites.map((c) => c.alarm.AlarmName)).toEqual([
    'checkout-availability-page', 'checkout-availability-ticket', 'checkout-latency-p99-page', 'checkout-latency-p99-ticket',
    'checkout-api.availability-page', 'checkout-api.availability-ticket',
  ]);
  expect(service.slos.every((slo) => slo.blindAlarm !== undefined)).toBe(true);
});

describe.each(composites.map((c) => [c.alarm.AlarmName, c] as const))('%s, triggered', (_, { slo, severity, alarm }) => {
  const tags = Object.fromEntries((alarm.Tags ?? []).map((t) => [t.Key, t.Value]));
  const tiers = slo.tiers.filter((t) => t.severity === severity);

  test.each(children(alarm.AlarmRule).map((child) => [child.AlarmName, child] as const))(
    'by %s: the notice shows the SLO, severity, objective, budget, runbook and the fired tier as configured',
    (childName, child) => {
      // WHEN the escalation function reads the composite's tags, description and triggering child
      const facts = alarmFacts(alarm.AlarmName, severity, { description: alarm.AlarmDescription, children: [childName], region: REGION }, tags);
      // THEN every fact equals the construct's
      const tier = slo.windowAlarms.find((w) => synthesized(w.alarm).AlarmName === childName)?.tier;
      expect(tier !== undefined || childName === synthesized(slo.blindAlarm!).AlarmName).toBe(true);
      expect(facts).toMatchObject({ alarmName: alarm.AlarmName, severity, ...sloFacts(slo) });
      expect(facts.firedTiers).toEqual(tier ? [shown(tier)] : []);
      expect(facts.tiers).toEqual(tiers.map(shown));
      // and the child's own description names the same tier (the handler's fallback when it is the alarm itself)
      expect(tiersFromDescription(child.AlarmDescription, severity)).toEqual(tier ? [shown(tier)] : []);
    },
  );

  test('without its tags, the description alone gives the same SLO facts and tiers', () => {
    const facts = alarmFacts(alarm.AlarmName, severity, { description: alarm.AlarmDescription, children: [], region: REGION }, {});
    // a composite for the blind alarm alone states the objective without the budget
    const expected = tiers.length > 0 ? sloFacts(slo) : { service: 'checkout', slo: slo.name, runbook: sloFacts(slo).runbook };
    expect(facts).toMatchObject(expected);
    expect(facts.tiers).toEqual(tiers.map(shown));
  });
});

test('the tags carry every SLO fact, the runbook only when it is a valid tag value', () => {
  const [availability] = composites;
  expect(availability.alarm.Tags?.map((t) => t.Key).sort()).toEqual([
    'cdk-reliability:dashboard', 'cdk-reliability:objective', 'cdk-reliability:runbook', 'cdk-reliability:service',
    'cdk-reliability:severity', 'cdk-reliability:slo', 'cdk-reliability:window',
  ]);
  const latency = composites.find((c) => c.slo.name === 'latency-p99')!;
  expect(latency.alarm.Tags?.map((t) => t.Key)).not.toContain('cdk-reliability:runbook');
});

test('every window alarm name gives its tier, and no other alarm name is read as one', () => {
  for (const slo of service.slos) {
    for (const w of slo.windowAlarms) {
      const { severity, longWindow, shortWindow } = shown(w.tier);
      expect(tierFromAlarmName(synthesized(w.alarm).AlarmName)).toEqual({ severity, longWindow, shortWindow });
    }
    expect(tierFromAlarmName(synthesized(slo.blindAlarm!).AlarmName)).toBeUndefined();
  }
  for (const { alarm } of composites) {
    expect(tierFromAlarmName(alarm.AlarmName)).toBeUndefined();
  }
});

