import { AlertPolicy, Severity } from '../../lib';
import { resolveTiers } from '../../lib/slo/tiers';
import { Duration } from 'aws-cdk-lib';

const DAYS_30 = 30 * 86_400;

describe('resolveTiers', () => {
  test('derives the Workbook thresholds for 99.9 % over 30 days', () => {
    const r = resolveTiers(99.9, DAYS_30, AlertPolicy.workbook()._toTierInputs()!, 'alerting.tiers');
    expect(r.problems).toEqual([]);
    expect(r.unreachable).toEqual([]);
    expect(r.tiers.map((t) => [t.id, t.burnRate, t.errorRatioThreshold])).toEqual([
      ['page-1h-5m', 14.4, 0.0144],
      ['page-6h-30m', 6, 0.006],
      ['ticket-1d-2h', 3, 0.003],
      ['ticket-3d-6h', 1, 0.001],
    ]);
  });

  test('workbook({ tickets: false }) keeps the page tiers only', () => {
    const r = resolveTiers(99.9, DAYS_30, AlertPolicy.workbook({ tickets: false })._toTierInputs()!, 'alerting.tiers');
    expect(r.tiers.map((t) => t.severity)).toEqual([Severity.PAGE, Severity.PAGE]);
  });

  test('sets tiers that even 100 % errors cannot reach aside', () => {
    // 95 %: budget 5 %; 14.4x needs 72 % errors (reachable); at 90 %: 144 % (not)
    const r = resolveTiers(90, DAYS_30, AlertPolicy.workbook()._toTierInputs()!, 'alerting.tiers');
    expect(r.unreachable.map((t) => t.id)).toEqual(['page-1h-5m']);
    expect(r.tiers.map((t) => t.id)).toEqual(['page-6h-30m', 'ticket-1d-2h', 'ticket-3d-6h']);
  });

  test('defaults the short window to 1/12 of the long one', () => {
    const r = resolveTiers(99.9, DAYS_30, AlertPolicy.fromTiers([
      { severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.hours(2) },
    ])._toTierInputs()!, 't');
    expect(r.tiers[0].shortWindowSeconds).toBe(600);
    expect(r.tiers[0].burnRate).toBe(7.2);
  });

  test('reports a short window that is not shorter than the long one', () => {
    const r = resolveTiers(99.9, DAYS_30, [{ severity: Severity.PAGE, budgetSpentPercent: 2, longWindowSeconds: 3_600, shortWindowSeconds: 3_600 }], 'alerting.tiers');
    expect(r.problems).toEqual([{ prop: 'alerting.tiers[0].shortWindow', message: expect.stringMatching(/must be shorter than the long window \(1h\), got 1h/) }]);
  });

  test('reports a long window over the SLO window', () => {
    const r = resolveTiers(99.9, 86_400, [{ severity: Severity.TICKET, budgetSpentPercent: 10, longWindowSeconds: 3 * 86_400 }], 'alerting.tiers');
    expect(r.problems[0]).toEqual({ prop: 'alerting.tiers[0].longWindow', message: expect.stringMatching(/not be longer than the SLO window \(1d\), got 3d/) });
  });

  test('reports windows CloudWatch cannot evaluate', () => {
    const r = resolveTiers(99.9, DAYS_30, [
      { severity: Severity.PAGE, budgetSpentPercent: 2, longWindowSeconds: 3_630 },
      { severity: Severity.TICKET, budgetSpentPercent: 10, longWindowSeconds: 8 * 86_400 },
    ], 'alerting.tiers');
    expect(r.problems.map((p) => p.prop)).toEqual(['alerting.tiers[0].longWindow', 'alerting.tiers[1].longWindow']);
    expect(r.problems[0].message).toMatch(/whole number of minutes.*got 3630 seconds/);
    expect(r.problems[1].message).toMatch(/Period x EvaluationPeriods to 7 days/);
  });

  test('reports budget shares outside (0, 100]', () => {
    const r = resolveTiers(99.9, DAYS_30, [
      { severity: Severity.PAGE, budgetSpentPercent: 0, longWindowSeconds: 3_600 },
      { severity: Severity.PAGE, budgetSpentPercent: 101, longWindowSeconds: 21_600 },
    ], 'alerting.tiers');
    expect(r.problems.map((p) => p.prop)).toEqual(['alerting.tiers[0].budgetSpentPercent', 'alerting.tiers[1].budgetSpentPercent']);
    expect(r.problems[1].message).toMatch(/> 0 and <= 100.*got 101/);
  });

  test('reports an unknown severity', () => {
    const r = resolveTiers(99.9, DAYS_30, [{ severity: 'sms' as Severity, budgetSpentPercent: 2, longWindowSeconds: 3_600 }], 'alerting.tiers');
    expect(r.problems[0]).toEqual({ prop: 'alerting.tiers[0].severity', message: expect.stringMatching(/Severity.PAGE or Severity.TICKET, got "sms"/) });
  });

  test('reports the same severity and windows twice', () => {
    const tier = { severity: Severity.PAGE, budgetSpentPercent: 2, longWindowSeconds: 3_600 };
    const r = resolveTiers(99.9, DAYS_30, [tier, { ...tier, budgetSpentPercent: 3 }], 'alerting.tiers');
    expect(r.problems).toEqual([{ prop: 'alerting.tiers[1]', message: expect.stringMatching(/repeats alerting.tiers\[0\] \(page-1h-5m\)/) }]);
  });

  test('reports a budget share so small that one failure in 2^53 events would exceed the threshold', () => {
    const r = resolveTiers(99.9, DAYS_30, [{ severity: Severity.PAGE, budgetSpentPercent: 1e-15, longWindowSeconds: 3_600 }], 'alerting.tiers');
    expect(r.problems).toEqual([{ prop: 'alerting.tiers[0].budgetSpentPercent', message: expect.stringMatching(/below one failure in 9007199254740991 events \(any single error would alarm\), got 1e-15/) }]);
  });

  test('reports an empty policy', () => {
    expect(resolveTiers(99.9, DAYS_30, [], 'alerting.tiers').problems).toEqual([{ prop: 'alerting.tiers', message: 'must hold at least one tier, got none' }]);
  });
});

describe('AlertPolicy', () => {
  test('fromTiers keeps the tiers as declared on the policy', () => {
    const tiers = [{ severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.hours(1) }];
    expect(AlertPolicy.fromTiers(tiers).tiers).toEqual(tiers);
  });

  test('workbook() holds the four WORKBOOK_TIERS, or the two page tiers without tickets', () => {
    expect(AlertPolicy.workbook().tiers).toEqual(AlertPolicy.WORKBOOK_TIERS);
    expect(AlertPolicy.workbook({ tickets: false }).tiers).toEqual(AlertPolicy.WORKBOOK_TIERS.slice(0, 2));
  });

  test('WORKBOOK_TIERS cannot be changed in place, so every policy built from it stays the Workbook\'s', () => {
    expect(() => AlertPolicy.WORKBOOK_TIERS.push(AlertPolicy.WORKBOOK_TIERS[0])).toThrow(TypeError);
    expect(() => { (AlertPolicy.WORKBOOK_TIERS[0] as { budgetSpentPercent: number }).budgetSpentPercent = 50; }).toThrow(TypeError);
    expect(AlertPolicy.WORKBOOK_TIERS.map((t) => t.budgetSpentPercent)).toEqual([2, 5, 10, 10]);
  });
});
