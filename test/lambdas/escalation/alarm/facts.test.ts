import { alarmFacts, errorBudgetOf, tierFromAlarmName, tiersFromDescription } from '../../../../lambdas/escalation/alarm/facts';
import { DESCRIPTION } from '../../support/world';

const WINDOW_DESCRIPTION = 'page tier 1h/5m, long window: ALARM when the burn rate over the last 1h exceeds 14.4x '
  + '(error ratio above 1.44%; 2% of the budget in 1h). Notifies only through checkout-availability-page, together with the short window 5m. '
  + 'SLO checkout/availability: 99.9% good over 30d (error budget 0.1%); SLI: x.';

test('the tier of a window alarm comes from its name', () => {
  expect(tierFromAlarmName('checkout-availability-page-1h-5m-long')).toEqual({ severity: 'page', longWindow: '1h', shortWindow: '5m' });
  expect(tierFromAlarmName('my-api-latency-p99-ticket-3d-6h-short')).toEqual({ severity: 'ticket', longWindow: '3d', shortWindow: '6h' });
  expect(tierFromAlarmName('checkout-availability-page')).toBeUndefined();
});

test('burn rates come from composite and window descriptions', () => {
  expect(tiersFromDescription(DESCRIPTION, 'page')).toEqual([
    { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4, budgetPercent: 2 },
    { severity: 'page', longWindow: '6h', shortWindow: '30m', burnRate: 6, budgetPercent: 5 },
  ]);
  expect(tiersFromDescription(WINDOW_DESCRIPTION, 'page')).toEqual([
    { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4, budgetPercent: 2 },
  ]);
});

test('without tags, falls back to the description (service, SLO, objective, budget, runbook)', () => {
  const facts = alarmFacts('checkout-availability-page', 'page', {
    description: DESCRIPTION, region: 'us-east-1', children: ['checkout-availability-page-6h-30m-short'],
  }, {});
  expect(facts).toMatchObject({
    service: 'checkout', slo: 'availability', objective: '99.9', window: '30d', errorBudget: '0.1%',
    runbook: 'https://wiki.example.com/runbooks/checkout',
    firedTiers: [{ severity: 'page', longWindow: '6h', shortWindow: '30m', burnRate: 6 }],
    alarmUrl: 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/checkout-availability-page',
  });
  expect(facts.dashboardUrl).toBeUndefined();
});

test('with nothing to go on, only the alarm name and links remain', () => {
  const facts = alarmFacts('odd name/with spaces', 'page', { children: [] }, {}, 'eu-west-1');
  expect(facts).toMatchObject({ service: undefined, slo: undefined, firedTiers: [], tiers: [] });
  expect(facts.alarmUrl).toContain('#alarmsV2:alarm/odd%20name%2Fwith%20spaces');
});

test('tags win, and unsafe runbook URLs are dropped', () => {
  const facts = alarmFacts('a', 'page', { children: [] }, {
    'cdk-reliability:service': 'svc', 'cdk-reliability:objective': '99.95', 'cdk-reliability:runbook': 'javascript:alert(1)',
  }, 'eu-west-1');
  expect(facts).toMatchObject({ service: 'svc', objective: '99.95', errorBudget: '0.05%', runbook: undefined });
});

test('error budgets have no floating-point noise', () => {
  expect(errorBudgetOf('99.9')).toBe('0.1%');
  expect(errorBudgetOf('99.99')).toBe('0.01%');
  expect(errorBudgetOf('100')).toBeUndefined();
});
