import { DERIVED, formatDecimal, formatDuration, formatPercent } from '../../lib/private/format';
import {
  AS_DECLARED,
  formatBurnRate,
  formatFactor,
  formatOutageBudget,
  parseIsoDuration,
} from '../../lib/review/format';

describe('durations in a review: the largest units that matter', () => {
  test.each<[number, string]>([
    [0, '0 s'],
    [25.92, '26 s'],
    [51.84, '52 s'],
    [259.2, '4 min 19 s'],
    [300, '5 min'],
    [2592, '43 min'],
    [3599, '1 h'],
    [12960, '3 h 36 min'],
    [25920, '7 h 12 min'],
    [86400, '1 d'],
    [129600, '1 d 12 h'],
    [Infinity, 'never'],
  ])('%s seconds read %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('error budgets as full outage over the window', () => {
  test.each<[number, number, string]>([
    [0.001, 30, '43 min/30 d'],
    [0.005, 30, '3 h 36 min/30 d'],
    [0.01, 30, '7 h 12 min/30 d'],
    [0.0001, 30, '4 min 19 s/30 d'],
    [0.00001, 30, '26 s/30 d'],
    [0.005, 28, '3 h 22 min/28 d'],
  ])('a budget of %s over %s days allows %s', (budget, days, text) => {
    expect(formatOutageBudget(budget, days * 86400)).toBe(text);
  });
});

describe('numbers', () => {
  test('burn rates and percentages keep four significant digits and no float noise', () => {
    expect(formatBurnRate(14.4)).toBe('14.4x');
    expect(formatBurnRate(0.933333333333)).toBe('0.9333x');
    expect(formatPercent(0.0144 * 100, DERIVED)).toBe('1.44 %');
    expect(formatPercent(0.00466666666666 * 100, DERIVED)).toBe('0.4667 %');
    expect(formatPercent((0.1 + 0.2) * 100, DERIVED)).toBe('30 %');
    expect(formatDecimal(1e-7, DERIVED.significantDigits)).toBe('0.0000001');
  });

  test('factors say how many times larger or smaller', () => {
    expect(formatFactor(0.001, 0.005)).toBe('5x');
    expect(formatFactor(0.005, 0.001)).toBe('5x');
    expect(formatFactor(0.001, 0.0025)).toBe('2.5x');
  });

  test('windows are written as declared, to the second', () => {
    expect(formatDuration(30 * 86400, AS_DECLARED)).toBe('30 d');
    expect(formatDuration(5400, AS_DECLARED)).toBe('1 h 30 min');
    expect(formatDuration(21600, AS_DECLARED)).toBe('6 h');
  });

  test('objectives keep every digit the user declared', () => {
    expect(formatPercent(99.999)).toBe('99.999 %');
    expect(formatPercent(99.95)).toBe('99.95 %');
  });
});

describe('parseIsoDuration', () => {
  test.each<[string, number | undefined]>([
    ['PT10M', 600],
    ['PT1H30M', 5400],
    ['PT45S', 45],
    ['P1D', 86400],
    ['P1DT2H', 93600],
    ['10 minutes', undefined],
    ['P', undefined],
    ['PT', undefined],
  ])('%s is %s seconds', (text, seconds) => {
    expect(parseIsoDuration(text)).toBe(seconds);
  });
});
