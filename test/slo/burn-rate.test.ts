import { badEventsToFire, budgetSpentAtDetection, burnRateThreshold, detectionTimeSeconds, errorBudget, errorRatioThreshold, longWindowGuardEvents, maximumBurnRate, resetTimeSeconds, roundFigure, singleFailureFloor } from '../../lib/slo/burn-rate';
import * as fc from 'fast-check';
import { formatDecimal } from '../../lib/private/format';

const HOUR = 3_600;
const DAY = 86_400;
const MINUTE = 60;

/** The Workbook's tiers as (budget fraction, long window, short window). */
const WORKBOOK = [
  { budget: 0.02, long: HOUR, short: 5 * MINUTE },
  { budget: 0.05, long: 6 * HOUR, short: 30 * MINUTE },
  { budget: 0.1, long: DAY, short: 2 * HOUR },
  { budget: 0.1, long: 3 * DAY, short: 6 * HOUR },
];

function tier(i: number, sloWindow = 30 * DAY) {
  const t = WORKBOOK[i];
  return { burnRate: burnRateThreshold(t.budget, sloWindow, t.long), longWindowSeconds: t.long, shortWindowSeconds: t.short };
}

describe('error budget', () => {
  test('is 1 - objective, free of floating-point noise', () => {
    expect(errorBudget(99.9)).toBe(0.001);
    expect(errorBudget(99)).toBe(0.01);
    expect(errorBudget(99.99)).toBe(0.0001);
    expect(errorBudget(99.5)).toBe(0.005);
  });

  test('bounds the highest observable burn rate', () => {
    expect(maximumBurnRate(99.9)).toBe(1000);
    expect(maximumBurnRate(98)).toBe(50);
    expect(maximumBurnRate(90)).toBe(10);
  });
});

describe('burn-rate thresholds (Workbook table 5-8)', () => {
  test('a 30-day window gives 14.4, 6, 3 and 1', () => {
    expect(WORKBOOK.map((t) => burnRateThreshold(t.budget, 30 * DAY, t.long))).toEqual([14.4, 6, 3, 1]);
  });

  test('a 28-day window gives 13.44, 5.6, 2.8 and 0.933…', () => {
    const rates = WORKBOOK.map((t) => burnRateThreshold(t.budget, 28 * DAY, t.long));
    expect(rates.slice(0, 3)).toEqual([13.44, 5.6, 2.8]);
    expect(rates[3]).toBeCloseTo(0.9333333, 6);
  });

  test('a 7-day window gives 3.36, 1.4, 0.7 and 0.233…', () => {
    const rates = WORKBOOK.map((t) => burnRateThreshold(t.budget, 7 * DAY, t.long));
    expect(rates.slice(0, 3)).toEqual([3.36, 1.4, 0.7]);
    expect(rates[3]).toBeCloseTo(0.2333333, 6);
  });

  test('error-ratio threshold is burn rate times the budget', () => {
    expect(errorRatioThreshold(14.4, 99.9)).toBe(0.0144);
    expect(errorRatioThreshold(6, 99.9)).toBe(0.006);
    expect(errorRatioThreshold(3, 99.9)).toBe(0.003);
    expect(errorRatioThreshold(1, 99.9)).toBe(0.001);
  });

  test('an objective below 93.06 % (budget over 1/14.4) cannot reach the 14.4x page threshold', () => {
    expect(errorRatioThreshold(14.4, 93)).toBeGreaterThanOrEqual(1);
    expect(errorRatioThreshold(14.4, 93.1)).toBeLessThan(1);
  });
});

describe('detection time for a constant error ratio (99.9 %, 30 days)', () => {
  test('100 % errors page within the first minute', () => {
    expect(detectionTimeSeconds(tier(0), 99.9, 1)).toBeCloseTo(0.864 * MINUTE, 6);
  });

  test('2 % errors page after 43.2 minutes on the 1h tier', () => {
    expect(detectionTimeSeconds(tier(0), 99.9, 0.02)).toBeCloseTo(43.2 * MINUTE, 6);
  });

  test('0.7 % errors miss the 1h tier and page after ~309 minutes on the 6h tier', () => {
    expect(detectionTimeSeconds(tier(0), 99.9, 0.007)).toBeUndefined();
    expect(detectionTimeSeconds(tier(1), 99.9, 0.007)! / MINUTE).toBeCloseTo(308.57, 1);
  });

  test('0.5 % errors never page and open a ticket after 14.4 hours', () => {
    expect(detectionTimeSeconds(tier(0), 99.9, 0.005)).toBeUndefined();
    expect(detectionTimeSeconds(tier(1), 99.9, 0.005)).toBeUndefined();
    expect(detectionTimeSeconds(tier(2), 99.9, 0.005)! / HOUR).toBeCloseTo(14.4, 6);
    expect(detectionTimeSeconds(tier(3), 99.9, 0.005)! / HOUR).toBeCloseTo(14.4, 6);
  });

  test('0.08 % errors (under the budget) never alert', () => {
    for (let i = 0; i < 4; i++) {
      expect(detectionTimeSeconds(tier(i), 99.9, 0.0008)).toBeUndefined();
    }
  });

  test('an error ratio exactly at the threshold does not fire (the alarm compares with "greater than")', () => {
    expect(detectionTimeSeconds(tier(0), 99.9, 0.0144)).toBeUndefined();
  });

  test('a tier fires when about its budget share is spent', () => {
    // 2 % errors on the 1h tier: 0.02 * 43.2 min / (0.001 * 30 d) = 2 % of the budget
    expect(budgetSpentAtDetection(tier(0), 99.9, 0.02, 30 * DAY)).toBeCloseTo(0.02, 9);
    expect(budgetSpentAtDetection(tier(0), 99.9, 0.001, 30 * DAY)).toBeUndefined();
  });
});

describe('reset time', () => {
  test('a total outage clears the 1h/5m tier about one short window after it ends', () => {
    // short window 5 m; threshold 1.44 %: clears once < 1.44 % of the last 5 minutes failed
    expect(resetTimeSeconds(tier(0), 99.9, 1)! / MINUTE).toBeCloseTo(5 * (1 - 0.0144), 6);
  });

  test('is undefined for a tier that never fired', () => {
    expect(resetTimeSeconds(tier(0), 99.9, 0.01)).toBeUndefined();
  });
});

describe('roundFigure', () => {
  test('removes binary noise but keeps real digits', () => {
    expect(0.1 * 3).not.toBe(0.3);
    expect(roundFigure(0.1 * 3)).toBe(0.3);
    expect(roundFigure(0.02 * 672)).toBe(13.44);
    expect(roundFigure(1 / 3)).toBeCloseTo(0.333333333333, 12);
    expect(roundFigure(0)).toBe(0);
  });
});

describe('formatDecimal and very high objectives', () => {
  test('never writes an exponent, which CloudWatch metric math cannot read', () => {
    expect(formatDecimal(1e-7)).toBe('0.0000001');
    expect(formatDecimal(0.00000015)).toBe('0.00000015');
    expect(formatDecimal(14.4)).toBe('14.4');
    expect(formatDecimal(0.3)).toBe('0.3');
    expect(formatDecimal(1e21)).toBe('1000000000000000000000');
    expect(formatDecimal(31_622_400_000)).toBe('31622400000');
  });

  test('error budgets are exact to the objective\'s decimals', () => {
    expect(errorBudget(99.99999)).toBe(0.0000001);
    expect(errorBudget(99.9999)).toBe(0.000001);
    expect(errorBudget(99.95)).toBe(0.0005);
  });
});

describe('the low-traffic guard', () => {
  const thresholds = (objective: number, windowDays: number) =>
    WORKBOOK.map((t) => errorRatioThreshold(burnRateThreshold(t.budget, windowDays * DAY, t.long), objective));

  test('the single-failure floor is the smallest event count in which one failure stays under the threshold: 70, 167, 334, 1001 at 99.9 % over 30 days', () => {
    expect(thresholds(99.9, 30).map(singleFailureFloor)).toEqual([70, 167, 334, 1001]);
    // 1/1000 = 0.1 % equals the 3-day tier's threshold; the alarm fires on "greater than", and 1001 keeps a margin
    expect(1 / 1001).toBeLessThan(0.001);
  });

  test('99.5 % over 28 days with minimumEvents 20 (the issue\'s example): 20, 36, 72 and 215 events; two failures fire a tier, one never does', () => {
    const rs = thresholds(99.5, 28);
    const guards = rs.map((r) => longWindowGuardEvents(r, 20));
    expect(guards).toEqual([20, 36, 72, 215]);
    rs.forEach((r, i) => {
      expect(1 / guards[i]).toBeLessThan(r); // one failure among fewer than N events: under every tier's threshold
      expect(badEventsToFire(r, guards[i])).toBe(2);
    });
  });

  test('a bigger minimumEvents asks for proportionally more failures: 7 of a guard of 100 at 6.72 %', () => {
    expect(longWindowGuardEvents(0.0672, 100)).toBe(100);
    expect(badEventsToFire(0.0672, 100)).toBe(7);
  });

  test('for any threshold and minimumEvents, one failure never fires and badEventsToFire is exactly the first count that does', () => {
    fc.assert(fc.property(
      fc.double({ min: 1e-12, max: 0.999, noNaN: true }),
      fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
      (r, minimumEvents) => {
        const n = longWindowGuardEvents(r, minimumEvents);
        const k = badEventsToFire(r, n);
        return 1 / n < r && n >= (minimumEvents ?? 1) && k >= 2 && k / n > r && (k - 1) / n <= r;
      }), { seed: 20_261_201, numRuns: 2_000 });
  });
});
