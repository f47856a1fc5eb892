/**
 * The incident report `simulate` prints, on synthesized alarms that are not only burn-rate tiers:
 * with the blind alert on, the page composite's rule is `(<tiers>) OR ALARM(blind)` and the blind
 * alarm divides by no error budget. The tiers and the budget must still be found.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { ReliableService, Severity, SloProps } from '../../lib';
import { errorBudgetOf, simulateIncident, tiersOf } from '../../lib/simulation/incident-report';
import { sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';
import { availability, newStack } from '../service/helpers';

function model(slo: Partial<SloProps> = {}) {
  const stack = newStack();
  new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability(slo) as SloProps] });
  return sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability');
}

describe('the incident report with the blind alert on', () => {
  test.each([Severity.PAGE, Severity.TICKET])('keeps every tier and the error budget when the blind alarm joins the %s composite', (severity) => {
    const withBlind = model({ blindAlert: { severity } });
    const ids = (m: ReturnType<typeof model>) => tiersOf(m).map((t) => t.id);
    expect(ids(withBlind)).toEqual(['page-1h-5m', 'page-6h-30m', 'ticket-1d-2h', 'ticket-3d-6h']);
    expect(ids(withBlind)).toEqual(ids(model()));
    expect(errorBudgetOf(withBlind)).toBe(0.001);
  });

  test('a 2 % incident reports the same tiers, thresholds and summary as without the blind alert', () => {
    const scenario = { errorRatio: 0.02, durationMinutes: 120, eventsPerMinute: 1_000, baselineErrorRatio: 0, minutes: 600 };
    const withBlind = simulateIncident(model({ blindAlert: {} }), scenario);
    const without = simulateIncident(model(), scenario);
    expect(withBlind.objectivePercent).toBe(99.9);
    expect(withBlind.tiers.map((t) => [t.id, t.errorRatioThreshold, t.firesAt, t.formula.firesAt]))
      .toEqual(without.tiers.map((t) => [t.id, t.errorRatioThreshold, t.firesAt, t.formula.firesAt]));
    expect(withBlind.tiers[0]).toMatchObject({ id: 'page-1h-5m', errorRatioThreshold: 0.0144, firesAt: 44, formula: { firesAt: 43.2 } });
    expect(withBlind.summary).toBe(without.summary);
  });

  test('the blind alarm alone (traffic stops) is no tier, and the page it raises is reported', () => {
    const report = simulateIncident(model({ blindAlert: {} }), { errorRatio: 0, durationMinutes: 60, eventsPerMinute: 0, baselineErrorRatio: 0, minutes: 120 });
    expect(report.tiers.every((t) => t.firesAt === undefined)).toBe(true);
    // no traffic before minute 0 either: blind from the first evaluation
    expect(report.summary).toBe('page at 1 min (still in ALARM at the end), ticket never');
  });
});
