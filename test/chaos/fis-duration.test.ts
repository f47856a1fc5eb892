import { Duration, Token } from 'aws-cdk-lib';
import { FIS_MAX_DURATION, fisDurationProblem, isoDuration, isoDurationSeconds } from '../../lib/chaos/fis-duration';
import { formatDuration } from '../../lib/private/format';

describe('isoDuration', () => {
  test.each([
    [600, 'PT10M'],
    [5_400, 'PT1H30M'],
    [45, 'PT45S'],
    [3_661, 'PT1H1M1S'],
    [43_200, 'PT12H'],
    [0, 'PT0S'],
  ])('%i seconds are %s', (seconds, iso) => {
    expect(isoDuration(seconds)).toBe(iso);
  });
});

describe('isoDurationSeconds', () => {
  test.each([
    ['PT10M', 600],
    ['PT1H30M', 5_400],
    ['PT45S', 45],
    ['PT1.5S', 1.5],
  ])('reads %s as %d seconds', (iso, seconds) => {
    expect(isoDurationSeconds(iso)).toBe(seconds);
  });

  test.each(['PT', 'P1D', '10M', 'PT10m', ''])('gives undefined for %p, which is not of the PT#H#M#S form', (iso) => {
    expect(isoDurationSeconds(iso)).toBeUndefined();
  });

  test('round-trips isoDuration', () => {
    for (const seconds of [1, 59, 60, 61, 3_599, 3_600, 43_200]) {
      expect(isoDurationSeconds(isoDuration(seconds))).toBe(seconds);
    }
  });
});

describe('durations in FIS messages and action descriptions (formatDuration, exact)', () => {
  test.each([
    [45, '45 s'],
    [600, '10 min'],
    [5_400, '1 h 30 min'],
    [3_661, '1 h 1 min 1 s'],
    [43_200, '12 h'],
  ])('%i seconds read "%s"', (seconds, text) => {
    expect(formatDuration(seconds, { exact: true })).toBe(text);
  });
});

describe('fisDurationProblem', () => {
  const minute = Duration.minutes(1);

  test('accepts the bounds themselves: 1 minute and 12 hours', () => {
    expect(fisDurationProblem(Duration.minutes(1), minute)).toBeUndefined();
    expect(fisDurationProblem(Duration.hours(12), minute)).toBeUndefined();
    expect(FIS_MAX_DURATION.toHours()).toBe(12);
  });

  test('refuses a duration below the minimum, naming the bounds and the value', () => {
    expect(fisDurationProblem(Duration.seconds(30), minute)).toBe('must be a Duration between 1 min and 12 h, got 30 s');
  });

  test('refuses a duration above 12 hours', () => {
    expect(fisDurationProblem(Duration.hours(13), minute)).toBe('must be a Duration between 1 min and 12 h, got 13 h');
  });

  test('refuses fractional seconds, stating the exact value', () => {
    expect(fisDurationProblem(Duration.millis(90_500), minute)).toBe('must be a whole number of seconds (a Duration between 1 min and 12 h), got 90.5 s');
  });

  test('refuses something that is not a Duration', () => {
    expect(fisDurationProblem(600, minute)).toBe('must be a Duration between 1 min and 12 h (e.g. Duration.minutes(10)), got 600');
    expect(fisDurationProblem(undefined, minute)).toMatch(/got undefined$/);
  });

  test('refuses a token: the experiment length must be known at synth', () => {
    expect(fisDurationProblem(Duration.minutes(Token.asNumber({ Ref: 'Minutes' })), minute)).toBe('must be a concrete Duration (a Duration between 1 min and 12 h), got a token');
  });

  test('uses the given maximum', () => {
    expect(fisDurationProblem(Duration.hours(2), minute, Duration.hours(1))).toBe('must be a Duration between 1 min and 1 h, got 2 h');
  });
});
