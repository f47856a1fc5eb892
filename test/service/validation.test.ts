import { App, Duration, Stack, Stage, Token } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { availability, counts, newStack } from './helpers';
import { AlertPolicy, ReliableService, ServiceLevelObjective, Severity, Sli } from '../../lib';

function build(slo: Record<string, unknown>, serviceName = 'checkout') {
  return () => new ReliableService(newStack(), 'Checkout', { serviceName, slos: [availability(slo)] });
}

describe('validation errors name the construct path, the prop, the value and what is allowed', () => {
  test.each([0, 100, 120, -5])('objective %p', (objective) => {
    expect(build({ objective })).toThrow(`Shop/Checkout/availability: objective: must be a number > 0 and < 100 (percent of good events, e.g. 99.9), got ${objective}`);
  });

  test('an objective so low that no tier can ever fire', () => {
    // page tiers only: 14.4x and 6x need error ratios of 288 % and 120 % at 80 %
    expect(build({ objective: 80, alerting: AlertPolicy.workbook({ tickets: false }) })).toThrow(
      /Shop\/Checkout\/availability: objective: 80 leaves an error budget of 20%, so even 100% errors burn at most 5x, below every tier's threshold \(14.4x, 6x\): no alarm could ever fire/);
  });

  test('an SLO window that is not whole minutes or under an hour', () => {
    expect(build({ window: Duration.seconds(90_030) })).toThrow(/availability: window: must be a whole number of minutes/);
    expect(build({ window: Duration.minutes(30) })).toThrow(/availability: window: .*at least 1 hour.*got 30m/);
  });

  test('an objective or window given as a token: thresholds are computed at synth', () => {
    expect(build({ objective: Token.asNumber({ Ref: 'Objective' }) })).toThrow(/availability: objective: must be a concrete number, not a token/);
    expect(build({ window: Duration.days(Token.asNumber({ Ref: 'Days' })) })).toThrow(/availability: window: must be a concrete Duration/);
  });

  test('a tier window that is not a multiple of 60 s', () => {
    const alerting = AlertPolicy.fromTiers([{ severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.hours(1), shortWindow: Duration.seconds(90) }]);
    expect(build({ alerting })).toThrow(/availability: alerting.tiers\[0\].shortWindow: must be a whole number of minutes \(CloudWatch alarm periods are multiples of 60 seconds\), got 90 seconds/);
  });

  test('a tier window over CloudWatch\'s 7-day evaluation range', () => {
    const alerting = AlertPolicy.fromTiers([{ severity: Severity.TICKET, budgetSpentPercent: 10, longWindow: Duration.days(8) }]);
    expect(build({ alerting })).toThrow(/alerting.tiers\[0\].longWindow: must be at most 7 days \(CloudWatch limits Period x EvaluationPeriods to 7 days\), got 8d/);
  });

  test('a short window not shorter than the long one', () => {
    const alerting = AlertPolicy.fromTiers([{ severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.hours(1), shortWindow: Duration.hours(2) }]);
    expect(build({ alerting })).toThrow(/alerting.tiers\[0\].shortWindow: must be shorter than the long window \(1h\), got 2h/);
  });

  test('a math alarm over 10 metrics', () => {
    const bad = Array.from({ length: 10 }, (_, i) => new Metric({ namespace: 'Shop', metricName: `Errors${i}` }));
    const sli = Sli.ratio({ badMetrics: bad, total: counts().requests });
    expect(build({ sli })).toThrow(/availability: sli: reads 11 metrics, but a CloudWatch metric-math alarm may read at most 10/);
  });

  test('duplicate SLO names', () => {
    expect(() => new ReliableService(newStack(), 'Checkout', { serviceName: 'checkout', slos: [availability(), availability()] }))
      .toThrow("Shop/Checkout: slos[1]: name 'availability' is already used by another SLO of service 'checkout'");
  });

  test.each(['check out', '', 'checkout/eu', '-checkout', 'x'.repeat(65)])('service name %p that cannot form alarm names', (serviceName) => {
    expect(build({}, serviceName)).toThrow(/^Shop\/Checkout: serviceName: must/);
  });

  test('an SLO name that cannot form alarm names', () => {
    expect(build({ name: 'avail ability' })).toThrow(/Shop\/Checkout: slos\[0\]: name must use only letters, digits/);
  });

  test('good and bad both given, or neither', () => {
    const { errors, requests } = counts();
    expect(build({ sli: Sli.ratio({ good: requests, bad: errors, total: requests }) })).toThrow('Shop/Checkout/availability: sli: Sli.ratio needs exactly one of `good` or `bad` (or `goodMetrics`, `badMetrics` for several metrics), got both');
    expect(build({ sli: Sli.ratio({ total: requests }) })).toThrow(/sli: Sli.ratio needs exactly one of `good` or `bad` \(or `goodMetrics`, `badMetrics` for several metrics\), got neither/);
  });

  test('a missing SLI', () => {
    expect(build({ sli: undefined })).toThrow(/availability: sli: must be an SLI such as Sli.ratio/);
  });

  test('a runbook that is not https', () => {
    expect(build({ runbookUrl: 'http://wiki' })).toThrow(/availability: runbookUrl: must be an https:\/\/ URL, got "http:\/\/wiki"/);
    expect(() => new ReliableService(newStack(), 'Checkout', { serviceName: 'checkout', runbookUrl: 'wiki', slos: [availability()] }))
      .toThrow(/^Shop\/Checkout: runbookUrl: must be an https/);
  });

  test('a low-traffic guard that is not a whole number', () => {
    expect(build({ minimumEvents: 0.5 })).toThrow(/availability: minimumEvents: must be a whole number of events >= 1, got 0.5/);
  });

  test('several problems are reported together', () => {
    expect(build({ objective: 100, minimumEvents: -1 })).toThrow(/Shop\/Checkout\/availability: 2 problems:\n {2}- objective: .*\n {2}- minimumEvents: /);
  });

  test('a service without SLOs fails at synth', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop');
    new ReliableService(stack, 'Checkout', { serviceName: 'checkout' });
    expect(() => app.synth()).toThrow(/Shop\/Checkout: a ReliableService needs at least one SLO/);
  });

  test('two services with one name in one account and region', () => {
    const stack = newStack();
    new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability()] });
    expect(() => new ReliableService(stack, 'Checkout2', { serviceName: 'checkout', slos: [availability()] }))
      .toThrow(/Shop\/Checkout2: serviceName 'checkout' is already used by Shop\/Checkout in the same account and region/);
  });

  test('one service name in two regions is fine', () => {
    const app = new App();
    for (const region of ['eu-west-1', 'us-east-1']) {
      new ReliableService(new Stack(app, `Shop-${region}`, { env: { region } }), 'Checkout', { serviceName: 'checkout', slos: [availability()] });
    }
    expect(() => app.synth()).not.toThrow();
  });

  test('an alerting policy that is not an AlertPolicy, or tiers that are not a list', () => {
    expect(build({ alerting: { tiers: [] } })).toThrow(/availability: alerting: must be AlertPolicy.workbook\(\) or AlertPolicy.fromTiers/);
    expect(build({ alerting: AlertPolicy.fromTiers(undefined as never) })).toThrow(/availability: alerting.tiers: must be a list of tiers/);
    expect(build({ alerting: AlertPolicy.fromTiers([undefined as never]) })).toThrow(/alerting.tiers\[0\].severity: must be Severity.PAGE or Severity.TICKET, got undefined/);
  });

  test('a long window too short for the default short window names the long window', () => {
    const alerting = AlertPolicy.fromTiers([{ severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.minutes(1) }]);
    expect(build({ alerting })).toThrow(/alerting.tiers\[0\].longWindow: must be at least 2 minutes so that the default short window/);
  });

  test('a latency threshold given as a token', () => {
    const sli = Sli.latency({ metric: counts().requests, threshold: Duration.millis(Token.asNumber({ Ref: 'Ms' })) });
    expect(build({ sli })).toThrow(/availability: sli: Sli.latency `threshold` must be a concrete Duration such as Duration.millis\(300\), not a token: the trimmed-count statistic is fixed at synth time/);
  });

  test('a metric of another region than the stack\'s', () => {
    const foreign = new Metric({ namespace: 'Shop', metricName: 'Errors', region: 'eu-west-1' });
    const stack = new Stack(new App(), 'Shop', { env: { region: 'us-east-1' } });
    expect(() => new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability({ sli: Sli.ratio({ bad: foreign, total: counts().requests }) })] }))
      .toThrow(/availability: sli: reads metrics of region eu-west-1, but CloudWatch alarms only watch metrics of their own region \(us-east-1\)/);
    expect(build({ sli: Sli.ratio({ bad: foreign, total: counts().requests }) }))
      .toThrow(/availability: sli: reads metrics pinned to region eu-west-1, but the stack is environment-agnostic/);
  });

  test('math expression ids that collide with each other or with the SLO\'s own', () => {
    const { errors, requests } = counts();
    const badA = new MathExpression({ expression: 'a * 1', usingMetrics: { a: errors } });
    const totalA = new MathExpression({ expression: 'a * 1', usingMetrics: { a: requests } });
    expect(build({ sli: Sli.ratio({ bad: badA, total: totalA }) })).toThrow(/math expressions use the id 'a' for two different metrics/);
    const reserved = new MathExpression({ expression: 'total0 * 1', usingMetrics: { total0: errors } });
    expect(build({ sli: Sli.ratio({ bad: reserved, total: requests }) })).toThrow(/math expression id 'total0' is reserved/);
  });

  test('an SLI whose bad or good events include the whole total', () => {
    const { requests } = counts();
    expect(build({ sli: Sli.ratio({ bad: requests, total: requests }) })).toThrow(/`bad` includes every metric of `total`: the error ratio would be 100 %/);
    expect(build({ sli: Sli.ratio({ good: requests.with({ statistic: 'Average' }), total: requests }) })).toThrow(/`good` includes every metric of `total`/);
  });

  test('a runbook URL too long for the descriptions', () => {
    expect(build({ runbookUrl: `https://wiki.example.com/${'x'.repeat(600)}` })).toThrow(/runbookUrl: must be at most 512 characters/);
  });

  test('an SLO declared directly, without a ReliableService, is validated the same way', () => {
    const stack = newStack();
    expect(() => new ServiceLevelObjective(stack, 'Slo', { ...availability(), name: 'a b', serviceName: 'check/out' } as never))
      .toThrow(/Shop\/Slo: 2 problems:\n {2}- serviceName: must use only letters.*\n {2}- name: must use only letters/);
    new ServiceLevelObjective(stack, 'First', { ...availability(), serviceName: 'checkout' } as never);
    expect(() => new ServiceLevelObjective(stack, 'Second', { ...availability(), serviceName: 'checkout' } as never))
      .toThrow(/Shop\/Second: name: SLO 'availability' of service 'checkout' is already declared by Shop\/First/);
  });

  test('burnRateMetric refuses windows CloudWatch cannot evaluate', () => {
    const svc = new ReliableService(newStack(), 'Checkout', { serviceName: 'checkout', slos: [availability()] });
    expect(() => svc.slo('availability').burnRateMetric(Duration.seconds(90))).toThrow(/Shop\/Checkout\/availability: burnRateMetric\(window\): window must be a whole number of minutes/);
  });

  test('one service name in two env-agnostic stages is fine (stages deploy to different accounts)', () => {
    const app = new App();
    for (const stage of ['Beta', 'Prod']) {
      new ReliableService(new Stack(new Stage(app, stage), 'Shop'), 'Checkout', { serviceName: 'checkout', slos: [availability()] });
    }
    expect(() => app.synth()).not.toThrow();
  });

  test('asking for an unknown SLO lists the known ones', () => {
    const svc = new ReliableService(newStack(), 'Checkout', { serviceName: 'checkout', slos: [availability()] });
    expect(() => svc.slo('latency')).toThrow("Shop/Checkout: service 'checkout' has no SLO named 'latency'; it has: 'availability'");
  });
});

test('two services whose names give the same dashboard name are refused', () => {
  const stack = new Stack(new App(), 'Shop');
  const sli = () => Sli.ratio({ bad: new Metric({ namespace: 'Shop', metricName: 'Errors' }), total: new Metric({ namespace: 'Shop', metricName: 'Requests' }) });
  new ReliableService(stack, 'First', { serviceName: 'cart.v2', slos: [{ name: 'availability', objective: 99.9, sli: sli() }] });
  expect(() => new ReliableService(stack, 'Second', { serviceName: 'cart-v2', slos: [{ name: 'availability', objective: 99.9, sli: sli() }] })).toThrow(
    "Shop/Second: serviceName 'cart-v2' gives dashboard name 'cart-v2-reliability', already used by Shop/First (dashboard names replace characters other than letters, digits, - and _ with -). Rename one service, or pass dashboard: false");
});

test('AlertPolicy.workbook() refuses a tickets option that is not a boolean instead of reading it as truthy', () => {
  expect(() => AlertPolicy.workbook({ tickets: 'no' as never })).toThrow('AlertPolicy.workbook(): tickets must be true or false, got "no"');
  expect(AlertPolicy.workbook({ tickets: false })._toTierInputs()?.map((t) => t.severity)).toEqual([Severity.PAGE, Severity.PAGE]);
});
