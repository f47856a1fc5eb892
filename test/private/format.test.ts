import { DERIVED, formatDecimal, formatDuration, formatPercent, joinAnd, plural } from '../../lib/private/format';

describe('formatDuration: one duration formatter for the whole library', () => {
  test.each<[number, string]>([
    [0, '0 s'],
    [25.92, '26 s'],
    [259.2, '4 min 19 s'],
    [300, '5 min'],
    [2592, '43 min'],
    [3599, '1 h'],
    [12960, '3 h 36 min'],
    [86400, '1 d'],
    [129600, '1 d 12 h'],
    [-5, '0 s'],
    [Infinity, 'never'],
  ])('by default, rounded to the units that matter: %s seconds read %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  test.each<[number, string]>([
    [45, '45 s'],
    [600, '10 min'],
    [5_400, '1 h 30 min'],
    [3_661, '1 h 1 min 1 s'],
    [43_200, '12 h'],
    [90_061, '1 d 1 h 1 min 1 s'],
    [12_965, '3 h 36 min 5 s'],
  ])('exact: every unit down to the second: %s seconds read %s', (seconds, text) => {
    expect(formatDuration(seconds, { exact: true })).toBe(text);
  });

  test.each<[number, string]>([[0, '0s'], [45, '45s'], [600, '10m'], [5400, '1h 30m'], [125, '2m 5s'], [90061, '1d 1h 1m 1s'], [1.4, '1s']])(
    'compact and exact, as the command line writes it: %s seconds read %s', (seconds, text) => {
      expect(formatDuration(seconds, { compact: true, exact: true })).toBe(text);
    });

  test('compact and rounded keeps the rounding and drops the spaces', () => {
    expect(formatDuration(12960, { compact: true })).toBe('3h 36m');
    expect(formatDuration(259.2, { compact: true })).toBe('4m 19s');
  });
});

describe('formatPercent: one percent formatter', () => {
  test('a declared percentage keeps every digit, without binary noise or exponent', () => {
    expect(formatPercent(99.9)).toBe('99.9 %');
    expect(formatPercent(99.999)).toBe('99.999 %');
    expect(formatPercent((0.1 + 0.2) * 100)).toBe('30 %');
    expect(formatPercent(0.00001)).toBe('0.00001 %');
    expect(formatPercent(-12.5)).toBe('-12.5 %');
  });

  test('a derived figure keeps four significant digits', () => {
    expect(formatPercent(0.466666666666, DERIVED)).toBe('0.4667 %');
    expect(formatPercent(1.44, DERIVED)).toBe('1.44 %');
  });

  test('a measurement rounds down to fixed decimals, so it never reads better than it is', () => {
    expect(formatPercent(99.9996, { decimalsDown: 3 })).toBe('99.999 %');
    expect(formatPercent(83.36, { decimalsDown: 1 })).toBe('83.3 %');
    expect(formatPercent(83, { decimalsDown: 1 })).toBe('83.0 %');
    expect(formatPercent(-0.01, { decimalsDown: 1 })).toBe('-0.1 %');
    expect(formatPercent(-0.0000000001, { decimalsDown: 1 })).toBe('0.0 %');
  });
});

describe('formatDecimal', () => {
  test('never writes an exponent, which CloudWatch metric math does not read', () => {
    expect(formatDecimal(1e-7)).toBe('0.0000001');
    expect(formatDecimal(1e21)).toBe('1000000000000000000000');
    expect(formatDecimal(0.05 * 720 / 6)).toBe('6');
  });

  test('keeps the significant digits asked for', () => {
    expect(formatDecimal(0.933333333333, 4)).toBe('0.9333');
    expect(formatDecimal(1.11111, 3)).toBe('1.11');
  });
});

describe('lists', () => {
  test('joinAnd and plural read as English', () => {
    expect(joinAnd([])).toBe('');
    expect(joinAnd(['a'])).toBe('a');
    expect(joinAnd(['a', 'b'])).toBe('a and b');
    expect(joinAnd(['a', 'b', 'c'])).toBe('a, b and c');
    expect(plural(1, 'SLO')).toBe('1 SLO');
    expect(plural(2, 'SLO')).toBe('2 SLOs');
    expect(plural(2, 'change weakens', 'changes weaken')).toBe('2 changes weaken');
  });
});
