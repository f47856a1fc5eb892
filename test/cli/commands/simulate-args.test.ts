/**
 * `simulate`'s flags: the forms each accepts, and the usage errors (exit 64, with the command's
 * usage) for each bad value. Flags are checked before the assembly is read: these runs point at a
 * directory that does not exist and never get that far.
 */
import { parseDelay, parseDuration, parseErrorRate, parseMinutes, parseTraffic } from '../../../lib/cli/simulation/flags';
import { useHarness } from '../support/harness';

const NOWHERE = '/nonexistent/cdk.out';
const REQUIRED = ['--service', 'checkout', '--slo', 'availability', '--error-rate', '2%', '--for', '2h'];
const USAGE = 'Usage: cdk-reliability simulate [assembly] --service <name> --slo <name> --error-rate <rate> --for <duration>';

describe('simulate: accepted values', () => {
  test.each<[string, number]>([
    ['2%', 0.02], ['0.02', 0.02], ['100%', 1], ['0%', 0], ['0', 0], ['1', 1], ['0.5%', 0.005], ['.5', 0.5], [' 2 % ', 0.02], ['0.08%', 0.0008],
  ])('error rate %p is %p', (text, ratio) => {
    expect(parseErrorRate('error-rate', text)).toBeCloseTo(ratio, 12);
  });

  test.each<[string, number]>([
    ['90s', 1.5], ['45m', 45], ['2h', 120], ['1d', 1_440], ['3d', 4_320], ['1h30m', 90], ['1.5h', 90], ['7d', 10_080], ['2H', 120],
  ])('duration %p is %p minutes', (text, minutes) => {
    expect(parseDuration('for', text)).toBeCloseTo(minutes, 12);
  });

  test.each<[string, number]>([
    ['1000/min', 1_000], ['50/s', 3_000], ['3600/h', 60], ['20/sec', 1_200], ['2/hours', 1 / 30], ['1440/day', 1], ['10 / mins', 10],
    ['0', 0], ['0/min', 0], ['0.5/min', 0.5],
  ])('traffic %p is %p events a minute', (text, perMinute) => {
    expect(parseTraffic('traffic', text)).toBeCloseTo(perMinute, 12);
  });

  test.each<[string, number]>([['2', 2], ['0', 0], ['3m', 3], ['1 min', 1], ['60', 60]])('delay %p is %p minutes', (text, minutes) => {
    expect(parseDelay('delay', text)).toBe(minutes);
  });

  test('minutes are whole numbers from 1 to 10080', () => {
    expect(parseMinutes('minutes', '5760')).toBe(5_760);
    expect(parseMinutes('minutes', '10080')).toBe(10_080);
  });
});

describe('simulate: a bad value exits 64 with a message naming the flag, and the usage', () => {
  const world = useHarness();

  test.each<[string, string[], string]>([
    ['a negative error rate', ['--error-rate=-2%'], "--error-rate must not be negative; got '-2%'"],
    ['an error rate over 100 %', ['--error-rate', '150%'], "--error-rate must be at most 100%; got '150%'"],
    ['an error rate over 1 without %', ['--error-rate', '2'], "--error-rate must be a fraction from 0 to 1 or a percentage; got '2' (did you mean 2%?)"],
    ['an error rate that is not a number', ['--error-rate', 'lots'], "--error-rate must be a percentage from 0% to 100% (2%) or a fraction from 0 to 1 (0.02); got 'lots'"],
    ['a zero duration', ['--for', '0m'], "--for must be longer than 0; got '0m'"],
    ['a duration without a unit', ['--for', '10'], "--for must be a duration such as 90s, 45m, 2h, 1d or 1h30m; got '10'"],
    ['a negative duration', ['--for=-1h'], "--for must be a duration such as 90s, 45m, 2h, 1d or 1h30m; got '-1h'"],
    ['a duration over 7 days', ['--for', '8d'], "--for must be at most 7d (the longest simulation); got '8d'"],
    ['traffic without a unit', ['--traffic', '1000'], "--traffic must be events per unit of time, such as 1000/min, 50/s or 3600/h (0 for no traffic); got '1000'"],
    ['traffic per millisecond', ['--traffic', '5/ms'], "--traffic must be events per unit of time, such as 1000/min, 50/s or 3600/h (0 for no traffic); got '5/ms'"],
    ['negative traffic', ['--traffic=-5/min'], "--traffic must not be negative; got '-5/min'"],
    ['a baseline over 100 %', ['--baseline', '200%'], "--baseline must be at most 100%; got '200%'"],
    ['a delay in seconds', ['--delay', '90s'], "--delay must be a whole number of minutes from 0 to 60 (2, 0 or 3m); got '90s'"],
    ['a fraction of a minute of delay', ['--delay', '1.5'], "--delay must be a whole number of minutes from 0 to 60 (2, 0 or 3m); got '1.5'"],
    ['a negative delay', ['--delay=-1'], "--delay must be a whole number of minutes from 0 to 60 (2, 0 or 3m); got '-1'"],
    ['a delay over an hour', ['--delay', '90'], "--delay must be at most 60 minutes; got '90'"],
    ['zero minutes', ['--minutes', '0'], "--minutes must be a whole number of minutes, at least 1; got '0'"],
    ['a fraction of minutes', ['--minutes', '1.5'], "--minutes must be a whole number of minutes, at least 1; got '1.5'"],
    ['minutes over 7 days', ['--minutes', '20000'], "--minutes must be at most 10080 (7 days); got '20000'"],
    ['--after of zero', ['--after', '0s'], "--after must be longer than 0; got '0s'"],
    ['--after over 7 days', ['--after', '10d'], "--after must be at most 7d (the longest simulation); got '10d'"],
    ['both --after and --minutes', ['--after', '1d', '--minutes', '60'], '--after and --minutes both say how long to simulate: give one'],
    ['two different assemblies', ['--assembly', 'other.out'], "two assemblies given: '/nonexistent/cdk.out' and --assembly 'other.out'; give one"],
    ['an unknown flag', ['--error', '2%'], "unknown flag --error for 'simulate'"],
    ['a flag without its value', ['--traffic'], 'flag --traffic needs a value: --traffic <events/time>'],
  ])('%s', async (_, flags, message) => {
    const h = world();
    // later flags override the same flag in REQUIRED
    expect(await h.run('simulate', NOWHERE, ...REQUIRED, ...flags)).toBe(64);
    expect(h.stderr()).toContain(`error: ${message}`);
    expect(h.stderr()).toContain(USAGE);
    expect(h.stderr()).toContain("Run 'cdk-reliability simulate --help' for more.");
    expect(h.stdout()).toBe('');
  });

  test.each<[string, string[], string]>([
    ['missing required flags', ['--service', 'checkout'], 'missing required flags --slo <name>, --error-rate <rate> and --for <duration>'],
    ['a second positional argument', [NOWHERE, 'extra', ...REQUIRED], "unexpected argument 'extra'"],
  ])('%s', async (_, argv, message) => {
    const h = world();
    expect(await h.run('simulate', ...argv)).toBe(64);
    expect(h.stderr()).toContain(`error: ${message}`);
  });

  test('--help shows the argument, every flag with its default, and examples', async () => {
    const h = world();
    expect(await h.run('simulate', '--help')).toBe(0);
    const out = h.stdout();
    expect(out).toContain(`${USAGE} [--traffic <events/time>] [--baseline <rate>] [--delay <minutes>] [--stack <name>] [--after <duration>] `
      + '[--minutes <n>] [--assembly <dir>] [--json]');
    expect(out).toMatch(/^ {2}\[assembly\] +cloud assembly directory written by `cdk synth` \(default: cdk\.out\)$/m);
    expect(out).toMatch(/--traffic <events\/time> +events throughout: 1000\/min, 50\/s, 3600\/h; 0 is no traffic \(default: 1000\/min\)/);
    expect(out).toMatch(/--delay <minutes> +ingestion delay: minutes from the end of a minute until its metrics reach the alarms \(service metrics: 1-3; 0 is the formulas' ideal\) \(default: 2\)/);
    expect(out).toContain('cdk-reliability simulate cdk.out --service checkout --slo availability --error-rate 2% --for 2h');
  });
});
