import { defaultShortWindowSeconds, formatWindow, windowProblem } from '../../lib/slo/windows';

describe('formatWindow', () => {
  test.each([
    [300, '5m'], [1_800, '30m'], [3_600, '1h'], [7_200, '2h'], [21_600, '6h'], [86_400, '1d'], [259_200, '3d'],
    [5_400, '90m'], [129_600, '36h'], [45, '45s'],
  ])('%i seconds reads %s', (seconds, label) => {
    expect(formatWindow(seconds)).toBe(label);
  });
});

describe('windowProblem', () => {
  test('accepts every Workbook window, including the 3-day one as a single period', () => {
    for (const s of [300, 1_800, 3_600, 7_200, 21_600, 86_400, 259_200]) {
      expect(windowProblem(s)).toBeUndefined();
    }
  });

  test('accepts 7 days, the longest evaluation range CloudWatch allows', () => {
    expect(windowProblem(7 * 86_400)).toBeUndefined();
  });

  test('refuses windows that are not whole minutes', () => {
    expect(windowProblem(90)).toMatch(/whole number of minutes.*got 90 seconds/);
  });

  test('refuses windows over 7 days', () => {
    expect(windowProblem(8 * 86_400)).toMatch(/at most 7 days.*got 8d/);
  });

  test('refuses zero and negative windows', () => {
    expect(windowProblem(0)).toMatch(/positive/);
    expect(windowProblem(-60)).toMatch(/positive/);
    expect(windowProblem(NaN)).toMatch(/concrete Duration/);
  });
});

describe('defaultShortWindowSeconds', () => {
  test('is 1/12 of the Workbook long windows', () => {
    expect([3_600, 21_600, 86_400, 259_200].map(defaultShortWindowSeconds)).toEqual([300, 1_800, 7_200, 21_600]);
  });

  test('rounds down to whole minutes and never goes under one minute', () => {
    expect(defaultShortWindowSeconds(1_800)).toBe(120); // 150 s -> 2 m
    expect(defaultShortWindowSeconds(300)).toBe(60);
  });
});
