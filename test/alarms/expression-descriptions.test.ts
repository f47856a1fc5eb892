import { compositeAlarmDescription, formatPercent, MAX_DESCRIPTION_LENGTH, SloFacts, windowAlarmDescription } from '../../lib/alarms/descriptions';
import { burnRateExpression } from '../../lib/alarms/expression';
import { AlertPolicy } from '../../lib/slo/alert-policy';
import { resolveTiers, Severity } from '../../lib/slo/tiers';

const counts = { badEvents: 'FILL(bad0, 0)', totalEvents: 'total0' };

describe('burnRateExpression', () => {
  test('divides the error ratio by the error budget and yields 0, not a division by zero, without traffic', () => {
    expect(burnRateExpression(counts, 0.001)).toBe('IF(total0 > 0, FILL(bad0, 0) / total0, 0) / 0.001');
  });

  test('writes tiny error budgets without an exponent', () => {
    expect(burnRateExpression(counts, 0.0000001)).toBe('IF(total0 > 0, FILL(bad0, 0) / total0, 0) / 0.0000001');
  });

  test('with a low-traffic guard, windows under the minimum count as healthy', () => {
    expect(burnRateExpression(counts, 0.005, 20)).toBe('IF(total0 >= 20, FILL(bad0, 0) / total0, 0) / 0.005');
  });
});

describe('descriptions', () => {
  const facts: SloFacts = {
    serviceName: 'checkout', sloName: 'availability', objective: 99.9, sloWindowSeconds: 30 * 86_400, errorBudget: 0.001,
    sliDescription: '5XXError over Count', runbookUrl: 'https://runbooks.example.com/checkout',
  };
  const tiers = resolveTiers(99.9, 30 * 86_400, AlertPolicy.workbook()._toTierInputs()!, 't').tiers;

  test('a window alarm says which SLO, tier, burn rate and window it watches, and the runbook', () => {
    expect(windowAlarmDescription(facts, tiers[0], 'long', 'checkout-availability-page')).toBe(
      'page tier 1h/5m, long window: ALARM when the burn rate over the last 1h exceeds 14.4x (error ratio above 1.44%; '
      + '2% of the budget in 1h). Notifies only through checkout-availability-page, together with the short window 5m. '
      + 'SLO checkout/availability: 99.9% good over 30d (error budget 0.1%); SLI: 5XXError over Count. '
      + 'Runbook: https://runbooks.example.com/checkout');
  });

  test('a composite lists its tiers and its suppression', () => {
    const text = compositeAlarmDescription(facts, Severity.TICKET, tiers.slice(2), 'checkout-availability-page');
    expect(text).toMatch(/^Ticket for SLO checkout\/availability: ALARM while the error budget burns at 3x over 1d and 2h \(10% of the budget in 1d\), or 1x over 3d and 6h/);
    expect(text).toMatch(/Actions are suppressed while checkout-availability-page is in ALARM/);
  });

  test('the low-traffic guard is mentioned on long windows', () => {
    expect(windowAlarmDescription({ ...facts, minimumEvents: 20 }, tiers[0], 'long', 'x')).toMatch(/fewer than 20 events count as healthy/);
    expect(windowAlarmDescription({ ...facts, minimumEvents: 20 }, tiers[0], 'short', 'x')).not.toMatch(/fewer than/);
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
