import { useHarness } from '../support/harness';

const REQUIRED = ['--stack', 'Shop', '--service', 'checkout', '--experiment', 'slow-handler'];
const GAMEDAY_USAGE = 'Usage: cdk-reliability gameday --stack <name> --service <name> --experiment <name>';

describe('gameday: command-line errors exit 64 with a message naming the flag, and the usage', () => {
  const world = useHarness();

  test.each<[string, string[], string]>([
    ['an unknown flag (with the closest one)', [...REQUIRED, '--experimnet', 'x'],
      "unknown flag --experimnet for 'gameday' (did you mean --experiment?); allowed: --stack, --service, --experiment, "
        + '--dry-run, --assembly, --poll, --force, --region, --profile and --help'],
    ['an unknown short flag', [...REQUIRED, '-x'], "unknown flag -x for 'gameday'"],
    ['a missing required flag', ['--stack', 'Shop', '--experiment', 'slow-handler'], 'missing required flag --service <name>'],
    ['several missing required flags', ['--stack', 'Shop'], 'missing required flags --service <name> and --experiment <name>'],
    ['a flag without its value', ['--service', 'checkout', '--experiment', 'x', '--stack'], 'flag --stack needs a value: --stack <name>'],
    ['a flag followed by another flag', ['--stack', '--service', 'checkout', '--experiment', 'x'], 'flag --stack needs a value: --stack <name>'],
    ['an empty value', ['--stack=', '--service', 'checkout', '--experiment', 'x'], 'flag --stack needs a non-empty value'],
    ['a value for a boolean flag', [...REQUIRED, '--dry-run=yes'], 'flag --dry-run takes no value (it is on when given)'],
    ['a positional argument', [...REQUIRED, 'now'], "unexpected argument 'now': 'gameday' takes only flags"],
    ['a poll of 0 seconds', [...REQUIRED, '--poll', '0'], "--poll must be a whole number of seconds, at least 1; got '0'"],
    ['a poll that is not a number', [...REQUIRED, '--poll', '10s'], "--poll must be a whole number of seconds, at least 1; got '10s'"],
    ['--assembly without --dry-run', [...REQUIRED, '--assembly', 'cdk.out'], '--assembly reads the plan from the synthesized templates and only works with --dry-run'],
  ])('%s', async (_, argv, message) => {
    const h = world();
    const code = await h.run('gameday', ...argv);
    expect(code).toBe(64);
    expect(h.stderr()).toContain(`error: ${message}`);
    expect(h.stderr()).toContain(GAMEDAY_USAGE);
    expect(h.stderr()).toContain("Run 'cdk-reliability gameday --help' for more.");
    expect(h.stdout()).toBe('');
    expect(h.clientOptions).toEqual([]);
  });
});
