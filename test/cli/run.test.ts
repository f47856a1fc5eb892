import { useHarness } from './support/harness';

describe('cdk-reliability (dispatcher)', () => {
  const world = useHarness();

  test('--help lists the commands and the exit codes on stdout, exit 0', async () => {
    const h = world();
    const code = await h.run('--help');
    expect(code).toBe(0);
    expect(h.stdout()).toMatch(/^Usage: cdk-reliability <command> \[flags\]/);
    expect(h.stdout()).toMatch(/^ {2}gameday +Run a service's FIS experiment/m);
    expect(h.stdout()).toMatch(/^ {2}report +Write the reliability policy of every service as Markdown/m);
    expect(h.stdout()).toMatch(/^ {2}diff +Compare two reliability policies/m);
    expect(h.stdout()).toMatch(/^ {2}64 +usage error/m);
    expect(h.stdout()).toMatch(/^ {2}130 +stopped by you/m);
    expect(h.stderr()).toBe('');
  });

  test.each([['-h'], ['help']])('%s is the same as --help', async (flag) => {
    const h = world();
    expect(await h.run(flag)).toBe(0);
    expect(h.stdout()).toMatch(/^Usage: cdk-reliability <command>/);
  });

  test('gameday --help shows the synopsis, every flag with its default, and examples', async () => {
    const h = world();
    const code = await h.run('gameday', '--help');
    expect(code).toBe(0);
    expect(h.stdout()).toContain('Usage: cdk-reliability gameday --stack <name> --service <name> --experiment <name> '
      + '[--dry-run] [--assembly <dir>] [--poll <seconds>] [--force] [--region <region>] [--profile <name>]');
    expect(h.stdout()).toMatch(/--poll <seconds> +seconds between two status checks, at least 1 \(default: 10\)/);
    expect(h.stdout()).toMatch(/--stack <name> +.*\(required\)/);
    expect(h.stdout()).toContain('Examples:');
  });

  test('help gameday shows the command help; --help wins over missing required flags', async () => {
    const h = world();
    expect(await h.run('help', 'gameday')).toBe(0);
    expect(await h.run('gameday', '--stack', 'Shop', '-h')).toBe(0);
    expect(h.stdout().match(/Usage: cdk-reliability gameday/g)).toHaveLength(2);
    expect(h.fis.callCount()).toBe(0);
  });

  test('exits 64 with the usage on stderr when no command is given', async () => {
    const h = world();
    expect(await h.run()).toBe(64);
    expect(h.stderr()).toMatch(/^error: no command given\n\nUsage: cdk-reliability <command> \[flags\] {3}\(commands: gameday, [^)]*\)/);
    expect(h.stdout()).toBe('');
  });

  test('exits 64 naming the unknown command, the closest one and the commands there are', async () => {
    const h = world();
    expect(await h.run('gamedya', '--stack', 'Shop')).toBe(64);
    expect(h.stderr()).toContain("error: unknown command 'gamedya' (did you mean gameday?); commands: gameday");
    expect(h.stderr()).toContain("Run 'cdk-reliability --help' for more.");
  });

  test('exits 64 when flags come before the command', async () => {
    const h = world();
    expect(await h.run('--stack', 'Shop', 'gameday')).toBe(64);
    expect(h.stderr()).toContain("error: expected a command before the flags, got '--stack'; commands: gameday");
  });

  test('exits 64 for help on an unknown command', async () => {
    const h = world();
    expect(await h.run('help', 'nonsense')).toBe(64);
    expect(h.stderr()).toContain("unknown command 'nonsense'");
  });
});
