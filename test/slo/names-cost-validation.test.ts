import { Severity } from '../../lib';
import { estimateMonthlyCostUsd } from '../../lib/slo/cost';
import { compositeAlarmName, namePartProblem, windowAlarmName } from '../../lib/slo/names';
import { resolveTiers } from '../../lib/slo/tiers';
import { minimumEventsProblem, objectiveProblem, runbookUrlProblem, sloWindowProblem } from '../../lib/slo/validation';
import { formatProblems } from '../../lib/private/problems';

describe('alarm names', () => {
  const [tier] = resolveTiers(99.9, 30 * 86_400, [{ severity: Severity.PAGE, budgetSpentPercent: 2, longWindowSeconds: 3_600, shortWindowSeconds: 300 }], 't').tiers;

  test('composites are <service>-<slo>-<severity>', () => {
    expect(compositeAlarmName('checkout', 'availability', Severity.PAGE)).toBe('checkout-availability-page');
    expect(compositeAlarmName('checkout', 'availability', Severity.TICKET)).toBe('checkout-availability-ticket');
  });

  test('window alarms name the severity, both windows and which one they watch', () => {
    expect(windowAlarmName('checkout', 'availability', tier, 'long')).toBe('checkout-availability-page-1h-5m-long');
    expect(windowAlarmName('checkout', 'availability', tier, 'short')).toBe('checkout-availability-page-1h-5m-short');
  });

  test.each(['checkout', 'Checkout_v2', 'a', 'svc.prod-1', 'x'.repeat(64)])('accepts %s as a name part', (name) => {
    expect(namePartProblem(name)).toBeUndefined();
  });

  test.each([
    ['', /non-empty/], ['-leading', /starting with a letter or digit/], ['has space', /only letters/], ['a/b', /only letters/],
    ['x'.repeat(65), /at most 64 characters/], [undefined, /non-empty string/],
  ])('refuses %p as a name part', (name, message) => {
    expect(namePartProblem(name)).toMatch(message);
  });
});

describe('monthly cost', () => {
  test('the Workbook policy on a two-metric SLI costs $2.60 per SLO-month', () => {
    expect(estimateMonthlyCostUsd({ metricsPerWindowAlarm: Array(8).fill(2), compositeAlarms: 2 })).toBe(2.6);
  });

  test('pays per metric read by each math alarm', () => {
    expect(estimateMonthlyCostUsd({ metricsPerWindowAlarm: Array(4).fill(3), compositeAlarms: 1 })).toBe(1.7);
  });

  test('a blind alert adds $0.10 per metric of the SLI\'s total, and no composite when it joins one', () => {
    expect(estimateMonthlyCostUsd({ metricsPerWindowAlarm: Array(8).fill(2), compositeAlarms: 2, blindAlarmMetrics: 1 })).toBe(2.7);
    expect(estimateMonthlyCostUsd({ metricsPerWindowAlarm: Array(8).fill(3), compositeAlarms: 2, blindAlarmMetrics: 2 })).toBe(3.6);
  });
});

describe('SLO prop rules', () => {
  test.each([0, 100, -1, 101, NaN, Infinity, '99.9'])('refuses objective %p', (objective) => {
    expect(objectiveProblem(objective)).toMatch(/must be a number > 0 and < 100/);
  });

  test.each([99.9, 50, 1, 99.999])('accepts objective %p', (objective) => {
    expect(objectiveProblem(objective)).toBeUndefined();
  });

  test.each([
    [0.999, 'did you mean 99.9?'],
    [0.9995, 'did you mean 99.95?'],
    [0.95, 'did you mean 95?'],
    [0.5, 'did you mean 50?'],
    [0.01, 'did you mean 1?'],
  ])('reads objective %p as a fraction written by mistake: %s', (objective, guess) => {
    expect(objectiveProblem(objective)).toBe(`is a percentage of good events (99.9 for 99.9 %), not a fraction: got ${objective}, ${guess} `
      + '(an objective under 1 % promises that fewer than 1 % of events are good, and no alert tier could ever fire)');
  });

  test('an objective under 1 % whose hundredfold is still under 1 % gets no guess', () => {
    expect(objectiveProblem(0.001)).toMatch(/not a fraction: got 0.001 \(an objective under 1 %/);
  });

  test('SLO windows are whole minutes of at least an hour', () => {
    expect(sloWindowProblem(30 * 86_400)).toBeUndefined();
    expect(sloWindowProblem(1_800)).toMatch(/at least 1 hour.*got 30m/);
    expect(sloWindowProblem(86_430)).toMatch(/whole number of minutes/);
  });

  test('minimumEvents is a whole number >= 1', () => {
    expect(minimumEventsProblem(10)).toBeUndefined();
    expect(minimumEventsProblem(0)).toMatch(/>= 1, got 0/);
    expect(minimumEventsProblem(2.5)).toMatch(/whole number/);
  });

  test('runbook URLs are https', () => {
    expect(runbookUrlProblem('https://wiki.example.com/runbooks/checkout')).toBeUndefined();
    expect(runbookUrlProblem('http://wiki.example.com')).toMatch(/https:\/\/ URL, got "http:\/\/wiki.example.com"/);
    expect(runbookUrlProblem('wiki/checkout')).toMatch(/https/);
  });
});

describe('formatProblems', () => {
  test('one problem reads on one line; several are listed', () => {
    expect(formatProblems('Shop/Checkout', [{ prop: 'objective', message: 'must be …' }])).toBe('Shop/Checkout: objective: must be …');
    expect(formatProblems('Shop/Checkout', [{ prop: 'a', message: 'x' }, { prop: 'b', message: 'y' }])).toBe('Shop/Checkout: 2 problems:\n  - a: x\n  - b: y');
  });
});
