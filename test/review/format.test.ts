import {
  formatBurnRate,
  formatFactor,
  formatFraction,
  formatNumber,
  formatOutageBudget,
  formatSpan,
  formatWindowSpan,
  parseIsoDuration,
} from '../../lib/review/format';

describe('formatSpan: the largest units that matter', () => {
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
    expect(formatSpan(seconds)).toBe(text);
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
    expect(formatFraction(0.0144)).toBe('1.44 %');
    expect(formatFraction(0.00466666666666)).toBe('0.4667 %');
    expect(formatFraction(0.1 + 0.2)).toBe('30 %');
    expect(formatNumber(1e-7)).toBe('0.0000001');
  });

  test('factors say how many times larger or smaller', () => {
    expect(formatFactor(0.001, 0.005)).toBe('5x');
    expect(formatFactor(0.005, 0.001)).toBe('5x');
    expect(formatFactor(0.001, 0.0025)).toBe('2.5x');
  });

  test('windows are exact in one unit', () => {
    expect(formatWindowSpan(30 * 86400)).toBe('30 d');
    expect(formatWindowSpan(5400)).toBe('90 min');
    expect(formatWindowSpan(21600)).toBe('6 h');
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
