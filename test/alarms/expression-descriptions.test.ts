import { AlertPolicy, Severity, Sli } from '../../lib';
import { compositeAlarmDescription, formatPercent, guardSentence, MAX_DESCRIPTION_LENGTH, SloFacts, windowAlarmDescription } from '../../lib/alarms/descriptions';
import { Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { burnRateExpression, errorRatioExpression } from '../../lib/alarms/expression';
import { evaluateMetricMath, parseMetricMath } from '../../lib/simulation/metric-math';
import { resolveTiers } from '../../lib/slo/tiers';

const counts = { badEvents: 'FILL(bad0, 0)', totalEvents: 'FILL(total0, 0)' };

/** The burn rate the expression yields for one window's metric values (`undefined`: the metric published nothing). */
function burn(values: Record<string, number | undefined>, errorBudget = 0.001, guardEvents?: number, sli = counts): number | undefined {
  return evaluateMetricMath(parseMetricMath(burnRateExpression(sli, errorBudget, guardEvents)), (id) => values[id]);
}

describe('burnRateExpression', () => {
  test('is bad over the larger of total and bad events (and 1), over the error budget', () => {
    expect(burnRateExpression(counts, 0.001)).toBe(
      'FILL(bad0, 0) / IF(FILL(total0, 0) > FILL(bad0, 0), IF(FILL(total0, 0) > 1, FILL(total0, 0), 1), '
      + 'IF(FILL(bad0, 0) > 1, FILL(bad0, 0), 1)) / 0.001');
  });

  test('writes tiny error budgets and big guards without an exponent', () => {
    expect(burnRateExpression(counts, 0.0000001, 1e21)).toMatch(/ > 1000000000000000000000, .* \/ 0\.0000001$/);
  });

  test('burns bad / total / budget while both metrics have data', () => {
    expect(burn({ bad0: 20, total0: 1_000 })).toBeCloseTo(20, 9);
  });

  test('yields an explicit 0 when no metric has data (traffic stopped): not breaching, never "no datapoint"', () => {
    expect(burn({})).toBe(0);
    expect(burn({ total0: 500 })).toBe(0);
  });

  test('counts bad events without total events as errors: the total metric stopped while errors go on burns at the maximum', () => {
    expect(burn({ bad0: 600 })).toBe(1000);
    expect(burn({ bad0: 600, total0: 10 })).toBe(1000);
  });

  test('judges a window holding fewer events than the guard as if it held that many, the rest good', () => {
    expect(burn({ bad0: 1, total0: 5 }, 0.005, 20)).toBeCloseTo(10, 9); // 1/20 = 5 %, 10x at 99.5 %
    expect(burn({ bad0: 5, total0: 5 }, 0.005, 20)).toBeCloseTo(50, 9);
    expect(burn({ bad0: 30, total0: 100 }, 0.005, 20)).toBeCloseTo(60, 9); // above the guard: the plain ratio
  });

  test('is errorRatioExpression over the budget: the ratio graphs can share, 1 while only bad events come, 0 without events', () => {
    const ratio = parseMetricMath(errorRatioExpression(counts));
    expect(burnRateExpression(counts, 0.001)).toBe(`${errorRatioExpression(counts)} / 0.001`);
    expect(evaluateMetricMath(ratio, (id) => ({ bad0: 7 } as Record<string, number>)[id])).toBe(1);
    expect(evaluateMetricMath(ratio, () => undefined)).toBe(0);
  });

  test('keeps a compound ISli expression together as one operand', () => {
    const sli = { badEvents: 'm1 + m2', totalEvents: 't1 + t2' };
    expect(burnRateExpression(sli, 0.5)).toMatch(/^\(m1 \+ m2\) \/ IF\(\(t1 \+ t2\) > \(m1 \+ m2\),/);
    expect(burn({ m1: 1, m2: 1, t1: 2, t2: 2 }, 0.5, 1, sli)).toBe(1);
  });

  test('reads every metric of the SLI presets and of Sli.ratio/Sli.latency only through FILL: no operation ever meets a missing value', () => {
    const stack = new Stack();
    const m = (metricName: string) => new Metric({ namespace: 'Shop', metricName });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc });
    const tg = lb.addListener('Http', { port: 80 }).addTargets('App', { port: 80 });
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const slis = [
      Sli.ratio({ bad: m('E'), total: m('R') }), Sli.ratio({ goodMetrics: [m('G1'), m('G2')], totalMetrics: [m('R1'), m('R2')] }),
      Sli.latency({ metric: m('Latency'), threshold: Duration.millis(300) }),
      Sli.loadBalancerAvailability(lb), Sli.targetGroupAvailability(tg), Sli.lambdaAvailability(fn), Sli.lambdaLatency(fn, { threshold: Duration.seconds(1) }),
    ];
    for (const sli of slis) {
      const text = burnRateExpression(sli.bind(), 0.001, 70);
      const bare = text.replace(/FILL\([a-z]+\d+, -?\d+\)/g, 'F');
      expect(bare).not.toMatch(/\b(bad|good|total)\d+\b/);
    }
  });
});

describe('descriptions', () => {
  const facts: SloFacts = {
    serviceName: 'checkout', sloName: 'availability', objective: 99.9, sloWindowSeconds: 30 * 86_400, errorBudget: 0.001,
    sliDescription: '5XXError over Count', runbookUrl: 'https://runbooks.example.com/checkout',
  };
  const tiers = resolveTiers(99.9, 30 * 86_400, AlertPolicy.workbook()._toTierInputs()!, 't').tiers;

  test('a window alarm says which SLO, tier, burn rate and window it watches, its low-traffic guard, and the runbook', () => {
    expect(windowAlarmDescription(facts, tiers[0], 'long', 'checkout-availability-page')).toBe(
      'page tier 1h/5m, long window: ALARM when the burn rate over the last 1h exceeds 14.4x (error ratio above 1.44%; '
      + '2% of the budget in 1h). Notifies only through checkout-availability-page, together with the short window 5m. '
      + 'Low traffic: a window with fewer than 70 events is judged as if it held 70, the rest good, so it takes 2 failed events, never one. '
      + 'SLO checkout/availability: 99.9% good over 30d (error budget 0.1%); SLI: 5XXError over Count. '
      + 'Runbook: https://runbooks.example.com/checkout');
    expect(windowAlarmDescription(facts, tiers[0], 'short', 'checkout-availability-page')).toBe(
      'page tier 1h/5m, short window: ALARM when the burn rate over the last 5m exceeds 14.4x (error ratio above 1.44%; '
      + '2% of the budget in 1h). Notifies only through checkout-availability-page, together with the long window 1h. '
      + 'SLO checkout/availability: 99.9% good over 30d (error budget 0.1%); SLI: 5XXError over Count. '
      + 'Runbook: https://runbooks.example.com/checkout');
  });

  test('a composite lists its tiers and its suppression', () => {
    const text = compositeAlarmDescription(facts, Severity.TICKET, tiers.slice(2), 'checkout-availability-page');
    expect(text).toMatch(/^Ticket for SLO checkout\/availability: ALARM while the error budget burns at 3x over 1d and 2h \(10% of the budget in 1d\), or 1x over 3d and 6h/);
    expect(text).toMatch(/Actions are suppressed while checkout-availability-page is in ALARM/);
  });

  test('the low-traffic guard of each tier is stated on its long window: minimumEvents where it is larger than the tier\'s floor', () => {
    const guarded = { ...facts, objective: 99.5, errorBudget: 0.005, minimumEvents: 20 };
    const tiers28 = resolveTiers(99.5, 28 * 86_400, AlertPolicy.workbook()._toTierInputs()!, 't').tiers;
    expect(tiers28.map((t) => guardSentence(guarded, t))).toEqual([
      'Low traffic: a window with fewer than 20 events is judged as if it held 20, the rest good, so it takes 2 failed events, never one.',
      'Low traffic: a window with fewer than 36 events is judged as if it held 36, the rest good, so it takes 2 failed events, never one.',
      'Low traffic: a window with fewer than 72 events is judged as if it held 72, the rest good, so it takes 2 failed events, never one.',
      'Low traffic: a window with fewer than 215 events is judged as if it held 215, the rest good, so it takes 2 failed events, never one.',
    ]);
    expect(guardSentence({ minimumEvents: 100 }, tiers28[0])).toBe(
      'Low traffic: a window with fewer than 100 events is judged as if it held 100, the rest good, so it takes 7 failed events, never one.');
    expect(windowAlarmDescription(guarded, tiers[0], 'short', 'x')).not.toMatch(/Low traffic/);
  });

  test('stays within CloudWatch\'s 1024 characters and keeps the runbook link whole', () => {
    const long = { ...facts, sliDescription: 'x'.repeat(2_000) };
    const text = windowAlarmDescription(long, tiers[0], 'long', 'x');
    expect(text).toHaveLength(MAX_DESCRIPTION_LENGTH);
    expect(text).toMatch(/x…\sRunbook: https:\/\/runbooks.example.com\/checkout$/);
  });

  test('percentages read without float noise', () => {
    expect(formatPercent(0.0144)).toBe('1.44%');
    expect(formatPercent(0.001)).toBe('0.1%');
  });
});
