/**
 * The error-budget math of `budget` (DOMAIN.md §1).
 */
import { alertWindows, budgetRemainingPercent, budgetVerdict, burnRate, sliPercent, sloBudget } from '../../../lib/cli/budget/compute';
import { shop } from '../../review/support/manifests';

/** 99.9 % over 30 days, the Workbook's four tiers. */
const availability = shop().services.find((s) => s.name === 'checkout')!.slos.find((s) => s.name === 'availability')!;

describe('the math', () => {
  test('SLI, budget left and burn rate of 99.9 % with 1 bad event in 4,000', () => {
    const counts = { bad: 1, total: 4000 };
    expect(sliPercent(counts)).toBeCloseTo(99.975, 12);
    expect(burnRate(counts, 0.001)).toBeCloseTo(0.25, 12);
    expect(budgetRemainingPercent(counts, 0.001)).toBeCloseTo(75, 12);
  });

  test('an overspent budget is negative', () => {
    expect(budgetRemainingPercent({ bad: 3, total: 1000 }, 0.001)).toBeCloseTo(-200, 9);
  });

  test('no events: no SLI, burn 0, the budget unchanged', () => {
    expect(sliPercent({ bad: 0, total: 0 })).toBeNull();
    expect(burnRate({ bad: 0, total: 0 }, 0.001)).toBe(0);
    expect(budgetRemainingPercent({ bad: 0, total: 0 }, 0.001)).toBe(100);
  });

  test('bad events beyond the total read as 100 % errors, as the alarms read them (ALB with no healthy target)', () => {
    // every request refused with an ELB 503, none counted by RequestCount: bad 600, total 0
    expect(burnRate({ bad: 600, total: 0 }, 0.001)).toBeCloseTo(1000, 9);
    expect(sliPercent({ bad: 600, total: 0 })).toBe(0);
    expect(budgetRemainingPercent({ bad: 600, total: 0 }, 0.001)).toBeCloseTo(-99_900, 6);
    // partly counted: 300 refused requests on top of 100 counted, never more than 100 % errors
    expect(burnRate({ bad: 400, total: 100 }, 0.01)).toBeCloseTo(100, 9);
    expect(sliPercent({ bad: 400, total: 100 })).toBe(0);
  });

  test('negative bad counts (total - good skew) count as 0', () => {
    expect(burnRate({ bad: -2, total: 100 }, 0.01)).toBe(0);
  });

  test('alert windows: long then short per tier, deduplicated', () => {
    expect(alertWindows(availability.tiers)).toEqual([3600, 300, 21600, 1800, 86400, 7200, 259200]);
  });
});

describe('an SLO\'s budget', () => {
  const windows = (rate: number) => new Map(alertWindows(availability.tiers).map((w) => [w, { bad: rate * w, total: 1000 * w }]));

  test('the gate: at or below the minimum is exhausted', () => {
    const reading = { window: { bad: 2, total: 10_000 }, hasData: true, alertWindows: windows(0) }; // 20 % spent, 80 % left
    expect(sloBudget('checkout', availability, reading, 80).exhausted).toBe(true);
    expect(sloBudget('checkout', availability, reading, 79.9).exhausted).toBe(false);
  });

  test('a tier fires when both its windows burn above its threshold', () => {
    const reading = { window: { bad: 0, total: 1 }, hasData: true, alertWindows: windows(15) }; // 15x everywhere
    const budget = sloBudget('checkout', availability, reading, 0);
    expect(budget.tiers.map((t) => t.firing)).toEqual([true, true, true, true]);
    expect(budget.burnRates.every((b) => b.overThreshold)).toBe(true);
  });

  test('an outage that stopped the total metric spends the budget and fires every tier, never "no traffic"', () => {
    const outage = new Map(alertWindows(availability.tiers).map((w) => [w, { bad: w / 60, total: 0 }]));
    const budget = sloBudget('checkout', availability, { window: { bad: 500, total: 0 }, hasData: true, alertWindows: outage }, 0);
    expect(budget).toMatchObject({ status: 'ok', sliPercent: 0, exhausted: true });
    expect(budget.burnRates.map((b) => [b.noTraffic, b.burnRate])).toEqual(budget.burnRates.map(() => [false, 1000]));
    expect(budget.tiers.every((t) => t.firing)).toBe(true);
  });

  test('a tier fires as its alarms do at low traffic: its long window judged on at least its guard (70 events for 1h at 99.9 %)', () => {
    // five requests in the last hour, one or two of them failed (and the last one in the last 5 minutes)
    const lowTraffic = (bad: number) => new Map(alertWindows(availability.tiers).map((w) => [w, w === 300 ? { bad: 1, total: 1 } : { bad, total: 5 }]));
    const one = sloBudget('checkout', availability, { window: { bad: 1, total: 5 }, hasData: true, alertWindows: lowTraffic(1) }, 0);
    // the window itself burns at 200x, but one failure in 70 is 14.29x, under 14.4x: no page, as the alarms say
    expect(one.burnRates.find((b) => b.window === '1h')!.burnRate).toBeCloseTo(200, 9);
    expect(one.tiers[0]).toMatchObject({ id: 'page-1h-5m', guardEvents: 70, firing: false });
    expect(one.tiers[0].longBurnRate).toBeCloseTo(1 / 70 / 0.001, 9);
    const two = sloBudget('checkout', availability, { window: { bad: 2, total: 5 }, hasData: true, alertWindows: lowTraffic(2) }, 0);
    expect(two.tiers[0]).toMatchObject({ id: 'page-1h-5m', firing: true });
  });

  test('no data: nothing known, never exhausted', () => {
    const budget = sloBudget('checkout', availability, undefined, 100, 'not deployed');
    expect(budget).toMatchObject({ status: 'no-data', reason: 'not deployed', sliPercent: null, budgetRemainingPercent: null, exhausted: false });
  });

  test('verdicts', () => {
    const ok = sloBudget('a', availability, { window: { bad: 0, total: 10 }, hasData: true, alertWindows: windows(0) }, 0);
    const missing = sloBudget('b', availability, undefined, 0);
    const spent = sloBudget('c', availability, { window: { bad: 1, total: 10 }, hasData: true, alertWindows: windows(0) }, 0);
    expect(budgetVerdict([ok, missing], false)).toBe('pass');
    expect(budgetVerdict([ok, missing], true)).toBe('missing-data');
    expect(budgetVerdict([ok, missing, spent], true)).toBe('exhausted');
  });
});
